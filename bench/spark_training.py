#!/usr/bin/env python3
"""Spark-driven data-parallel training against local training of the same model on the same cores, and
where the time of a distributed iteration goes, all measured in the same run.

    scripts/build release                 # the in-place module python/ember (or scripts/install-python)
    PYTHONPATH=$PWD/python .venv/bin/python bench/spark_training.py [--epochs 2] [--repeat 3]
        [--only lenet5,resnet20] [--resnet-samples 2048] [--threads 2]

Needs Java 17+, pyspark and pyarrow (requirements-dev.txt) and MNIST in data/mnist (scripts/fetch-data).
About 5 to 8 minutes on 2 shared cores with the defaults: 30 s of Spark start-up, then 75 s to 3 minutes a
round (the local run with OpenMP's default wait policy is the one that slows down when others load the machine).

Cases: LeNet-5 on MNIST (60000 images, ember.data.load_mnist) and ResNet-20 on CIFAR-shaped random data
(3x32x32 float32, 10 classes, --resnet-samples rows); batch 128, SGD lr 0.05 momentum 0.9, shuffled (seed 1),
the same initial weights everywhere. Contenders, each run once per round, one after the other (the order
turns every round):

  local     ember.optim.Optimizer in one process with --threads threads (a subprocess of this script), run
            twice: with OpenMP's default wait policy and with OMP_WAIT_POLICY=passive (on a machine others
            load, threads spinning at OpenMP barriers can make 2 threads slower than 1)
  2 procs   ember.dist.DistributedOptimizer in 2 processes of 1 thread each (subprocesses of this script,
            --role rank), each on its contiguous half of the rows, rendezvous through port files in a temp
            dir, the collective over 127.0.0.1: training on Spark without Spark
  Spark     ember.spark.Optimizer on a StandaloneCluster of 2 workers x 1 core (spark.task.cpus=1: 2 ranks of
            1 thread), the data a Parquet file of 2 row groups read as 2 partitions, one per rank: the same
            halves as "2 procs", so both runs train alike (the last losses are printed)

Figures:
  last epoch  records/s of the last epoch from rank 0's (the local optimizer's) history: the epoch's records
              over the sum of its iteration times (data wait + step)
  end to end  records trained / wall time: for local and 2 procs from spawning the process(es) to their exit
              (interpreter start, import, data loading, rendezvous, training); for Spark the driver's
              spark.read.parquet + ember.spark.Optimizer(...).optimize() (task launch, the Parquet rows read
              into Arrow and NumPy, rendezvous, training, returning the model). Cluster and SparkSession
              start-up and the session's first training job (a 1-iteration warm-up: JVM class loading,
              Python workers starting and importing ember) are one-off costs, printed apart.
  per iteration  ms per iteration in compute (forward + backward), the reduce-scatter (which includes waiting
              for the slower rank and a one-double all-reduce of the loss), the sharded update and the
              all-gather: DistributedOptimizer.timing of both ranks in the 2-process run; for Spark, rank 0's
              "[Epoch n done]" log lines (the driver gets rank 0's history and log, not its .timing).
  wall time   Spark's overhead = the driver's wall minus rank 0's training time (the sum of its epoch times
              from its log: the C++ training loop), split into the part inside the stage
              (opt.attempts[-1]['seconds'], which ends after the model is unpickled, minus training) and the
              driver's part (the rest: spark.read.parquet, the column checks, building the stage, copying the
              weights into the caller's model).
  data path   the training stage's data path alone, as a Spark job of its own (a barrier mapInArrow whose
              tasks turn their Parquet rows into NumPy with the stage's helper, no training): how much of
              Spark's overhead is reading the data.
Ratios: Spark / each other contender; "Spark overhead vs best local" = 1 - Spark / max(local, local passive)
(target: under 10%). Medians over --repeat rounds. The 1-minute load average is printed with each run.
"""
import argparse
import io
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BATCH = 128
CASES = {"lenet5": (1, 28, 28), "resnet20": (3, 32, 32)}
EPOCH_LINE = re.compile(r"\[Epoch (\d+) done\] (\d+) records in ([\d.]+)s \(([\d.]+) records/second\).*?"
                        r"Per iteration: (.*)")
PHASE = re.compile(r"([a-z-]+) \d+% \(([\d.]+) ms\)")


def load(case, data_dir):
    """x float32 [n, C, H, W], y int64 [n] of a case."""
    if case == "lenet5":
        from ember import data
        ds = data.load_mnist(os.path.join(ROOT, "data", "mnist"), train=True)
        return np.asarray(ds.features), np.asarray(ds.labels).astype(np.int64)
    return np.load(os.path.join(data_dir, "x.npy")), np.load(os.path.join(data_dir, "y.npy"))


def make_model(case):
    import ember
    from ember import models
    ember.manual_seed(1)
    return models.lenet5(num_classes=10) if case == "lenet5" else models.resnet20_cifar(num_classes=10)


def configure(opt, epochs):
    from ember import optim
    opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9))
    opt.set_end_when(optim.max_epoch(epochs))
    opt.set_data_options(seed=1)
    return opt


def epoch_lines(log):
    """[(epoch, records, seconds, {phase: ms per iteration})] from a training log's epoch summaries."""
    out = []
    for m in EPOCH_LINE.finditer(log or ""):
        out.append((int(m.group(1)), int(m.group(2)), float(m.group(3)),
                    {k: float(v) for k, v in PHASE.findall(m.group(5))}))
    return out


def summarize(history, log, rows, distributed):
    """Figures every contender reports alike: last-epoch records/s from the history, the epoch lines' total
    training seconds and per-iteration phases, the last loss."""
    last = max(h["epoch"] for h in history)
    its = [h for h in history if h["epoch"] == last]
    if distributed:
        records = [BATCH] * len(its)  # every iteration is a full global batch (a rank walks round its shard)
    else:
        records = [BATCH] * (len(its) - 1) + [rows - (len(its) - 1) * BATCH]
    seconds = sum(r / h["throughput"] for r, h in zip(records, its))
    epochs = epoch_lines(log)
    n_per_epoch = len(its)
    phases = {}
    for _, _, _, ph in epochs:  # every epoch has the same number of iterations: a plain mean
        for k, v in ph.items():
            phases[k] = phases.get(k, 0.0) + v / len(epochs)
    return {"steady": sum(records) / seconds, "iterations": len(history), "iterations_per_epoch": n_per_epoch,
            "records": sum(e[1] for e in epochs), "train_s": sum(e[2] for e in epochs), "log_phases": phases,
            "last_loss": history[-1]["loss"]}


# The subprocesses: one local run, or one rank of the 2-process run. Each prints one JSON line.

def role_local(a):
    import ember
    from ember import nn, optim
    ember.set_num_threads(a.threads)
    x, y = load(a.case, a.data_dir)
    opt = optim.Optimizer(make_model(a.case), (x, y), nn.ClassNLLCriterion(), batch_size=BATCH)
    log = io.StringIO()
    configure(opt, a.epochs).set_log(stream=log, log_every=0, progress_bar="off")
    t0 = time.perf_counter()
    opt.optimize()
    out = summarize(opt.history(), log.getvalue(), len(x), distributed=False)
    out.update(optimize_s=time.perf_counter() - t0, timing=opt.timing)
    print(json.dumps(out))


def role_rank(a):
    import ember
    from ember import dist, nn
    ember.set_num_threads(1)
    t_start = time.perf_counter()
    x, y = load(a.case, a.data_dir)
    half = (len(x) + 1) // 2  # Spark's partitions: the Parquet file's two row groups, in order
    lo, hi = (0, half) if a.rank == 0 else (half, len(x))
    x, y = np.ascontiguousarray(x[lo:hi]), np.ascontiguousarray(y[lo:hi])
    listener = dist.Listener("127.0.0.1")
    with open(os.path.join(a.rendezvous, f"port.{a.rank}.tmp"), "w") as f:
        f.write(str(listener.port))
    os.replace(os.path.join(a.rendezvous, f"port.{a.rank}.tmp"), os.path.join(a.rendezvous, f"port.{a.rank}"))
    deadline = time.time() + 120
    paths = [os.path.join(a.rendezvous, f"port.{r}") for r in range(2)]
    while not all(os.path.exists(p) for p in paths):
        if time.time() > deadline:
            sys.exit(f"[bench rank {a.rank}] rendezvous: no port file from the other rank in 120 s ({a.rendezvous})")
        time.sleep(0.01)
    peers = [f"127.0.0.1:{int(open(p).read())}" for p in paths]
    with open(os.path.join(a.rendezvous, "secret")) as f:
        secret = bytes.fromhex(f.read())
    collective = dist.Collective(listener, rank=a.rank, world_size=2, peers=peers, secret=secret, timeout=120)
    opt = dist.DistributedOptimizer(collective, make_model(a.case), (x, y), nn.ClassNLLCriterion(), BATCH)
    log = io.StringIO()
    configure(opt, a.epochs).set_log(stream=log if a.rank == 0 else None, log_every=0, progress_bar="off")
    t0 = time.perf_counter()
    opt.optimize()
    out = {"rank": a.rank, "timing": opt.timing, "optimize_s": time.perf_counter() - t0, "setup_s": t0 - t_start}
    if a.rank == 0:
        out.update(summarize(opt.history(), log.getvalue(), len(x), distributed=True))
    print(json.dumps(out))


# The driver side.

def child_env(threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", EMBER_NUM_THREADS=str(threads))
    env["PYTHONPATH"] = os.pathsep.join([p for p in [python_dir(), env.get("PYTHONPATH", "")] if p])
    return env


def python_dir():
    """The directory holding the `ember` package this process imported: the children import the same."""
    import ember
    return os.path.dirname(os.path.dirname(os.path.abspath(ember.__file__)))


def last_json(out, what):
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    sys.exit(f"{what}: no result line in its output:\n{out[-3000:]}")


def run_local(a, case, data_dir, passive=False):
    cmd = [sys.executable, os.path.abspath(__file__), "--role", "local", "--case", case, "--epochs", str(a.epochs),
           "--threads", str(a.threads), "--data-dir", data_dir]
    env = child_env(a.threads)
    env.pop("OMP_WAIT_POLICY", None)
    if passive:
        env["OMP_WAIT_POLICY"] = "passive"
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"local run of {case} failed ({p.returncode}):\n{p.stdout[-3000:]}")
    r = last_json(p.stdout, f"local {case}")
    r["wall_s"] = wall
    return r


def run_two_ranks(a, case, data_dir):
    rdv = tempfile.mkdtemp(prefix="ember_bench_rdv_")
    with open(os.path.join(rdv, "secret"), "w") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(secrets.token_hex(32))
    procs = []
    t0 = time.perf_counter()
    for rank in range(2):
        cmd = [sys.executable, os.path.abspath(__file__), "--role", "rank", "--rank", str(rank), "--rendezvous", rdv,
               "--case", case, "--epochs", str(a.epochs), "--data-dir", data_dir]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                      env=child_env(1)))
    outs = [p.communicate()[0] for p in procs]
    wall = time.perf_counter() - t0
    shutil.rmtree(rdv, ignore_errors=True)
    for rank, (p, out) in enumerate(zip(procs, outs)):
        if p.returncode != 0:
            sys.exit(f"rank {rank} of the 2-process run of {case} failed ({p.returncode}):\n{out[-3000:]}")
    r0, r1 = (last_json(out, f"rank {i} {case}") for i, out in enumerate(outs))
    r0["wall_s"] = wall
    r0["rank1_timing"] = r1["timing"]
    return r0


def write_parquet(path, x, y):
    """features array<float> (one flat row per sample), label long; two row groups, so Spark reads the file
    as two partitions (one per rank, no shuffle)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    flat = np.ascontiguousarray(x.reshape(len(x), -1), np.float32)
    features = pa.FixedSizeListArray.from_arrays(pa.array(flat.reshape(-1)), flat.shape[1]).cast(pa.list_(pa.float32()))
    pq.write_table(pa.table({"features": features, "label": y.astype(np.int64)}), path,
                   row_group_size=(len(x) + 1) // 2)


def start_spark():
    from ember.spark.cluster import StandaloneCluster, java_executable
    from pyspark.sql import SparkSession
    if java_executable() is None:
        sys.exit("Java not found: the Spark runs need a Java 17+ runtime on PATH or in JAVA_HOME")
    t0 = time.perf_counter()
    cluster = StandaloneCluster(workers=2, cores_per_worker=1, memory_per_worker="1g").start()
    t_cluster = time.perf_counter() - t0
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the executors' Python workers: this interpreter
    settings = {  # as tests/spark/conftest.py
        **cluster.conf(),
        "spark.executor.cores": "1",
        "spark.task.cpus": "1",
        "spark.executor.memory": "512m",
        "spark.driver.memory": "512m",
        "spark.python.worker.reuse": "true",
        "spark.executorEnv.PYTHONPATH": python_dir(),
        "spark.executorEnv.EMBER_NUM_THREADS": "1",
        "spark.executorEnv.OPENBLAS_NUM_THREADS": "1",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        # A file is read as byte ranges of (size + open cost) / defaultParallelism bytes (the default open cost,
        # 4 MB, makes that 1 or 3 ranges for a small file); with 1 byte it is 2 ranges of one row group each:
        # 2 partitions, one per rank, and no shuffle.
        "spark.sql.files.openCostInBytes": "1",
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "spark.executor.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    }
    builder = SparkSession.builder.appName("ember-bench-spark-training")
    for k, v in settings.items():
        builder = builder.config(k, v)
    t0 = time.perf_counter()
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return cluster, spark, t_cluster, time.perf_counter() - t0


def run_spark(a, spark, case, parquet):
    import ember.spark
    from ember import nn
    t0 = time.perf_counter()
    df = spark.read.parquet(parquet)
    opt = ember.spark.Optimizer(make_model(case), df, nn.ClassNLLCriterion(), batch_size=BATCH,
                                feature_shape=CASES[case], num_workers=2)
    configure(opt, a.epochs).set_log(stream=None, log_every=0).set_max_retries(0)
    opt.optimize()
    wall = time.perf_counter() - t0
    r = summarize(opt.history(), opt.log, None, distributed=True)
    r.update(wall_s=wall, stage_s=opt.attempts[-1]["seconds"], partitions=df.rdd.getNumPartitions())
    return r


def run_read(spark, case, parquet):
    """The training stage's data path alone: a barrier mapInArrow whose tasks pull their Arrow batches and
    convert them to NumPy with the stage's own helper (ember.spark._worker._batches_to_arrays), no training.
    Returns the driver's wall seconds and the slowest task's seconds."""
    import types

    import pyarrow as pa
    from pyspark.sql import functions as F

    from ember.spark import _compat, _worker
    job = types.SimpleNamespace(features_col="features", label_col="label", feature_shape=CASES[case],
                                dtype=np.float32)

    def task(batches):
        from pyspark import BarrierTaskContext
        t0 = time.perf_counter()
        x, y, _, _, _ = _worker._batches_to_arrays(job, batches)
        schema = pa.schema([("rank", pa.int32()), ("rows", pa.int64()), ("seconds", pa.float64())])
        yield pa.RecordBatch.from_pylist([{"rank": BarrierTaskContext.get().partitionId(), "rows": len(x),
                                           "seconds": time.perf_counter() - t0}], schema=schema)

    t0 = time.perf_counter()
    df = spark.read.parquet(parquet)
    df = df.select("features", "label", F.lit(0).cast("byte").alias(_worker._SPLIT_COL))
    rows = _compat.map_in_arrow(df, task, "rank int, rows long, seconds double", barrier=True).collect()
    return {"wall_s": time.perf_counter() - t0, "task_s": max(r["seconds"] for r in rows),
            "rows": sorted((r["rank"], r["rows"]) for r in rows)}


def warm_up(spark, case, parquet):
    """The first training job of a session pays one-off costs (JVM class loading and JIT of the read path,
    Python workers started and importing ember; spark.python.worker.reuse keeps them): one iteration, through
    the same path, before the measured runs. Returns (wall seconds, partitions)."""
    import ember.spark
    from ember import nn, optim
    t0 = time.perf_counter()
    df = spark.read.parquet(parquet)
    opt = ember.spark.Optimizer(make_model(case), df, nn.ClassNLLCriterion(), batch_size=BATCH,
                                feature_shape=CASES[case], num_workers=2)
    opt.set_end_when(optim.max_iteration(1)).set_log(stream=None).set_max_retries(0)
    opt.optimize()
    return time.perf_counter() - t0, df.rdd.getNumPartitions()


def load1():
    return os.getloadavg()[0]


def per_iteration_ms(timing):
    n = max(timing["iterations"], 1)
    ms = {k: 1e3 * timing[k] / n for k in ("data", "forward", "backward", "update", "reduce_scatter", "all_gather")}
    ms["compute"] = ms["forward"] + ms["backward"]
    ms["total"] = 1e3 * timing["total"] / n
    return ms


def median_of(rounds, *path):
    vals = []
    for r in rounds:
        v = r
        for k in path:
            v = v[k]
        vals.append(v)
    return statistics.median(vals)


def fmt_rate(v):
    return f"{v / 1000:.1f}k" if v >= 10000 else f"{v:.0f}"


RUNS = (("local", "local"), ("passive", "local, passive wait"), ("procs", "2 procs"), ("spark", "Spark"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="rounds (medians are reported)")
    ap.add_argument("--threads", type=int, default=2, help="threads of the local run (= ranks x 1 thread)")
    ap.add_argument("--only", default="lenet5,resnet20")
    ap.add_argument("--resnet-samples", type=int, default=2048)
    # Internal: the subprocesses.
    ap.add_argument("--role", choices=["main", "local", "rank"], default="main", help=argparse.SUPPRESS)
    ap.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    ap.add_argument("--rank", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--rendezvous", help=argparse.SUPPRESS)
    ap.add_argument("--data-dir", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.role == "local":
        return role_local(a)
    if a.role == "rank":
        return role_rank(a)

    cases = [c for c in a.only.split(",") if c]
    for c in cases:
        if c not in CASES:
            sys.exit(f"--only: unknown case {c!r}, expected some of {sorted(CASES)}")
    if "lenet5" in cases and not os.path.exists(os.path.join(ROOT, "data", "mnist")):
        sys.exit("MNIST not found in data/mnist (scripts/fetch-data)")
    t_bench = time.perf_counter()
    print(f"# bench/spark_training.py: batch {BATCH}, SGD(0.05, momentum 0.9), {a.epochs} epochs, "
          f"local {a.threads} threads vs 2 ranks x 1 thread, {a.repeat} round(s); load average at start "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores", flush=True)

    # Data: written once, outside every timing.
    tmp = tempfile.mkdtemp(prefix="ember_bench_spark_")
    data_dirs, parquets = {}, {}
    for case in cases:
        d = os.path.join(tmp, case)
        os.makedirs(d)
        if case == "resnet20":
            rng = np.random.default_rng(0)
            x = rng.standard_normal((a.resnet_samples, 3, 32, 32), dtype=np.float32)
            y = rng.integers(0, 10, a.resnet_samples).astype(np.int64)
            np.save(os.path.join(d, "x.npy"), x)
            np.save(os.path.join(d, "y.npy"), y)
        else:
            x, y = load(case, d)
        parquets[case] = os.path.join(d, "train.parquet")
        write_parquet(parquets[case], x, y)
        data_dirs[case] = d
        del x, y

    cluster, spark, t_cluster, t_session = start_spark()
    results = {c: [] for c in cases}
    try:
        t_warm, parts = warm_up(spark, cases[0], parquets[cases[0]])
        print(f"# one-off, in no figure below: standalone cluster (2 workers x 1 core) started in {t_cluster:.1f} s, "
              f"SparkSession in {t_session:.1f} s, the session's first training job ({cases[0]}, 1 iteration: JVM "
              f"warm-up, Python workers starting and importing ember) {t_warm:.1f} s; the Parquet file is read as "
              f"{parts} partitions", flush=True)
        for rnd in range(a.repeat):
            for case in cases:
                r = {}
                runs = [("local", lambda: run_local(a, case, data_dirs[case])),
                        ("passive", lambda: run_local(a, case, data_dirs[case], passive=True)),
                        ("procs", lambda: run_two_ranks(a, case, data_dirs[case])),
                        ("spark", lambda: run_spark(a, spark, case, parquets[case])),
                        ("read", lambda: run_read(spark, case, parquets[case]))]
                # The order turns every round, so a drift in the others' load does not always hit the same one.
                for name, fn in runs[rnd % len(runs):] + runs[:rnd % len(runs)]:
                    load_before = load1()
                    r[name] = fn()
                    r[name]["load"] = load_before
                    if name == "read":
                        print(f"  round {rnd + 1} {case} Spark data path alone: {r[name]['wall_s']:.1f} s wall, "
                              f"{r[name]['task_s']:.1f} s in the slowest task, rows per rank {r[name]['rows']}, "
                              f"load {load_before:.2f}", flush=True)
                        continue
                    print(f"  round {rnd + 1} {case} {name}: last epoch {r[name]['steady']:.0f} rec/s, end to end "
                          f"{r[name]['records'] / r[name]['wall_s']:.0f} rec/s ({r[name]['wall_s']:.1f} s wall, "
                          f"{r[name]['train_s']:.1f} s training), last loss {r[name]['last_loss']:.5f}, "
                          f"load {load_before:.2f}", flush=True)
                if r["spark"]["partitions"] != 2:
                    print(f"  note: Spark read {case}'s Parquet as {r['spark']['partitions']} partitions "
                          "(repartitioned to 2 in the stage: a shuffle inside the Spark figures)")
                results[case].append(r)
    finally:
        spark.stop()
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n# load average at end {' '.join(f'{v:.2f}' for v in os.getloadavg())}; whole bench "
          f"{time.perf_counter() - t_bench:.0f} s\n")

    # (c) Throughput.
    print(f"## Throughput (records/s; local: 1 process x {a.threads} threads, OpenMP's default wait policy and "
          "OMP_WAIT_POLICY=passive; 2 procs and Spark: 2 ranks x 1 thread)\n")
    print("| case | figure | local | local, passive wait | 2 procs | Spark | Spark / local | Spark / local passive | "
          "Spark / 2 procs | Spark overhead vs best local | target |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for case in cases:
        rs = results[case]
        for fig in ("steady", "e2e"):
            v = {}
            for name, _ in RUNS:
                if fig == "steady":
                    v[name] = median_of(rs, name, "steady")
                else:
                    v[name] = statistics.median(r[name]["records"] / r[name]["wall_s"] for r in rs)
            best = max(v["local"], v["passive"])
            label = "last epoch" if fig == "steady" else "end to end"
            print(f"| {case} | {label} | {fmt_rate(v['local'])} | {fmt_rate(v['passive'])} | {fmt_rate(v['procs'])} | "
                  f"{fmt_rate(v['spark'])} | {v['spark'] / v['local']:.2f}x | {v['spark'] / v['passive']:.2f}x | "
                  f"{v['spark'] / v['procs']:.2f}x | {100 * (1 - v['spark'] / best):.0f}% | < 10% |")

    # (b) Synchronisation per iteration.
    print("\n## Per iteration (ms): 2 ranks x 1 thread, each computing half the batch; local (whole batch) for "
          "reference\n")
    print("| case | run | compute | reduce-scatter | update | all-gather | data | collectives per iteration |")
    print("|---|---|---|---|---|---|---|---|")
    for case in cases:
        rs = results[case]
        rows = [("local", [per_iteration_ms(r["local"]["timing"]) for r in rs]),
                ("local, passive wait", [per_iteration_ms(r["passive"]["timing"]) for r in rs]),
                ("2 procs rank 0", [per_iteration_ms(r["procs"]["timing"]) for r in rs]),
                ("2 procs rank 1", [per_iteration_ms(r["procs"]["rank1_timing"]) for r in rs])]
        spark_ms = []
        for r in rs:
            p = r["spark"]["log_phases"]
            m = {"compute": p.get("compute", 0.0), "reduce_scatter": p.get("reduce-scatter", 0.0),
                 "update": p.get("update", 0.0), "all_gather": p.get("all-gather", 0.0), "data": p.get("data", 0.0)}
            m["total"] = sum(m.values())
            spark_ms.append(m)
        rows.append(("Spark rank 0 (its log)", spark_ms))
        for label, ms in rows:
            med = {k: statistics.median(m[k] for m in ms)
                   for k in ("compute", "reduce_scatter", "update", "all_gather", "data", "total")}
            coll = med["reduce_scatter"] + med["all_gather"]
            share = "-" if label.startswith("local") else f"{coll:.2f} ms ({100 * coll / med['total']:.1f}%)"
            print(f"| {case} | {label} | {med['compute']:.2f} | {med['reduce_scatter']:.2f} | {med['update']:.2f} | "
                  f"{med['all_gather']:.2f} | {med['data']:.2f} | {share} |")

    # Spark's own overhead.
    print("\n## Where the wall time goes (s): wall (process spawn to exit; Spark: the driver's read.parquet + "
          "optimize()) against rank 0's training (its epoch times)\n")
    print("| case | run | wall | rank 0 training | outside training | in the stage | on the driver | "
          "outside training / wall |")
    print("|---|---|---|---|---|---|---|---|")
    for case in cases:
        rs = results[case]
        for name, label in RUNS:
            wall = median_of(rs, name, "wall_s")
            train = median_of(rs, name, "train_s")
            if name == "spark":
                stage = median_of(rs, "spark", "stage_s")
                in_stage, driver = f"{stage - train:.1f}", f"{wall - stage:.1f}"
            else:
                in_stage = driver = "-"
            print(f"| {case} | {label} | {wall:.1f} | {train:.1f} | {wall - train:.1f} | {in_stage} | {driver} | "
                  f"{100 * (wall - train) / wall:.0f}% |")
    print("\nThe Spark stage's data path alone (a barrier mapInArrow converting each rank's Parquet rows to NumPy "
          "as the training stage does, no training): " +
          "; ".join(f"{c} {median_of(results[c], 'read', 'wall_s'):.1f} s wall, "
                    f"{median_of(results[c], 'read', 'task_s'):.1f} s in the slowest task" for c in cases))
    loads = [r[n]["load"] for c in cases for r in results[c] for n in ("local", "passive", "procs", "spark", "read")]
    print(f"\nLoad average (1 min) at the start of the runs: {min(loads):.2f}-{max(loads):.2f} on {os.cpu_count()} "
          "cores. Last losses, 2 procs / Spark (the same halves, so they should agree): " +
          ", ".join(f"{c} {results[c][-1]['procs']['last_loss']:.5f} / {results[c][-1]['spark']['last_loss']:.5f}"
                    for c in cases))


if __name__ == "__main__":
    main()
