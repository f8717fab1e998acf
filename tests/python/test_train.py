"""ember.optim.Optimizer (the C++ train::Optimizer), evaluate and Module.evaluate."""

import math
import os
import pathlib
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import ember
from ember import io, models, nn, optim

ROOT = pathlib.Path(__file__).resolve().parents[2]


def blobs(rng, n=600, classes=3, dims=2):
    centers = np.array([[6.0 * math.cos(2 * math.pi * k / classes), 6.0 * math.sin(2 * math.pi * k / classes)]
                        + [0.0] * (dims - 2) for k in range(classes)])
    y = rng.integers(0, classes, n)
    x = (centers[y] + rng.normal(size=(n, dims))).astype(np.float32)
    return x, y.astype(np.int64)


def mlp(n_in=2, hidden=16, n_out=3):
    """A small MLP when nn.Sequential and the layer classes are bound, else a softmax regression (a Linear
    layer with CrossEntropyCriterion): the data below are linearly separable either way."""
    if hasattr(nn, "Sequential") and hasattr(nn, "Linear"):
        try:
            model = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, n_out), nn.LogSoftMax())
            return model, nn.create_criterion("nn.ClassNLLCriterion")
        except Exception:  # the nn binding spells it differently: fall back
            pass
    return (nn.create("nn.Linear", in_features=n_in, out_features=n_out),
            nn.create_criterion("nn.CrossEntropyCriterion"))


def copy_model(model):
    return io.model_from_bytes(io.model_to_bytes(model))


def predict(model, x):
    model.evaluate()
    return np.array(model.forward(x), copy=True)


def accuracy(model, x, y):
    return float((predict(model, x).argmax(1) == y).mean())


def quiet(opt):
    return opt.set_log(stream=None)


def test_trains_an_mlp_and_records_history(rng):
    x, y = blobs(rng)
    xv, yv = blobs(rng, 300)
    model, crit = mlp()
    sgd = optim.SGD(learning_rate=0.1, momentum=0.9).set_schedule(optim.EpochStep(1, 0.5))
    opt = quiet(optim.Optimizer(model, (x, y), crit, batch_size=50))
    same = (opt.set_optim_method(sgd).set_end_when(optim.max_epoch(4))
            .set_validation(optim.every_epoch(), (xv, yv), [optim.Top1Accuracy(), "loss"]))
    assert same is opt
    trained = opt.optimize()
    assert trained is model
    assert accuracy(model, xv, yv) > 0.95

    h = opt.history()
    assert len(h) == 4 * 12 and opt.state.iteration == 48 and opt.state.epoch == 5
    assert [r["iteration"] for r in h] == list(range(1, 49))
    assert [r["epoch"] for r in h] == [e for e in range(1, 5) for _ in range(12)]
    assert [r["learning_rate"] for r in h[::12]] == pytest.approx([0.1, 0.05, 0.025, 0.0125])
    assert all(r["throughput"] > 0 and math.isfinite(r["loss"]) for r in h)
    assert h[-1]["loss"] < h[0]["loss"]

    v = opt.validation_history()
    assert [(r["epoch"], r["iteration"]) for r in v] == [(1, 12), (2, 24), (3, 36), (4, 48)]
    top1, loss = v[-1]["results"]
    assert isinstance(top1, optim.ValidationResult) and top1.name == "Top1Accuracy" and loss.name == "Loss"
    assert top1.count == 300 and top1.value == pytest.approx(accuracy(model, xv, yv))
    assert opt.state.score == pytest.approx(top1.value)
    assert set(opt.timing) >= {"data", "forward", "backward", "update", "total"}


def test_trains_lenet5_on_a_synthetic_image_task(rng):
    n = 640
    y = rng.integers(0, 4, n)
    x = rng.normal(0, 0.3, size=(n, 1, 28, 28)).astype(np.float32)
    for i, c in enumerate(y):  # a bright square in quadrant c
        r, q = divmod(int(c), 2)
        x[i, 0, 3 + 14 * r:11 + 14 * r, 3 + 14 * q:11 + 14 * q] += 2.0
    model = models.lenet5(num_classes=4)
    opt = quiet(optim.Optimizer(model, (x[:512], y[:512]), nn.create_criterion("nn.ClassNLLCriterion"), 32))
    opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9)).set_end_when(optim.max_epoch(3)).optimize()
    [top1] = optim.evaluate(model, x[512:], y[512:], [optim.Top1Accuracy()], batch_size=64)
    assert top1.value > 0.95


def run_training(model, x, y, crit, camel):
    if camel:
        opt = optim.Optimizer(model=model, training_rdd=(x, y), criterion=crit, batch_size=40,
                              optim_method=optim.SGD(learning_rate=0.05, momentum=0.9),
                              end_trigger=optim.MaxEpoch(2))
        opt.setValidation(40, (x, y), optim.EveryEpoch(), [optim.Top1Accuracy()])
        opt.setGradientClippingByl2Norm(1.0).setConstantGradientClipping(-0.5, 0.5).disableGradientClipping()
        opt.setGradientClippingByl2Norm(1.0)
    else:
        opt = optim.Optimizer(model, (x, y), crit, 40)
        opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9)).set_end_when(optim.max_epoch(2))
        opt.set_validation(optim.every_epoch(), (x, y), [optim.Top1Accuracy()], 40)
        opt.set_gradient_clipping_by_l2_norm(1.0)
    quiet(opt).optimize()
    return opt


def test_camel_case_aliases_behave_like_snake_case(rng):
    x, y = blobs(rng, 400)
    model, crit = mlp()
    a = run_training(copy_model(model), x, y, crit, camel=False)
    b = run_training(copy_model(model), x, y, crit, camel=True)
    assert [r["loss"] for r in a.history()] == [r["loss"] for r in b.history()]
    assert [r["results"][0].total for r in a.validation_history()] == \
           [r["results"][0].total for r in b.validation_history()]
    np.testing.assert_array_equal(predict(a.model, x), predict(b.model, x))
    # BigDL's positional order: (model, training_rdd, criterion, end_trigger, batch_size, optim_method).
    c = optim.Optimizer(copy_model(model), (x, y), crit, optim.MaxIteration(3), 16, optim.Adam())
    assert isinstance(c.optim_method, optim.Adam) and repr(c.end_when) == "max_iteration(3)"
    quiet(c).optimize()
    assert len(c.history()) == 3
    d = optim.Optimizer.create(copy_model(model), (x, y), crit, optim.MaxIteration(2), 16)
    quiet(d).optimize()
    assert len(d.history()) == 2
    for name in ["setOptimMethod", "setEndWhen", "setValidation", "setCheckpoint", "setTrainSummary",
                 "setValidationSummary", "setConstantGradientClipping", "setGradientClippingByl2Norm",
                 "disableGradientClipping", "optimize"]:
        assert callable(getattr(c, name))


def test_checkpoint_then_resume_equals_an_uninterrupted_run(rng, tmp_path):
    x, y = blobs(rng, 300)
    model, crit = mlp()

    def make(m, epochs):
        o = optim.Optimizer(m, (x, y), crit, 32)
        o.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9, weight_decay=1e-3))
        return quiet(o.set_end_when(optim.max_epoch(epochs)))

    straight = copy_model(model)
    make(straight, 4).optimize()

    first = make(copy_model(model), 2).set_checkpoint(tmp_path / "ckpt", optim.every_epoch(), keep_last=2)
    first.optimize()
    assert first.last_checkpoint.endswith(io.CheckpointManager.checkpoint_name(20))
    assert io.CheckpointManager.latest(tmp_path / "ckpt") == first.last_checkpoint
    assert sorted(os.listdir(tmp_path / "ckpt")) == ["checkpoint-0000000010", "checkpoint-0000000020", "latest"]

    resumed_model = copy_model(model)
    resumed = make(resumed_model, 4).resume_from(tmp_path / "ckpt")
    resumed.optimize()
    assert resumed.history()[0]["iteration"] == 21 and resumed.history()[0]["epoch"] == 3
    np.testing.assert_array_equal(predict(resumed_model, x), predict(straight, x))

    with pytest.raises(ValueError, match="batch_size"):
        o = optim.Optimizer(copy_model(model), (x, y), crit, 16).set_optim_method(optim.SGD(learning_rate=0.05))
        quiet(o).resume_from(tmp_path / "ckpt").optimize()


def test_evaluate_function_and_module_method(rng):
    x, y = blobs(rng, 200)
    model, crit = mlp()
    quiet(optim.Optimizer(model, (x, y), crit, 50).set_end_when(optim.max_epoch(1))).optimize()
    scores = predict(model, x)
    expected = float((scores.argmax(1) == y).sum())
    top1, loss = optim.evaluate(model, x, y, [optim.Top1Accuracy(), optim.Loss(crit)], batch_size=7)
    assert (top1.total, top1.count) == (expected, 200)
    assert loss.count == 200 and loss.value > 0
    assert optim.evaluate(model, (x, y))[0].total == expected                  # default [Top1Accuracy()]
    assert model.evaluate(x, y, ["top1"], batch_size=64)[0].total == expected
    assert model.evaluate((x, y), 64, [optim.Top1Accuracy()])[0].total == expected  # BigDL's order
    assert model.evaluate() is model                                          # BigDL: evaluation mode
    with pytest.raises(IndexError):
        optim.evaluate(model, x, np.full(200, 7))
    with pytest.raises(ValueError, match="batch_size"):
        optim.evaluate(model, x, y, batch_size=0)


def test_python_transform_is_applied(rng):
    x, y = blobs(rng, 300)
    model, crit = mlp()
    calls = []

    def flip(features, label, seed):
        assert not features.flags.writeable and isinstance(seed, int)
        calls.append(int(label))
        return -features

    opt = quiet(optim.Optimizer(model, (x, y), crit, 30)).set_end_when(optim.max_epoch(3))
    opt.set_optim_method(optim.SGD(learning_rate=0.1)).set_train_transform(flip).set_data_options(seed=5, num_workers=2)
    opt.optimize()
    assert len(calls) == 900 and sorted(calls) == sorted(np.tile(y, 3).tolist())
    assert accuracy(model, -x, y) > 0.95 and accuracy(model, x, y) < 0.7


def test_wrong_arguments_raise_type_errors(rng):
    x, y = blobs(rng, 50)
    model, crit = mlp()
    with pytest.raises(TypeError, match=r"training_set: expected a \(features, labels\) pair of NumPy arrays or an "
                                        r"ember.data.DataSet, got int"):
        optim.Optimizer(model, 123, crit)
    with pytest.raises(TypeError, match="missing the criterion"):
        optim.Optimizer(model, (x, y))
    with pytest.raises(TypeError):
        optim.Optimizer("model", (x, y), crit)
    with pytest.raises(TypeError, match="batch_size: expected an int, got float"):
        optim.Optimizer(model, (x, y), crit, 2.5)
    with pytest.raises(TypeError, match="unsupported dtype float16"):
        optim.Optimizer(model, (x.astype(np.float16), y), crit)
    with pytest.raises(ValueError):
        optim.Optimizer(model, (x, y[:10]), crit)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        optim.Optimizer(model, (x, y), crit, 0)
    opt = optim.Optimizer(model, (x, y), crit)
    with pytest.raises(TypeError, match="expected an ember.optim.OptimMethod"):
        opt.set_optim_method("sgd")
    with pytest.raises(TypeError, match="expected an ember.optim.Trigger"):
        opt.set_end_when(5)
    with pytest.raises(TypeError, match="validation methods: expected"):
        opt.set_validation(optim.every_epoch(), (x, y), [3])
    with pytest.raises(TypeError, match="needs a trigger and a validation set"):
        opt.set_validation(val_set=(x, y))
    with pytest.raises(TypeError, match="transform: expected None"):
        opt.set_train_transform(5)
    with pytest.raises(ValueError, match="stream"):
        opt.set_log(stream="file")
    with pytest.raises(ValueError, match="min <= max"):
        opt.set_constant_gradient_clipping(1.0, -1.0)
    with pytest.raises(ValueError, match="num_workers"):
        opt.set_data_options(num_workers=-1)


def test_ctrl_c_stops_training_cleanly():
    script = textwrap.dedent("""
        import os, signal, threading, time
        import numpy as np
        from ember import nn, optim
        x = np.random.rand(256, 8).astype(np.float32); y = (x[:, 0] > 0.5).astype(np.int64)
        model = nn.create("nn.Linear", in_features=8, out_features=2)
        opt = optim.Optimizer(model, (x, y), nn.create_criterion("nn.CrossEntropyCriterion"), 4)
        opt.set_end_when(optim.max_epoch(10 ** 6)).set_log(stream=None)
        threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t = time.time()
        try:
            opt.optimize()
            print("finished")
        except KeyboardInterrupt:
            print("interrupted", opt.interrupted, opt.state.iteration > 0, len(opt.history()) == opt.state.iteration,
                  time.time() - t < 30)
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "python"), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert out.stdout.strip() == "interrupted True True True True", out.stderr


# ---------------------------------------------------------------------------------------------------------
# LeNet-5 on MNIST, the recipe of scripts/train-mnist (apps/train.cpp) from Python.

@pytest.mark.slow
def test_lenet5_on_mnist_reaches_the_main_job_accuracy(mnist_dir):
    # scripts/train-mnist from Python, through the same pieces the CLI uses (apps/train.cpp, apps/datasets.cpp):
    # lenet5, SGD lr 0.05 momentum 0.9 weight decay 5e-4, lr x0.1 after epoch 10 (EpochStep), batch 128,
    # 15 epochs, seed 1, random shifts of up to 2 pixels filled with the normalized black.
    ember.manual_seed(1)
    train = ember.data.load_mnist(mnist_dir, True)
    test = ember.data.load_mnist(mnist_dir, False)
    black = -ember.data.MNIST_MEAN / ember.data.MNIST_STD
    model = models.lenet5(num_classes=10)
    opt = optim.Optimizer(model, train, nn.ClassNLLCriterion(), 128)
    sgd = optim.SGD(learning_rate=0.05, momentum=0.9, weight_decay=5e-4).set_schedule(optim.EpochStep(10, 0.1))
    opt.set_optim_method(sgd).set_end_when(optim.max_epoch(15))
    opt.set_validation(optim.every_epoch(), test, [optim.Top1Accuracy(), optim.Top5Accuracy(),
                                                   optim.Loss(nn.ClassNLLCriterion())])
    opt.set_train_transform(ember.data.RandomTranslate(translate=[2.0 / 28, 2.0 / 28], fill=black))
    opt.set_data_options(seed=1).set_log(stream="stdout", log_every=0)
    t = time.time()
    opt.optimize()
    top1 = opt.validation_history()[-1]["results"][0]
    print(f"\nLeNet-5 on MNIST from Python: test accuracy {100 * top1.value:.2f}% ({int(top1.total)}/{top1.count}) "
          f"in {time.time() - t:.0f} s")
    assert top1.count == 10000
    assert top1.value >= 0.989


def test_errors_in_a_python_transform_reach_the_caller(rng):
    x, y = blobs(rng, 200)
    model, crit = mlp()

    def bad(features, label, seed):
        if seed % 3 == 0:
            raise ValueError("bad sample")
        return features

    opt = quiet(optim.Optimizer(model, (x, y), crit, 10)).set_end_when(optim.max_epoch(2))
    opt.set_train_transform(bad).set_data_options(num_workers=2, prefetch=2)
    with pytest.raises(ValueError, match="bad sample"):
        opt.optimize()
    del opt  # joins the loader's workers without deadlocking on the GIL
    with pytest.raises(ValueError, match="bad sample"):
        optim.evaluate(model, x, y, transform=bad)


def test_log_goes_to_python_file_objects(monkeypatch):
    # A notebook's sys.stderr is a Python object, not the C-level stream: the log must reach it.
    import io
    rng = np.random.default_rng(0)
    x = rng.random((256, 4)).astype(np.float32)
    y = (x[:, 0] > 0.5).astype(np.int64)
    model = nn.Sequential(nn.Linear(4, 2), nn.LogSoftMax())
    buf = io.StringIO()
    opt = optim.Optimizer(model, (x, y), nn.ClassNLLCriterion(), 32).set_end_when(optim.max_epoch(2))
    opt.set_log(stream=buf, log_every=4)
    opt.optimize()
    lines = buf.getvalue().splitlines()
    assert sum("[Iteration" in line for line in lines) == 4  # 8 iterations per epoch, every 4th, 2 epochs
    assert sum("done]" in line for line in lines) == 2
    # Default: wherever sys.stderr points when optimize() runs.
    fake = io.StringIO()
    monkeypatch.setattr(sys, "stderr", fake)
    optim.Optimizer(model, (x, y), nn.ClassNLLCriterion(), 32).set_end_when(optim.max_epoch(1)).optimize()
    assert "[Epoch 1 done] 256 records" in fake.getvalue()
    with pytest.raises(ValueError, match="a file object with write"):
        opt.set_log(stream=42)
