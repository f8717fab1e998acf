"""The Spark suite: one standalone cluster (a master and 2 workers of 1 core each, authentication on) and
one SparkSession on it for the whole session. Every test here is marked `spark`; without Java (or pyspark /
pyarrow) they skip. The executors' Python is this interpreter and imports the same `ember` as the driver
(the installed package under scripts/test, the in-place build with PYTHONPATH=python)."""

import os
import pathlib
import sys
import time

import pytest

TIMINGS = {}


def pytest_collection_modifyitems(config, items):
    here = pathlib.Path(__file__).parent
    for item in items:
        if here in pathlib.Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.spark)


@pytest.fixture(scope="session")
def mnist_dir():
    d = pathlib.Path(__file__).resolve().parents[2] / "data" / "mnist"
    if not (d / "train-images-idx3-ubyte").exists() and not (d / "train-images-idx3-ubyte.gz").exists():
        pytest.skip("MNIST not fetched (scripts/fetch-data)")
    return str(d)


@pytest.fixture
def rng():
    import numpy as np

    return np.random.default_rng(0)


def _require_spark():
    from ember.spark.cluster import java_executable

    if java_executable() is None:
        pytest.skip("Java not found: the Spark tests need a Java 17+ runtime on PATH or in JAVA_HOME "
                    "(Debian: apt-get install openjdk-17-jre-headless)")
    pytest.importorskip("pyspark", reason="pyspark is not installed (requirements-dev.txt)")
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (requirements-dev.txt)")


@pytest.fixture(scope="session")
def java():
    """Skips unless Java, pyspark and pyarrow are there."""
    _require_spark()


@pytest.fixture(scope="session")
def spark_cluster(java):
    from ember.spark.cluster import StandaloneCluster

    t0 = time.monotonic()
    cluster = StandaloneCluster(workers=2, cores_per_worker=1, memory_per_worker="1g").start()
    TIMINGS["cluster start"] = time.monotonic() - t0
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def spark(spark_cluster):
    import ember
    from pyspark.sql import SparkSession

    # The executors start their Python workers with the driver's PYSPARK_PYTHON: this interpreter (.venv).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    package_parent = str(pathlib.Path(ember.__file__).resolve().parents[1])
    builder = SparkSession.builder.appName("ember-tests")
    settings = {
        **spark_cluster.conf(),
        "spark.executor.cores": "1",
        "spark.task.cpus": "1",
        "spark.executor.memory": "512m",
        "spark.driver.memory": "512m",
        "spark.python.worker.reuse": "true",
        "spark.executorEnv.PYTHONPATH": package_parent,
        "spark.executorEnv.EMBER_NUM_THREADS": "1",
        # A failing task fails its job at once (the error tests expect failures; no retries).
        "spark.task.maxFailures": "1",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        # Short-lived JVMs on a small machine: the client compiler and the serial collector start faster.
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "spark.executor.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    }
    for k, v in settings.items():
        builder = builder.config(k, v)
    t0 = time.monotonic()
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    TIMINGS["session start"] = time.monotonic() - t0
    yield session
    session.stop()


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.write_line("spark: " + ", ".join(f"{k} {v:.1f} s" for k, v in TIMINGS.items()))
