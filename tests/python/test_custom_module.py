"""Python subclasses of ember.nn.Module and ember.nn.Criterion, run from C++ containers."""

import gc
import pickle
import threading
import weakref

import numpy as np
import pytest

from ember import nn


def arr(t):
    return np.array(np.asarray(t))


class Square(nn.Module):
    def update_output(self, input):
        return np.asarray(input) ** 2

    def update_grad_input(self, input, grad_output):
        return 2 * np.asarray(input) * np.asarray(grad_output)


class Scale(nn.Module):
    """y = x * w with a learned w [n] (a Python module owning a parameter)."""

    def __init__(self, n, dtype=np.float32):
        super().__init__()
        self.w = self.register_parameter("weight", np.ones(n, dtype))
        self.resets = 0

    def update_output(self, x):
        return x * self.w.value

    def update_grad_input(self, x, g):
        return g * self.w.value

    def acc_grad_parameters(self, x, g):
        self.w.grad[...] += (x * g).sum(axis=0)

    def reset_parameters(self):
        self.resets += 1
        self.w.value[...] = 1.0

    def extra_repr(self):
        return f"n={self.w.shape[0]}"


class PyMSE(nn.Criterion):
    def update_output(self, input, target):
        return float(((input - target) ** 2).mean())

    def update_grad_input(self, input, target):
        return (2 * (input - target) / input.size).astype(input.dtype)


def test_square_inside_sequential_matches_numpy(rng):
    fc = nn.Linear(3, 4)
    model = nn.Sequential(fc, Square(), nn.ReLU())
    x = rng.standard_normal((5, 3)).astype(np.float32)
    h = x @ arr(fc.weight).T + arr(fc.bias)
    np.testing.assert_allclose(arr(model(x)), h ** 2, rtol=1e-5, atol=1e-6)
    g = rng.standard_normal((5, 4)).astype(np.float32)
    gi = arr(model.backward(x, g))
    np.testing.assert_allclose(gi, (2 * h * g) @ arr(fc.weight), rtol=1e-4, atol=1e-5)
    sq = model[1]
    assert isinstance(sq, Square) and sq.type_name == "py.Square"
    assert "(1): py.Square()" in repr(model)
    # the Python module's own output is reachable too
    np.testing.assert_allclose(arr(sq.output), h ** 2, rtol=1e-5, atol=1e-6)


def test_python_module_held_only_by_cpp_stays_alive(rng):
    model = nn.Sequential(nn.Linear(2, 2), Square())
    ref = weakref.ref(model[1])
    gc.collect()
    assert ref() is not None
    x = rng.standard_normal((3, 2)).astype(np.float32)
    y = arr(model.forward(x))
    assert (y >= 0).all()
    assert type(model[1]) is Square  # the same Python object, not a bare C++ base
    del model
    gc.collect()
    assert ref() is None  # released with its container, no leak


def test_python_module_state_survives_in_container():
    class Counter(nn.Module):
        def __init__(self):
            super().__init__()
            self.calls = 0

        def update_output(self, x):
            self.calls += 1
            return x

    model = nn.Sequential(Counter(), Counter())
    gc.collect()
    x = np.ones((2, 2), np.float32)
    model(x)
    model(x)
    assert [c.calls for c in model] == [2, 2]


def _flat_loss(model, x, r):
    return float((np.asarray(model.forward(x)) * r).sum())


def test_gradient_check_float64(rng):
    model = nn.Sequential(nn.Linear(3, 4), Square(), Scale(4, np.float64), nn.Linear(4, 2)).to(np.float64)
    x = rng.standard_normal((5, 3))
    r = rng.standard_normal((5, 2))
    flat_w, flat_g = model.get_parameters()
    w, g = np.asarray(flat_w), np.asarray(flat_g)
    assert w.dtype == np.float64 and w.size == 3 * 4 + 4 + 4 + 4 * 2 + 2
    w[12 + 4:12 + 8] = rng.uniform(0.5, 1.5, 4)  # the Python module's weight, through the flat buffer
    model.zero_grad_parameters()
    model.forward(x)
    gx = arr(model.backward(x, r))
    eps = 1e-6
    num_gx = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        num_gx[idx] = (_flat_loss(model, xp, r) - _flat_loss(model, xm, r)) / (2 * eps)
    np.testing.assert_allclose(gx, num_gx, rtol=1e-6, atol=1e-8)
    analytic = g.copy()
    num_g = np.zeros_like(w)
    for i in range(w.size):
        old = w[i]
        w[i] = old + eps
        lp = _flat_loss(model, x, r)
        w[i] = old - eps
        lm = _flat_loss(model, x, r)
        w[i] = old
        num_g[i] = (lp - lm) / (2 * eps)
    np.testing.assert_allclose(analytic, num_g, rtol=1e-6, atol=1e-8)


def test_training_with_python_layer_and_criterion_decreases_the_loss(rng):
    x = rng.standard_normal((64, 4)).astype(np.float32)
    true_w = rng.standard_normal((4, 1)).astype(np.float32)
    y = (x * np.array([1.0, -2.0, 0.5, 3.0], np.float32)) @ true_w
    scale = Scale(4)
    model = nn.Sequential(scale, nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    crit = PyMSE()
    flat_w, flat_g = model.get_parameters()
    w, g = np.asarray(flat_w), np.asarray(flat_g)
    assert [n for n, _ in model.named_parameters()][0] == "0.weight"
    losses = []
    for _ in range(200):
        model.zero_grad_parameters()
        out = model.forward(x)
        losses.append(crit.forward(out, y))
        model.backward(x, crit.backward(out, y))
        w -= 0.05 * g
    assert losses[-1] < 0.3 * losses[0]
    assert not np.allclose(scale.w.value, 1.0)  # the Python parameter was trained
    # the C++ criterion agrees with the Python one
    out = model.forward(x)
    assert crit.forward(out, y) == pytest.approx(nn.MSECriterion().forward(out, y), rel=1e-5)
    np.testing.assert_allclose(arr(crit.backward(out, y)), arr(nn.MSECriterion().backward(out, y)), rtol=1e-5)
    assert crit.type_name == "py.PyMSE" and crit.output == pytest.approx(losses[-1], rel=0.5)


def test_parameter_handles_stay_current():
    s = Scale(3)
    assert repr(s.w) == "Parameter('weight', shape=[3], dtype=float32)"
    assert s.w.name == "weight" and s.w.shape == (3,) and s.w.dtype == np.float32
    assert np.asarray(s.w).tolist() == [1.0, 1.0, 1.0]
    flat_w, _ = s.get_parameters()
    np.asarray(flat_w)[:] = 7.0
    assert s.w.value.tolist() == [7.0, 7.0, 7.0]  # the handle follows the move into the flat buffer
    s.to(np.float64)
    assert s.w.value.dtype == np.float64 and s.w.grad.dtype == np.float64
    assert arr(s.weight).tolist() == [7.0, 7.0, 7.0]
    s.reset()
    assert s.resets == 1 and s.w.value.tolist() == [1.0, 1.0, 1.0]
    assert repr(s) == "py.Scale(n=3)"
    b = s.register_buffer("count", np.zeros(1, np.int64))
    assert b.grad is None and [n for n, _ in s.named_buffers()] == ["count"]
    with pytest.raises(ValueError, match="already registered"):
        s.register_parameter("weight", np.zeros(3))
    with pytest.raises(ValueError, match="no '.'"):
        s.register_parameter("a.b", np.zeros(3))
    handle = s.w
    del s
    gc.collect()
    with pytest.raises(ValueError, match="no longer exists"):
        handle.value
    with pytest.raises(TypeError, match="for Python subclasses"):
        nn.Linear(2, 2).register_parameter("extra", np.zeros(2))


def test_python_module_with_children():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = self.register_module("fc", nn.Linear(3, 3))
            self.act = self.register_module("act", Square())

        def update_output(self, x):
            return np.asarray(self.act.forward(self.fc.forward(x))).copy()

    b = Block()
    assert [n for n, _ in b.named_parameters()] == ["fc.weight", "fc.bias"]
    assert "(fc): nn.Linear" in repr(b) and "(act): py.Square()" in repr(b)
    model = nn.Sequential(b, nn.Linear(3, 1))
    x = np.ones((2, 3), np.float32)
    h = x @ arr(b.fc.weight).T + arr(b.fc.bias)
    np.testing.assert_allclose(arr(b(x)), h ** 2, rtol=1e-5)
    assert model.num_parameters() == 12 + 4


def test_python_modules_in_a_graph_with_tables(rng):
    class AddPair(nn.Module):
        def update_output(self, xs):
            assert isinstance(xs, list) and len(xs) == 2
            return xs[0] + xs[1]

        def update_grad_input(self, xs, g):
            return [g.copy(), g.copy()]

    a, b = nn.Input(), nn.Input()
    sq = Square()(a)
    y = AddPair()([sq, nn.Linear(2, 2)(b)])
    model = nn.Graph([a, b], [y])
    gc.collect()
    xa, xb = rng.standard_normal((3, 2)).astype(np.float32), rng.standard_normal((3, 2)).astype(np.float32)
    fc = model.find("1") if model.find("1").type_name == "nn.Linear" else model.find("2")
    ref = xa ** 2 + xb @ arr(fc.weight).T + arr(fc.bias)
    np.testing.assert_allclose(arr(model([xa, xb])), ref, rtol=1e-5, atol=1e-6)
    ga, gb = model.backward([xa, xb], np.ones((3, 2), np.float32))
    np.testing.assert_allclose(arr(ga), 2 * xa, rtol=1e-6)
    assert arr(gb).shape == (3, 2)


def test_errors_from_python_overrides():
    x = np.ones((2, 3), np.float32)

    class ReturnsNone(nn.Module):
        def update_output(self, input):
            pass

    with pytest.raises(TypeError, match=r"\[py.ReturnsNone '1'\] ReturnsNone.update_output returned None"):
        nn.Sequential(nn.Linear(3, 3), ReturnsNone()).forward(x)

    class Raises(nn.Module):
        def update_output(self, input):
            raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        nn.Sequential(nn.Linear(3, 3), Raises()).forward(x)

    class CustomError(Exception):
        pass

    class RaisesCustom(nn.Module):
        def update_output(self, input):
            raise CustomError("custom message")

    with pytest.raises(CustomError, match="custom message"):
        nn.Sequential(nn.Sequential(RaisesCustom())).forward(x)

    class WrongGradShape(Square):
        def update_grad_input(self, input, grad_output):
            return np.zeros((1,), np.float32)

    m = nn.Sequential(nn.Linear(3, 3), WrongGradShape())
    m.forward(x)
    with pytest.raises(ValueError, match=r"WrongGradShape.update_grad_input returned shape \[1\]: expected the "
                                         r"input's shape \[2, 3\]"):
        m.backward(x, np.ones((2, 3), np.float32))

    class WrongDtype(nn.Module):
        def update_output(self, input):
            return input.astype(np.float64)

    with pytest.raises(TypeError, match="WrongDtype.update_output returned float64 values: expected float32"):
        WrongDtype().forward(x)

    class NotAnArray(nn.Module):
        def update_output(self, input):
            return "text"

    with pytest.raises(TypeError, match="NotAnArray.update_output returned str"):
        NotAnArray().forward(x)

    class ForwardOnly(nn.Module):
        def update_output(self, input):
            return input

    fo = ForwardOnly()
    fo.forward(x)
    with pytest.raises(NotImplementedError, match="update_grad_input is not defined"):
        fo.backward(x, x)
    with pytest.raises(NotImplementedError, match="update_output is not defined"):
        nn.Module().forward(x)

    class WritesInput(nn.Module):
        def update_output(self, input):
            input[...] = 0  # inputs are read-only views of the previous module's buffer
            return input

    with pytest.raises(ValueError, match="read-only"):
        WritesInput().forward(x)

    class NoSuperInit(nn.Module):
        def __init__(self):
            pass

    with pytest.raises(TypeError, match="__init__"):
        NoSuperInit()


def test_criterion_errors():
    class BadLoss(nn.Criterion):
        def update_output(self, input, target):
            return "loss"

    with pytest.raises(TypeError, match="BadLoss.update_output returned str: expected the loss as a float"):
        BadLoss().forward(np.ones(3, np.float32), np.ones(3, np.float32))

    class NoneLoss(nn.Criterion):
        def update_output(self, input, target):
            return None

    with pytest.raises(TypeError, match=r"\[py.NoneLoss\] NoneLoss.update_output returned None"):
        NoneLoss().forward(np.ones(3, np.float32), np.ones(3, np.float32))

    class ArrayLoss(PyMSE):
        def update_output(self, input, target):
            return np.array([[1.5]])

    assert ArrayLoss()(np.ones(3, np.float32), np.ones(3, np.float32)) == 1.5

    class BadGrad(PyMSE):
        def update_grad_input(self, input, target):
            return np.zeros((2, 2), input.dtype)

    with pytest.raises(ValueError, match="expected the input's shape"):
        BadGrad().backward(np.ones(3, np.float32), np.ones(3, np.float32))
    with pytest.raises(TypeError, match="cannot pickle a criterion defined in Python"):
        pickle.dumps(PyMSE())


def test_python_modules_cannot_be_pickled():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(Square()))
    with pytest.raises(TypeError, match=r"\[py.Square '1.0'\] cannot pickle a model containing a module defined in "
                                        r"Python"):
        pickle.dumps(model)


def test_forward_from_threads(rng):
    # forward releases the GIL; the Python layer takes it back from C++.
    models = [nn.Sequential(nn.Linear(8, 8), Square(), nn.Linear(8, 2)) for _ in range(4)]
    x = rng.standard_normal((16, 8)).astype(np.float32)
    expected = [m.predict(x, batch_size=5) for m in models]
    results = [None] * 4

    def run(i):
        for _ in range(20):
            results[i] = models[i].predict(x, batch_size=5)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for r, e in zip(results, expected):
        np.testing.assert_allclose(r, e, rtol=1e-6)
