"""The local standalone cluster (ember.spark.cluster): two workers, authentication on and enforced, the
secret kept off command lines, clear start-up errors, and no JVM left behind when the owner dies."""

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from ember.spark.cluster import SparkClusterError, StandaloneCluster


def test_two_workers_alive_with_one_core_each(spark_cluster, spark):
    status = spark_cluster.status()
    workers = [w for w in status["workers"] if w["state"] == "ALIVE"]
    assert len(workers) == 2 and all(w["cores"] == 1 and w["host"] == "127.0.0.1" for w in workers)
    assert status["url"] == spark_cluster.master_url
    assert spark_cluster.master_url.startswith("spark://127.0.0.1:")
    # The test session runs on it, with one executor per worker.
    assert [a["name"] for a in status["activeapps"]] == ["ember-tests"]
    executors = spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size() - 1  # minus the driver
    assert executors == 2


def test_authentication_is_on_for_daemons_and_session(spark_cluster, spark):
    assert spark.conf.get("spark.authenticate") == "true"
    conf = spark_cluster.conf()
    assert conf["spark.authenticate"] == "true" and conf["spark.authenticate.secret"] == spark_cluster.secret
    assert len(spark_cluster.secret) == 64
    st = spark_cluster.state()
    for d in st["daemons"]:
        with open(d["log"]) as f:
            assert "SecurityManager: authentication enabled" in f.read(), d["name"]
        # The secret travels in a private properties file, never on a command line.
        with open(f"/proc/{d['pid']}/cmdline", "rb") as f:
            assert spark_cluster.secret.encode() not in f.read()
    props = os.path.join(st["work_dir"], "conf", "daemons.properties")
    assert stat.S_IMODE(os.stat(props).st_mode) == 0o600
    # The REST submission server (no authentication) is off.
    assert "StandaloneRestServer" not in open(st["daemons"][0]["log"]).read()


def _client(cluster, secret):
    """Spark's deploy client asking the master to kill a driver that does not exist: a full RPC round trip."""
    env = dict(os.environ, _SPARK_AUTH_SECRET=secret)
    cmd = cluster.java_command("org.apache.spark.deploy.Client")
    cmd[-1:-1] = ["-Dspark.authenticate=true"]
    return subprocess.run(cmd + ["kill", cluster.master_url, "driver-ember-test"], env=env, capture_output=True,
                          text=True, timeout=120)


def test_master_refuses_a_client_with_the_wrong_secret(spark_cluster):
    wrong = _client(spark_cluster, "not-the-secret")
    assert wrong.returncode != 0
    assert "Exception while bootstrapping client" in wrong.stdout + wrong.stderr
    right = _client(spark_cluster, spark_cluster.secret)
    assert "Driver driver-ember-test has already finished or does not exist" in right.stdout + right.stderr
    with open(spark_cluster.state()["daemons"][0]["log"]) as f:
        log = f.read()
    assert "SaslException" in log  # the master saw the bad handshake ...
    assert log.count("Asked to kill driver driver-ember-test") == 1  # ... and served only the right client


def test_conf_and_java_command_need_a_started_cluster():
    c = StandaloneCluster()
    with pytest.raises(SparkClusterError, match=r"\[spark.StandaloneCluster\] not started: call start\(\) first"):
        c.conf()
    with pytest.raises(SparkClusterError, match="not started"):
        c.java_command("x")


def test_argument_errors():
    with pytest.raises(ValueError, match=r"workers: expected a positive int, got 0"):
        StandaloneCluster(workers=0)
    with pytest.raises(ValueError, match=r"memory_per_worker: expected a JVM memory size like '512m' or '1g', got 'lots'"):
        StandaloneCluster(memory_per_worker="lots")
    with pytest.raises(ValueError, match=r"secret: expected a non-empty string without whitespace"):
        StandaloneCluster(secret="a b")


def test_missing_java_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))  # no bin/java there
    with pytest.raises(SparkClusterError, match=r"Java not found: Spark needs a Java 17\+ runtime on PATH or in "
                                                r"\$JAVA_HOME"):
        StandaloneCluster().start()


def test_port_in_use_is_a_clear_error(java):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(SparkClusterError, match=rf"port {port} on 127.0.0.1 is already in use: choose another "
                                                    r"master_port, or 0 for a free one"):
            StandaloneCluster(master_port=port).start()


def test_a_daemon_that_exits_is_reported_with_its_log(java, tmp_path):
    # A heap the JVM refuses: the master exits at once; the error carries the tail of its log.
    c = StandaloneCluster(workers=1, work_dir=tmp_path, daemon_memory="1k")
    with pytest.raises(SparkClusterError, match=r"(?s)master exited with status \d+ while starting; last lines of "
                                                r".*master.log:\n.*heap"):
        c.start()
    assert not c.running


_OWNER = textwrap.dedent("""
    import json, sys
    from ember.spark.cluster import StandaloneCluster
    c = StandaloneCluster(workers=1, work_dir=sys.argv[1]).start()
    print(json.dumps([d["pid"] for d in c.state()["daemons"]]), flush=True)
    sys.stdin.read()
""")


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[-1][:1] != "Z"
    except OSError:
        return False


def test_daemons_die_with_their_owner_even_on_sigkill(java, tmp_path):
    owner = subprocess.Popen([sys.executable, "-c", _OWNER, str(tmp_path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        pids = json.loads(owner.stdout.readline())
        assert len(pids) == 2 and all(_alive(p) for p in pids)
    finally:
        owner.send_signal(signal.SIGKILL)  # no atexit, no finally: only the watchdog can clean up
        owner.wait()
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in pids if _alive(p)]
