"""Pickling and copying modules and criteria (through the native model file as bytes), optim methods, schedules,
triggers and validation methods (rebuilt from their options and state)."""

import copy
import pickle

import numpy as np
import pytest

import ember
from ember import nn, optim


def arr(t):
    return np.array(np.asarray(t))


def assert_same_parameters(a, b):
    na, nb = a.named_parameters(), b.named_parameters()
    assert [n for n, _ in na] == [n for n, _ in nb]
    for (_, x), (_, y) in zip(na, nb):
        np.testing.assert_array_equal(arr(x), arr(y))
    for (_, x), (_, y) in zip(a.named_buffers(), b.named_buffers()):
        np.testing.assert_array_equal(arr(x), arr(y))


@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_lenet5_round_trip(rng, protocol):
    model = ember.models.lenet5()
    x = rng.standard_normal((6, 1, 28, 28)).astype(np.float32)
    before = model.predict(x)
    clone = pickle.loads(pickle.dumps(model, protocol=protocol))
    assert type(clone) is type(model) and clone is not model
    assert repr(clone) == repr(model)
    assert_same_parameters(model, clone)
    np.testing.assert_array_equal(clone.predict(x), before)
    # independent copies: changing one leaves the other alone
    np.asarray(clone.parameters()[0])[...] = 0
    np.testing.assert_array_equal(model.predict(x), before)


def test_deepcopy_and_copy(rng):
    model = nn.Sequential(nn.Linear(4, 8).set_name("fc1"), nn.ReLU(), nn.Linear(8, 3), nn.LogSoftMax())
    x = rng.standard_normal((5, 4)).astype(np.float32)
    for clone in (copy.deepcopy(model), copy.copy(model)):
        assert clone is not model and isinstance(clone, nn.Sequential)
        assert clone[0].name == "fc1" and isinstance(clone[0], nn.Linear)
        np.testing.assert_array_equal(clone.predict(x), model.predict(x))


def test_state_and_flags_survive(rng):
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 2))
    x = rng.standard_normal((8, 3, 6, 6)).astype(np.float32)
    model.training()
    model.forward(x)  # updates the running statistics
    model.freeze("4")
    model.set_propagate_back(False)
    model.evaluate()
    clone = pickle.loads(pickle.dumps(model))
    assert_same_parameters(model, clone)
    assert not arr(dict(clone.named_buffers())["1.running_mean"]).all() == 0  # statistics were copied
    np.testing.assert_array_equal(arr(dict(clone.named_buffers())["1.running_var"]),
                                  arr(dict(model.named_buffers())["1.running_var"]))
    assert not clone.is_training and not clone[0].propagate_back
    clone.zero_grad_parameters()
    clone.forward(x)
    clone.backward(x, np.ones((8, 2), np.float32))
    assert not arr(dict(clone.named_gradients())["4.weight"]).any()  # still frozen
    assert arr(dict(clone.named_gradients())["0.weight"]).any()
    np.testing.assert_array_equal(clone.predict(x), model.predict(x))


def test_float64_model_round_trip(rng):
    model = nn.Sequential(nn.Linear(3, 2)).to(np.float64)
    clone = pickle.loads(pickle.dumps(model))
    assert arr(clone.parameters()[0]).dtype == np.float64
    x = rng.standard_normal((4, 3))
    np.testing.assert_array_equal(clone.predict(x), model.predict(x))


def test_graph_round_trip(rng):
    x = nn.Input()
    h = nn.ReLU()(nn.Linear(4, 8).set_name("fc1")(x))
    a = nn.Linear(8, 3)(h)
    b = nn.Linear(4, 3)(x)
    y = nn.LogSoftMax()(nn.CAddTable()([a, b]))
    model = nn.Graph([x], [y])
    clone = pickle.loads(pickle.dumps(model))
    assert isinstance(clone, nn.Graph) and len(clone.nodes()) == len(model.nodes())
    assert_same_parameters(model, clone)
    xin = rng.standard_normal((7, 4)).astype(np.float32)
    np.testing.assert_array_equal(clone.predict(xin, batch_size=3), model.predict(xin, batch_size=3))
    np.testing.assert_array_equal(model.predict_class(xin), clone.predict_class(xin))
    deep = copy.deepcopy(model)
    np.testing.assert_array_equal(arr(deep(xin)), arr(model(xin)))


def test_single_layers_and_containers(rng):
    for m in (nn.Conv2d(2, 3, (3, 1), stride=2, bias=False), nn.Dropout(0.3), nn.Reshape([2, 2]),
              nn.ConcatTable(nn.Identity(), nn.Tanh()), nn.MapTable(nn.Linear(2, 2)), nn.Concat(0)):
        clone = pickle.loads(pickle.dumps(m))
        assert type(clone) is type(m) and repr(clone) == repr(m)
        assert_same_parameters(m, clone)


def test_getstate_is_the_model_file(rng):
    data = nn.Linear(2, 2).__getstate__()
    assert isinstance(data, bytes) and len(data) > 16
    with pytest.raises(ember.FormatError, match="<pickle>"):
        ember._ember.nn._module_from_bytes(data[:-8])
    with pytest.raises(ember.FormatError):
        ember._ember.nn._module_from_bytes(b"not a model file at all")


def test_criteria_round_trip(rng):
    x = rng.standard_normal((4, 3)).astype(np.float32)
    y = rng.standard_normal((4, 3)).astype(np.float32)
    labels = np.array([0, 1, 2, 1])
    for crit, inp, target in (
        (nn.ClassNLLCriterion(weights=[1.0, 2.0, 0.5], size_average=False), x, labels),
        (nn.CrossEntropyCriterion(), x, labels),
        (nn.SmoothL1Criterion(beta=0.5), x, y),
        (nn.MultiCriterion().add(nn.MSECriterion()).add(nn.AbsCriterion(), 0.25), x, y),
        (nn.ParallelCriterion(True).add(nn.MSECriterion(), 2.0), [x], y),
    ):
        clone = pickle.loads(pickle.dumps(crit))
        assert type(clone) is type(crit) and repr(clone) == repr(crit) and clone.config() == crit.config()
        assert clone.forward(inp, target) == pytest.approx(crit.forward(inp, target), rel=1e-6)


def test_optim_method_round_trip_keeps_options_schedule_and_state():
    sgd = optim.SGD(learning_rate=0.1, momentum=0.9)
    sgd.set_schedule(optim.Step(10, 0.5))
    grad = np.full(4, 0.5, np.float32)
    w = np.ones(4, np.float32)
    sgd.optimize(lambda _: (1.0, grad), w)
    copy = pickle.loads(pickle.dumps(sgd))
    assert repr(copy) == repr(sgd) and copy.iteration == 1
    np.testing.assert_array_equal(copy.state_dict()["momentum_buffer"], sgd.state_dict()["momentum_buffer"])
    w2 = w.copy()
    sgd.optimize(lambda _: (1.0, grad), w)
    copy.optimize(lambda _: (1.0, grad), w2)
    np.testing.assert_array_equal(w, w2)  # the momentum came along


def test_nested_schedule_round_trip():
    adam = optim.Adam(learning_rate=0.01)
    adam.set_schedule(optim.SequentialSchedule(100).add(optim.Warmup(0.01), 500).add(optim.Poly(0.5, 9500), 9500))
    assert repr(pickle.loads(pickle.dumps(adam))) == repr(adam)


def test_triggers_and_validation_methods_round_trip():
    for t in (optim.every_epoch(), optim.max_score(0.98), optim.max_epoch(2) | optim.min_loss(0.1) & optim.several_iteration(3)):
        assert repr(pickle.loads(pickle.dumps(t))) == repr(t)
    back = pickle.loads(pickle.dumps(optim.max_iteration(7)))
    assert not back(iteration=6) and back(iteration=7)
    methods = [optim.Top1Accuracy(), optim.Top5Accuracy(), optim.TopKAccuracy(3), optim.Loss(), optim.MAE()]
    assert [repr(m) for m in pickle.loads(pickle.dumps(methods))] == [repr(m) for m in methods]


def test_custom_trigger_cannot_be_pickled():
    with pytest.raises(ValueError, match=r"cannot rebuild the trigger 'mine' \(a custom trigger cannot be pickled"):
        pickle.dumps(optim.Trigger("mine", lambda s: True))


def test_sample_round_trip():
    s = ember.data.Sample([np.arange(3.0), np.zeros((2, 2), np.float32)], [np.array([2])])
    back = pickle.loads(pickle.dumps(s))
    assert [arr(t).tolist() for t in back.features] == [[0.0, 1.0, 2.0], [[0.0, 0.0], [0.0, 0.0]]]
    assert arr(back.features[1]).dtype == np.float32 and arr(back.labels[0]).tolist() == [2]


# ---- transformers ---------------------------------------------------------------------------------------

def _every_builtin_transformer():
    from ember import data
    return [data.Resize(12, 10), data.Resize(shorter_side=9), data.CenterCrop(6, 5),
            data.RandomCrop(8, 8, padding=2, pad_if_needed=True, fill=3.0), data.HorizontalFlip(),
            data.RandomHorizontalFlip(p=0.25), data.ToTensor(), data.Normalize([0.5, 0.4, 0.3], [0.2, 0.2, 0.1]),
            data.ColorJitter(brightness=0.3, contrast=0.2, saturation=0.1, hue=0.05),
            data.RandomAffine(degrees=[-10, 20], translate=[0.1, 0.2], scale=[0.9, 1.1], shear=[5], fill=7.0),
            data.RandomRotation(15, fill=1.0), data.RandomShear([4, 8]), data.RandomZoom([0.8, 1.2]),
            data.RandomTranslate([0.1, 0.1])]


@pytest.mark.parametrize("index", range(14))
def test_builtin_transformers_round_trip_with_their_options(index, rng):
    from ember import data
    t = _every_builtin_transformer()[index]
    back = pickle.loads(pickle.dumps(t))
    assert type(back) is type(t) and repr(back) == repr(t) and back.config() == t.config()
    img = rng.integers(0, 256, size=(16, 14, 3), dtype=np.uint8)
    if isinstance(t, data.Normalize):
        img = arr(data.ToTensor()(img))
    # The same draws from the same generator: the rebuilt transformer behaves identically.
    a = arr(t(img, ember.Generator(5)))
    b = arr(back(img, ember.Generator(5)))
    np.testing.assert_array_equal(a, b)


def test_chains_round_trip_in_order():
    from ember import data
    t = data.Resize(8, 8) >> data.RandomHorizontalFlip() >> data.ToTensor() >> data.Normalize([0.5], [0.25])
    back = pickle.loads(pickle.dumps(t))
    assert isinstance(back, data.Chain) and repr(back) == repr(t)
    img = np.arange(4 * 6 * 1, dtype=np.uint8).reshape(4, 6, 1)
    np.testing.assert_array_equal(arr(back(img, ember.Generator(1))), arr(t(img, ember.Generator(1))))
    assert repr(back.first) == repr(t.first) and repr(back.second) == "Normalize(mean=[0.5], std=[0.25])"


class Scale(ember.data.ImageTransformer):
    """A Python transformer with state of its own (module level: pickle finds the class by name)."""

    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def apply_image(self, image, generator):
        return np.asarray(image) * self.factor


def test_python_transformer_subclass_round_trip_keeps_its_state():
    from ember import data
    t = Scale(3.0) >> data.HorizontalFlip()
    back = pickle.loads(pickle.dumps(t))
    x = np.arange(6, dtype=np.float32).reshape(1, 2, 3)
    np.testing.assert_array_equal(arr(back(x)), arr(t(x)))
    assert back.first.factor == 3.0 and type(back.first) is Scale


def _double(sample):
    return sample.features[0] * 2, sample.labels


def test_lambda_round_trip_keeps_its_function_and_name():
    from ember import data
    t = data.Lambda("Double", _double)
    back = pickle.loads(pickle.dumps(t))
    assert repr(back) == "Double" and back.fn is _double
    np.testing.assert_array_equal(arr(back(np.ones(3, np.float32))), [2, 2, 2])
    # A lambda has no importable name: plain pickle refuses it (Spark's cloudpickle carries it).
    with pytest.raises(Exception, match="lambda"):
        pickle.dumps(data.Lambda("L", lambda s: s))


def test_python_subclass_of_a_builtin_transformer_is_refused():
    from ember import data

    class MyResize(data.Resize):
        pass
    with pytest.raises(TypeError, match="cannot pickle MyResize: a Python subclass of a built-in transformer"):
        pickle.dumps(MyResize(4, 4))
