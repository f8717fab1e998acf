"""ember.io: model files, state files, checkpoints, Module.save, errors."""

import os
import pathlib

import numpy as np
import pytest

import ember
from ember import io, models, nn, optim


def outputs(model, x):
    model.evaluate()
    return np.array(model.forward(x), copy=True)


def test_model_round_trip_gives_identical_predictions(tmp_path, rng):
    model = models.lenet5(num_classes=10)
    x = rng.normal(size=(4, 1, 28, 28)).astype(np.float32)
    path = tmp_path / "lenet.ember"
    io.save_model(model, path)
    loaded = io.load_model(path)
    assert isinstance(loaded, nn.Module) and repr(loaded) == repr(model)
    np.testing.assert_array_equal(outputs(loaded, x), outputs(model, x))
    # Deterministic: saving the loaded model again gives the same bytes (both are in evaluation mode now,
    # which the file records).
    model.save(str(tmp_path / "again.ember"))
    loaded.save(tmp_path / "loaded.ember")
    assert (tmp_path / "again.ember").read_bytes() == (tmp_path / "loaded.ember").read_bytes()
    assert io.model_to_bytes(loaded) == (tmp_path / "again.ember").read_bytes()
    assert io.read_model_info(path)["file_bytes"] == len(io.model_to_bytes(model))
    np.testing.assert_array_equal(outputs(io.model_from_bytes(path.read_bytes()), x), outputs(model, x))


def test_read_model_info(tmp_path):
    lin = nn.create("nn.Linear", in_features=3, out_features=2)
    path = tmp_path / "lin.ember"
    lin.save(path)
    info = io.read_model_info(path)
    assert info["kind"] == "model" and info["path"] == str(path)
    assert info["num_parameters"] == 8 and info["parameter_bytes"] == 32
    assert info["file_bytes"] == path.stat().st_size and info["format_version"] >= 1
    assert "Linear" in info["tree"]
    shapes = {t["name"]: (t["dtype"], t["shape"], t["nbytes"]) for t in info["tensors"]}
    assert shapes == {"weight": ("float32", (2, 3), 24), "bias": ("float32", (2,), 8)}


def test_missing_and_corrupt_files(tmp_path):
    missing = tmp_path / "nope.ember"
    with pytest.raises(ember.IOError, match="nope.ember") as e:
        io.load_model(missing)
    assert isinstance(e.value, OSError)
    with pytest.raises(ember.IOError, match="nope.ember"):
        io.load_state(missing)
    with pytest.raises(ember.IOError, match="nope.ember"):
        io.read_model_info(str(missing))

    path = tmp_path / "model.ember"
    io.save_model(models.lenet5(), path)
    data = path.read_bytes()
    truncated = tmp_path / "truncated.ember"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ember.FormatError, match="truncated.ember") as e:
        io.load_model(truncated)
    assert isinstance(e.value, ValueError)
    flipped = bytearray(data)
    flipped[-10] ^= 0xFF
    corrupt = tmp_path / "corrupt.ember"
    corrupt.write_bytes(bytes(flipped))
    with pytest.raises(ember.FormatError, match="corrupt.ember"):
        io.load_model(corrupt)
    garbage = tmp_path / "garbage.ember"
    garbage.write_bytes(b"not a model file at all")
    with pytest.raises(ember.FormatError, match="garbage.ember"):
        io.read_model_info(garbage)
    with pytest.raises(ember.FormatError, match="<mine>"):
        io.model_from_bytes(data[:100], "<mine>")


def test_wrong_argument_types(tmp_path):
    with pytest.raises(TypeError, match=r"\[io.load_model\] path: expected a str, bytes or os.PathLike, got int"):
        io.load_model(3)
    with pytest.raises(TypeError, match="got None"):
        io.save_model(models.lenet5(), None)
    with pytest.raises(TypeError, match=r"\[io.CheckpointManager\] dir: expected a str, bytes or os.PathLike, got float"):
        io.CheckpointManager(1.5)
    io.save_state({"a": np.int64(3), "b": np.float32(0.5), "c": np.bool_(True)}, os.fsencode(tmp_path / "s.ember"))
    assert io.load_state(pathlib.Path(tmp_path / "s.ember")) == {"a": 3, "b": 0.5, "c": 1}
    with pytest.raises(TypeError):
        io.save_model("model", str(tmp_path / "x.ember"))
    with pytest.raises(TypeError, match="expected a dict"):
        io.save_state([1, 2], tmp_path / "s.ember")
    with pytest.raises(TypeError, match="state 'bad': expected an array, int, float or str, got list"):
        io.save_state({"bad": [1, 2]}, tmp_path / "s.ember")


def test_state_round_trip(tmp_path, rng):
    state = {
        "weights": rng.normal(size=(3, 4)).astype(np.float32),
        "counts": np.arange(5, dtype=np.int64),
        "bytes": np.array([1, 2, 255], np.uint8),
        "epoch": 7,
        "loss": 0.25,
        "flag": True,
        "np_int": np.int32(3),
        "np_float": np.float32(0.5),
        "name": "optim.SGD",
    }
    path = tmp_path / "state.ember"
    io.save_state(state, path)
    back = io.load_state(path)
    assert list(back) == list(state)
    for k in ["weights", "counts", "bytes"]:
        assert back[k].dtype == state[k].dtype
        np.testing.assert_array_equal(back[k], state[k])
    assert back["epoch"] == 7 and type(back["epoch"]) is int
    assert back["loss"] == 0.25 and type(back["loss"]) is float
    assert back["flag"] == 1 and back["np_int"] == 3 and back["np_float"] == 0.5 and back["name"] == "optim.SGD"
    assert io.read_model_info(path)["kind"] == "state"
    with pytest.raises(ember.FormatError, match="state.ember"):
        bad = tmp_path / "model_as_state.ember"
        io.save_model(models.lenet5(), bad)
        io.load_state(bad.rename(tmp_path / "state.ember"))

    # An optim method's state goes through a file and continues exactly.
    sgd = optim.SGD(learning_rate=0.1, momentum=0.9)
    w = np.ones(4)
    feval = lambda v: (float(v @ v), 2 * v)  # noqa: E731
    sgd.optimize(feval, w)
    io.save_state(sgd.state_dict(), tmp_path / "sgd.ember")
    other = optim.SGD(learning_rate=0.1, momentum=0.9)
    other.load_state_dict(io.load_state(tmp_path / "sgd.ember"))
    w2 = w.copy()
    sgd.optimize(feval, w)
    other.optimize(feval, w2)
    np.testing.assert_array_equal(w, w2)


def test_checkpoint_manager(tmp_path, rng):
    model = nn.create("nn.Linear", in_features=3, out_features=2)
    x = rng.normal(size=(5, 3)).astype(np.float32)
    ckpt = io.CheckpointManager(tmp_path / "ck", keep_last=2)
    assert ckpt.keep_last == 2 and ckpt.dir == str(tmp_path / "ck")
    assert io.CheckpointManager.latest(tmp_path / "ck") is None
    paths = [ckpt.save(i, model, {"step": i, "v": np.full(2, float(i))}) for i in (10, 20, 30)]
    assert paths[-1].endswith("checkpoint-0000000030")
    assert sorted(os.listdir(tmp_path / "ck")) == ["checkpoint-0000000020", "checkpoint-0000000030", "latest"]
    assert io.CheckpointManager.latest(tmp_path / "ck") == paths[-1]

    loaded, state, path = io.CheckpointManager.load(tmp_path / "ck")
    assert path == paths[-1] and state["step"] == 30 and state["v"].tolist() == [30.0, 30.0]
    np.testing.assert_array_equal(outputs(loaded, x), outputs(model, x))

    other = nn.create("nn.Linear", in_features=3, out_features=2)
    state = io.CheckpointManager.load_into(paths[1], other)
    assert state["step"] == 20
    np.testing.assert_array_equal(outputs(other, x), outputs(model, x))
    with pytest.raises(ValueError, match="another model"):
        io.CheckpointManager.load_into(paths[1], nn.create("nn.Linear", in_features=4, out_features=2))
    with pytest.raises(ember.IOError):
        io.CheckpointManager.load(tmp_path / "empty_dir_that_does_not_exist")
    with pytest.raises(ValueError):
        io.CheckpointManager(tmp_path, keep_last=0)
    assert io.CheckpointManager.checkpoint_name(5) == "checkpoint-0000000005"
    assert isinstance(pathlib.Path(paths[0]), pathlib.Path)
