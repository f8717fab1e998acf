"""ember.spark.Optimizer on the real standalone cluster (2 workers x 1 core): distributed equals local,
uneven partitions, LeNet-5 on MNIST from a DataFrame, a killed Python worker mid-training, and the errors
for bad input."""

import copy
import os
import signal
import threading
import time

import numpy as np
import pytest

import ember
from ember import models, nn, optim

pytest.importorskip("pyarrow")
from ember.spark import Optimizer, TrainingError  # noqa: E402

D, C = 5, 3


def small_model(dtype):
    ember.manual_seed(3)
    return nn.Sequential(nn.Linear(D, 8), nn.Tanh(), nn.Linear(8, C), nn.LogSoftMax()).to(dtype)


def partitioned_df(spark, parts, dtype="double"):
    """A DataFrame whose partition i holds exactly the rows of parts[i] (x [n, D], y [n]), in order."""
    rows = [(i, ([float(v) for v in x[j]], int(y[j]))) for i, (x, y) in enumerate(parts) for j in range(len(x))]
    rdd = spark.sparkContext.parallelize(rows, 1).partitionBy(len(parts), lambda i: i).values()
    df = spark.createDataFrame(rdd, f"features array<{dtype}>, label long")
    assert df.rdd.getNumPartitions() == len(parts)
    return df


def local_equivalent(parts, shares, iterations):
    """The local data set whose batch k is the union of every rank's batch k: rank r reads its shard in order,
    shares[r] rows per iteration, starting again at its first row when it runs out (shuffle off)."""
    xs, ys = [], []
    for k in range(iterations):
        for (x, y), b in zip(parts, shares):
            idx = [(k * b + i) % len(x) for i in range(b)]
            xs.append(x[idx])
            ys.append(y[idx])
    return np.concatenate(xs), np.concatenate(ys)


def flat_weights(model):
    return np.array(np.asarray(model.get_parameters()[0]))


def train_both(spark, parts, batch, iterations, dtype, method, transform=None):
    world = len(parts)
    shares = [batch // world + (1 if r < batch % world else 0) for r in range(world)]
    model = small_model(dtype)
    local_model = copy.deepcopy(model)

    df = partitioned_df(spark, [(x, y) for x, y in parts], "double" if dtype == ember.float64 else "float")
    opt = Optimizer(model, df, nn.ClassNLLCriterion(), batch_size=batch, num_workers=world)
    opt.set_optim_method(copy.deepcopy(method)).set_end_when(optim.max_iteration(iterations))
    opt.set_data_options(shuffle=False).set_log(stream=None)
    if transform is not None:
        opt.set_transform(transform)
    trained = opt.optimize()
    assert trained is model

    x, y = local_equivalent(parts, shares, iterations)
    if transform is not None:
        x = np.stack([np.asarray(transform(row)) for row in x])
    np_dtype = np.float64 if dtype == ember.float64 else np.float32
    local = optim.Optimizer(local_model, (x.astype(np_dtype), y), nn.ClassNLLCriterion(), batch_size=batch)
    local.set_optim_method(copy.deepcopy(method)).set_end_when(optim.max_iteration(iterations))
    local.set_data_options(shuffle=False).set_log(stream=None)
    local.optimize()
    return opt, flat_weights(model), flat_weights(local_model)


def relative_difference(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


@pytest.mark.parametrize("dtype,tolerance", [(ember.float64, 1e-10), (ember.float32, 1e-4)])
def test_two_ranks_equal_local_training(spark, dtype, tolerance):
    rng = np.random.default_rng(5)
    parts = [(rng.standard_normal((48, D)), rng.integers(0, C, 48)) for _ in range(2)]
    method = optim.SGD(learning_rate=0.1, momentum=0.9, weight_decay=1e-3)
    opt, dist_w, local_w = train_both(spark, parts, batch=16, iterations=14, dtype=dtype, method=method)
    assert len(opt.history()) == 14
    assert relative_difference(dist_w, local_w) <= tolerance
    assert not np.array_equal(dist_w, flat_weights(small_model(dtype)))  # it did train


def test_a_lambda_feature_transform_travels_and_equals_local_training(spark):
    """set_transform with a Lambda around a Python lambda: Spark's cloudpickle carries the function (plain pickle
    cannot), every rank applies it to its rows, and the result equals local training on transformed rows."""
    from ember import data

    rng = np.random.default_rng(8)
    parts = [(rng.standard_normal((24, D)), rng.integers(0, C, 24)) for _ in range(2)]
    scale = data.Lambda("Scale", lambda s: (np.asarray(s.feature) * 3 - 1, s.labels))
    opt, dist_w, local_w = train_both(spark, parts, batch=8, iterations=6, dtype=ember.float64,
                                      method=optim.SGD(learning_rate=0.1), transform=scale)
    assert relative_difference(dist_w, local_w) <= 1e-10
    _, plain_w, _ = train_both(spark, parts, batch=8, iterations=6, dtype=ember.float64,
                               method=optim.SGD(learning_rate=0.1))
    assert relative_difference(dist_w, plain_w) > 1e-3  # the transform changed what was trained on
    with pytest.raises(TypeError, match=r"\[ember.spark.Optimizer.set_transform\] expected an ember.data.Transformer, "
                                        r"got function"):
        opt.set_transform(lambda x: x)


def test_uneven_partitions_and_a_batch_not_divisible_by_the_ranks(spark):
    rng = np.random.default_rng(6)
    parts = [(rng.standard_normal((n, D)), rng.integers(0, C, n)) for n in (37, 20)]
    opt, dist_w, local_w = train_both(spark, parts, batch=7, iterations=18, dtype=ember.float64,
                                      method=optim.Adam(learning_rate=0.01))
    history = opt.history()
    # ceil(57 / 7) = 9 iterations per epoch, on every rank.
    assert [h["epoch"] for h in history] == [1] * 9 + [2] * 9
    assert relative_difference(dist_w, local_w) <= 1e-10


# LeNet-5 on MNIST from a Parquet DataFrame: the accuracy target, then a killed Python worker.

def mnist_parquet(mnist_dir, out):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from ember import data
    paths = []
    for split, train in (("train", True), ("test", False)):
        ds = data.load_mnist(mnist_dir, train=train)
        x = np.ascontiguousarray(np.asarray(ds.features).reshape(len(ds), -1), np.float32)
        features = pa.FixedSizeListArray.from_arrays(pa.array(x.reshape(-1)), x.shape[1]).cast(pa.list_(pa.float32()))
        path = os.path.join(out, f"{split}.parquet")
        pq.write_table(pa.table({"features": features, "label": np.asarray(ds.labels).astype(np.int64)}), path)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def mnist_frames(spark, mnist_dir, tmp_path_factory):
    train_path, test_path = mnist_parquet(mnist_dir, str(tmp_path_factory.mktemp("mnist")))
    return spark.read.parquet(train_path), spark.read.parquet(test_path)


EPOCHS = 3


def lenet_optimizer(train_df, test_df, checkpoint_dir):
    ember.manual_seed(1)
    model = models.lenet5(num_classes=10)
    opt = Optimizer(model, train_df, nn.ClassNLLCriterion(), batch_size=128, feature_shape=(1, 28, 28), num_workers=2)
    opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9, weight_decay=5e-4))
    opt.set_end_when(optim.max_epoch(EPOCHS))
    opt.set_validation(optim.every_epoch(), test_df, [optim.Top1Accuracy()])
    opt.set_checkpoint(checkpoint_dir, optim.several_iteration(100))
    return model, opt


@pytest.fixture(scope="module")
def undisturbed(mnist_frames, tmp_path_factory):
    train_df, test_df = mnist_frames
    model, opt = lenet_optimizer(train_df, test_df, str(tmp_path_factory.mktemp("ckpt")))
    opt.optimize()
    top1 = opt.validation_history()[-1]["results"][0]
    return model, opt, top1


def test_lenet5_on_mnist_from_a_dataframe(undisturbed, mnist_frames):
    model, opt, top1 = undisturbed
    assert top1.count == 10000
    assert top1.value >= 0.985, top1
    # The validation merged over ranks equals evaluating the model on the driver's DataFrame.
    [again] = ember.spark.evaluate(model, mnist_frames[1], [optim.Top1Accuracy()], feature_shape=(1, 28, 28))
    assert int(again.total) == int(top1.total)
    assert "[Validation]" in opt.log and "reduce-scatter" in opt.log
    assert opt.live_log_lines >= EPOCHS * 2  # epoch summaries and validation lines reached the driver live


def python_workers():
    """pid -> cumulative CPU ticks of the Python workers forked by pyspark.daemon."""
    daemons, children = set(), {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ")
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if b"pyspark.daemon" in cmd:
            children[int(pid)] = (int(stat[1]), int(stat[11]) + int(stat[12]))  # ppid, utime + stime
    for pid, (ppid, _) in children.items():
        if ppid not in children:
            daemons.add(pid)
    return {pid: ticks for pid, (ppid, ticks) in children.items() if ppid in daemons}


def busiest_python_worker():
    before = python_workers()
    time.sleep(0.5)
    after = python_workers()
    busy = {pid: after[pid] - before.get(pid, 0) for pid in after}
    return max(busy, key=busy.get) if busy else None


def test_killed_python_worker_resumes_from_checkpoint(mnist_frames, undisturbed, tmp_path, capsys):
    train_df, test_df = mnist_frames
    ckpt = str(tmp_path / "ckpt")
    model, opt = lenet_optimizer(train_df, test_df, ckpt)
    done = {}
    t = threading.Thread(target=lambda: done.setdefault("model", opt.optimize()), daemon=True)
    t.start()
    deadline = time.time() + 300
    while not os.path.exists(os.path.join(ckpt, "latest")) and time.time() < deadline and t.is_alive():
        time.sleep(0.2)
    assert os.path.exists(os.path.join(ckpt, "latest")), "no checkpoint was written"
    victim = busiest_python_worker()
    assert victim is not None
    os.kill(victim, signal.SIGKILL)
    t.join(600)
    assert not t.is_alive() and "model" in done
    err = capsys.readouterr().err
    assert "training stage failed (attempt 1 of 3)" in err and "Python worker exited unexpectedly" in err
    assert "rank 0 resumed from" in err
    assert opt.attempts[0]["failed"] and opt.attempts[-1]["resumed_from"]
    top1 = opt.validation_history()[-1]["results"][0]
    print(f"killed worker pid {victim}: attempts {opt.attempts}; accuracy {top1.value:.4f} vs undisturbed "
          f"{undisturbed[2].value:.4f}")
    assert abs(top1.value - undisturbed[2].value) <= 0.003, (top1, undisturbed[2])


# Bad input: clear errors on the driver, naming the rank and the cause.

def test_label_out_of_range_names_the_rank(spark):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((20, D))
    parts = [(x[:10], rng.integers(0, C, 10)), (x[10:], np.full(10, 7))]
    df = partitioned_df(spark, parts)
    opt = Optimizer(small_model(ember.float64), df, nn.ClassNLLCriterion(), batch_size=4, num_workers=2)
    opt.set_end_when(optim.max_iteration(3)).set_data_options(shuffle=False).set_log(stream=None)
    with pytest.raises(TrainingError, match=r"training failed on rank 1 of 2: .*7") as e:
        opt.optimize()
    assert e.value.rank == 1


def test_an_empty_partition_is_repartitioned(spark, capsys):
    rng = np.random.default_rng(8)
    parts = [(rng.standard_normal((10, D)), rng.integers(0, C, 10)), (np.zeros((0, D)), np.zeros(0, np.int64))]
    opt = Optimizer(small_model(ember.float64), partitioned_df(spark, parts), nn.ClassNLLCriterion(), batch_size=4,
                    num_workers=2)
    opt.set_end_when(optim.max_epoch(1))
    opt.optimize()
    assert len(opt.history()) == 3  # ceil(10 / 4) on the repartitioned rows
    assert ("[ember.spark] rank 1 received no training rows (10 rows over 2 partitions): repartitioning the data "
            "into 2 partitions") in capsys.readouterr().err


def test_fewer_rows_than_ranks_names_the_rank(spark):
    parts = [(np.ones((1, D)), np.zeros(1, np.int64)), (np.zeros((0, D)), np.zeros(0, np.int64))]
    opt = Optimizer(small_model(ember.float64), partitioned_df(spark, parts), nn.ClassNLLCriterion(), batch_size=4,
                    num_workers=2)
    with pytest.raises(TrainingError, match=r"rank 1 of 2: rank 1 received no training rows \(1 rows over 2 "
                                            r"partitions\): use fewer workers \(num_workers\)"):
        opt.optimize()


def test_feature_length_that_does_not_match_feature_shape(spark):
    rng = np.random.default_rng(9)
    df = partitioned_df(spark, [(rng.standard_normal((8, D)), rng.integers(0, C, 8))] * 2)
    opt = Optimizer(small_model(ember.float64), df, nn.ClassNLLCriterion(), batch_size=4, feature_shape=(2, 3),
                    num_workers=2)
    with pytest.raises(TrainingError, match=r"rank 0 of 2: .*features"):
        opt.optimize()


def test_wrong_column_type_fails_on_the_driver_before_any_job(spark):
    df = spark.createDataFrame([("a", 1)], "features string, label long")
    opt = Optimizer(small_model(ember.float64), df, nn.ClassNLLCriterion(), batch_size=2, num_workers=2)
    with pytest.raises(TypeError, match=r"features"):
        opt.optimize()


def test_settings_that_cannot_reach_the_executors_fail_at_once(spark):
    df = spark.createDataFrame([([0.0] * D, 1)], "features array<double>, label long")
    opt = Optimizer(small_model(ember.float64), df, nn.ClassNLLCriterion(), batch_size=2)
    with pytest.raises(ValueError, match="custom trigger"):
        opt.set_end_when(optim.Trigger("mine", lambda s: True))
    with pytest.raises(ValueError, match=r"batch_size 1 is smaller than the number of ranks \(2\)"):
        Optimizer(small_model(ember.float64), df, nn.ClassNLLCriterion(), batch_size=1, num_workers=2).optimize()


def test_rdd_of_numpy_pairs_and_samples_equal_local_training(spark):
    rng = np.random.default_rng(10)
    parts = [(rng.standard_normal((24, D)), rng.integers(0, C, 24)) for _ in range(2)]
    model = small_model(ember.float64)
    local_model = copy.deepcopy(model)
    rows = [(i, (x[j], int(y[j]))) for i, (x, y) in enumerate(parts) for j in range(len(x))]
    rdd = spark.sparkContext.parallelize(rows, 1).partitionBy(2, lambda i: i).values()
    opt = Optimizer(model, rdd, nn.ClassNLLCriterion(), batch_size=8, num_workers=2)
    opt.set_optim_method(optim.SGD(learning_rate=0.1)).set_end_when(optim.max_iteration(6))
    opt.set_data_options(shuffle=False).set_log(stream=None)
    opt.optimize()

    x, y = local_equivalent(parts, [4, 4], 6)
    local = optim.Optimizer(local_model, (x, y), nn.ClassNLLCriterion(), batch_size=8)
    local.set_optim_method(optim.SGD(learning_rate=0.1)).set_end_when(optim.max_iteration(6))
    local.set_data_options(shuffle=False).set_log(stream=None)
    local.optimize()
    assert relative_difference(flat_weights(model), flat_weights(local_model)) <= 1e-10

    samples = rdd.map(lambda p: ember.data.Sample(p[0], np.array([p[1]])))
    opt = Optimizer(small_model(ember.float64), samples, nn.ClassNLLCriterion(), batch_size=8, num_workers=2)
    opt.set_optim_method(optim.SGD(learning_rate=0.1)).set_end_when(optim.max_iteration(6))
    opt.set_data_options(shuffle=False).set_log(stream=None)
    trained = opt.optimize()
    assert relative_difference(flat_weights(trained), flat_weights(local_model)) <= 1e-10
