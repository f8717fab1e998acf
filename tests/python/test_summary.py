"""ember.summary: TrainSummary / ValidationSummary, triggers, read_scalar, and the Optimizer writing them."""

import os

import numpy as np
import pytest

import ember
from ember import nn, optim, summary


def test_train_summary_folders_and_triggers(tmp_path):
    s = summary.TrainSummary(tmp_path, "app")
    assert s.log_dir == str(tmp_path) and s.app_name == "app"
    assert s.folder == os.path.join(str(tmp_path), "app", "train")
    assert os.path.isdir(s.folder) and os.path.dirname(s.event_file) == s.folder and "tfevents" in s.event_file
    assert repr(s) == f"TrainSummary(log_dir='{tmp_path}', app_name='app')"
    assert set(summary.TrainSummary.trigger_names) == {"LearningRate", "Loss", "Throughput", "Parameters"}
    assert s.summary_trigger("Parameters") is None
    assert repr(s.summary_trigger("Loss")) == repr(optim.several_iteration(1))
    assert s.set_summary_trigger("Parameters", optim.several_iteration(5)) is s
    assert repr(s.summary_trigger("Parameters")) == repr(optim.several_iteration(5))
    with pytest.raises(ValueError, match="Loss"):
        s.set_summary_trigger("Accuracy", optim.every_epoch())
    with pytest.raises(TypeError, match="expected an ember.optim.Trigger"):
        s.set_summary_trigger("Loss", 3)
    v = summary.ValidationSummary(str(tmp_path), "app")
    assert v.folder == os.path.join(str(tmp_path), "app", "validation")
    s.close()
    v.close()


def test_add_and_read_scalar(tmp_path):
    with summary.TrainSummary(tmp_path, "run") as s:
        for step, value in [(3, 0.5), (1, 1.5), (2, 1.0)]:
            s.add_scalar("Loss", value, step)
        s.add_histogram("w", np.arange(10, dtype=np.float32), 1)
        a = s.read_scalar("Loss")
        assert a.dtype.names == ("step", "value", "wall_time")
        assert a.dtype["step"] == np.int64 and a.dtype["value"] == np.float32 and a.dtype["wall_time"] == np.float64
        assert a["step"].tolist() == [1, 2, 3] and a["value"].tolist() == [1.5, 1.0, 0.5]
        assert (a["wall_time"] > 1.5e9).all()
        assert len(s.read_scalar("Nothing")) == 0
    b = summary.read_scalar(os.path.join(tmp_path, "run", "train"), "Loss")
    assert b["step"].tolist() == [1, 2, 3]
    assert len(summary.list_event_files(os.path.join(tmp_path, "run", "train"))) == 1
    with pytest.raises(ember.IOError, match="no_such_dir"):
        summary.read_scalar(tmp_path / "no_such_dir", "Loss")
    with pytest.raises(ValueError):
        summary.TrainSummary(tmp_path, "")
    with pytest.raises(TypeError, match=r"\[summary.read_scalar\] log_dir: expected a str, bytes or os.PathLike, got int"):
        summary.read_scalar(3, "Loss")


def test_optimizer_writes_the_losses_it_logged(tmp_path, rng):
    x = rng.normal(size=(200, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = nn.create("nn.Linear", in_features=3, out_features=2)
    crit = nn.create_criterion("nn.CrossEntropyCriterion")
    train = summary.TrainSummary(tmp_path, "lin")
    val = summary.ValidationSummary(tmp_path, "lin")
    opt = optim.Optimizer(model, (x, y), crit, 25).set_log(stream=None)
    opt.set_optim_method(optim.SGD(learning_rate=0.1)).set_end_when(optim.max_epoch(2))
    opt.set_validation(optim.every_epoch(), (x, y), [optim.Top1Accuracy(), "loss"])
    assert opt.set_train_summary(train) is opt and opt.setValidationSummary(val) is opt
    assert opt.train_summary is train
    opt.optimize()

    losses = train.read_scalar("Loss")
    history = opt.history()
    assert losses["step"].tolist() == [r["iteration"] for r in history] == list(range(1, 17))
    np.testing.assert_array_equal(losses["value"], np.array([r["loss"] for r in history], np.float32))
    lr = train.read_scalar("LearningRate")
    np.testing.assert_allclose(lr["value"], 0.1, rtol=1e-6)
    assert len(train.read_scalar("Throughput")) == 16

    top1 = val.read_scalar("Top1Accuracy")
    assert top1["step"].tolist() == [8, 16]
    np.testing.assert_allclose(top1["value"], [r["results"][0].value for r in opt.validation_history()], rtol=1e-6)
    assert len(val.read_scalar("Loss")) == 2
    train.close()
    val.close()
