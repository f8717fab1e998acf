"""ember.nn bindings: layers against NumPy, constructor arguments, every registered type, containers,
Graph, predict, summary, parameters, modes and the BigDL names."""

import numpy as np
import pytest

import ember
from ember import nn


def arr(t):
    return np.array(np.asarray(t))


def f32(*shape, rng):
    return rng.standard_normal(shape).astype(np.float32)


# ---- NumPy oracles ---------------------------------------------------------------------------

def test_linear_forward_backward_matches_numpy(rng):
    fc = nn.Linear(4, 3)
    w, b = arr(fc.weight), arr(fc.bias)
    assert w.shape == (3, 4) and b.shape == (3,)
    x = f32(5, 4, rng=rng)
    y = arr(fc.forward(x))
    np.testing.assert_allclose(y, x @ w.T + b, rtol=1e-5, atol=1e-6)
    g = f32(5, 3, rng=rng)
    fc.zero_grad_parameters()
    gi = arr(fc.backward(x, g))
    np.testing.assert_allclose(gi, g @ w, rtol=1e-5, atol=1e-6)
    grads = dict(fc.named_gradients())
    np.testing.assert_allclose(arr(grads["weight"]), g.T @ x, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(arr(grads["bias"]), g.sum(0), rtol=1e-5, atol=1e-6)
    # gradients accumulate until zero_grad_parameters
    fc.backward(x, g)
    np.testing.assert_allclose(arr(dict(fc.named_gradients())["bias"]), 2 * g.sum(0), rtol=1e-5, atol=1e-5)
    fc.zero_grad_parameters()
    assert not arr(dict(fc.named_gradients())["bias"]).any()


def test_relu_forward_backward(rng):
    x = f32(3, 7, rng=rng)
    r = nn.ReLU()
    np.testing.assert_array_equal(arr(r(x)), np.maximum(x, 0))
    g = f32(3, 7, rng=rng)
    np.testing.assert_array_equal(arr(r.backward(x, g)), g * (x > 0))


def conv2d_numpy(x, w, b, stride, pad):
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    oh = (h + 2 * pad[0] - kh) // stride[0] + 1
    ow = (wd + 2 * pad[1] - kw) // stride[1] + 1
    y = np.zeros((n, o, oh, ow), np.float64)
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * stride[0]:i * stride[0] + kh, j * stride[1]:j * stride[1] + kw]
            y[:, :, i, j] = np.einsum("nchw,ochw->no", patch, w) + b
    return y, xp


def conv2d_backward_numpy(x, w, g, stride, pad):
    _, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    gxp = np.zeros_like(xp, dtype=np.float64)
    gw = np.zeros_like(w, dtype=np.float64)
    for i in range(g.shape[2]):
        for j in range(g.shape[3]):
            sl = (slice(None), slice(None), slice(i * stride[0], i * stride[0] + kh),
                  slice(j * stride[1], j * stride[1] + kw))
            gxp[sl] += np.einsum("no,ochw->nchw", g[:, :, i, j], w)
            gw += np.einsum("no,nchw->ochw", g[:, :, i, j], xp[sl])
    gx = gxp[:, :, pad[0]:gxp.shape[2] - pad[0], pad[1]:gxp.shape[3] - pad[1]]
    return gx, gw, g.sum(axis=(0, 2, 3))


@pytest.mark.parametrize("stride,pad", [((1, 1), (0, 0)), ((2, 1), (1, 2))])
def test_conv2d_matches_numpy_loop(rng, stride, pad):
    conv = nn.Conv2d(2, 3, kernel_size=(3, 2), stride=stride, padding=pad)
    w, b = arr(conv.weight), arr(conv.bias)
    assert w.shape == (3, 2, 3, 2)
    x = f32(2, 2, 6, 5, rng=rng)
    y = arr(conv(x))
    ref, _ = conv2d_numpy(x.astype(np.float64), w.astype(np.float64), b, stride, pad)
    assert y.shape == ref.shape
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    g = f32(*y.shape, rng=rng)
    conv.zero_grad_parameters()
    gi = arr(conv.backward(x, g))
    gx, gw, gb = conv2d_backward_numpy(x.astype(np.float64), w.astype(np.float64), g.astype(np.float64), stride, pad)
    np.testing.assert_allclose(gi, gx, rtol=1e-4, atol=1e-4)
    grads = dict(conv.named_gradients())
    np.testing.assert_allclose(arr(grads["weight"]), gw, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(arr(grads["bias"]), gb, rtol=1e-4, atol=1e-4)


def test_maxpool2d_matches_numpy(rng):
    pool = nn.MaxPool2d(2)
    x = f32(2, 3, 4, 6, rng=rng)
    y = arr(pool(x))
    ref = x.reshape(2, 3, 2, 2, 3, 2).max(axis=(3, 5))
    np.testing.assert_array_equal(y, ref)
    g = f32(2, 3, 2, 3, rng=rng)
    gi = arr(pool.backward(x, g))
    expected = np.zeros_like(x)
    for n in range(2):
        for c in range(3):
            for i in range(2):
                for j in range(3):
                    win = x[n, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2]
                    a, bb = np.unravel_index(np.argmax(win), win.shape)
                    expected[n, c, 2 * i + a, 2 * j + bb] += g[n, c, i, j]
    np.testing.assert_allclose(gi, expected, rtol=1e-6)


def test_softmax_and_logsoftmax_match_numpy(rng):
    x = f32(4, 5, rng=rng)
    e = np.exp(x - x.max(1, keepdims=True))
    s = e / e.sum(1, keepdims=True)
    sm, lsm = nn.SoftMax(), nn.LogSoftMax()
    np.testing.assert_allclose(arr(sm(x)), s, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(arr(lsm(x)), np.log(s), rtol=1e-5, atol=1e-5)
    g = f32(4, 5, rng=rng)
    np.testing.assert_allclose(arr(sm.backward(x, g)), s * (g - (g * s).sum(1, keepdims=True)), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(arr(lsm.backward(x, g)), g - s * g.sum(1, keepdims=True), rtol=1e-4, atol=1e-5)


def test_criteria_match_numpy(rng):
    logits = f32(6, 4, rng=rng)
    labels = rng.integers(0, 4, 6).astype(np.int64)
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    nll = -logp[np.arange(6), labels].mean()
    assert nn.ClassNLLCriterion().forward(logp, labels) == pytest.approx(nll, rel=1e-5)
    ce = nn.CrossEntropyCriterion()
    assert ce.forward(logits, labels) == pytest.approx(nll, rel=1e-5)
    grad = np.exp(logp)
    grad[np.arange(6), labels] -= 1
    np.testing.assert_allclose(arr(ce.backward(logits, labels)), grad / 6, rtol=1e-4, atol=1e-6)
    y = f32(6, 4, rng=rng)
    mse = nn.MSECriterion()
    assert mse(logits, y) == pytest.approx(((logits - y) ** 2).mean(), rel=1e-5)
    np.testing.assert_allclose(arr(mse.backward(logits, y)), 2 * (logits - y) / logits.size, rtol=1e-5)
    assert nn.MSECriterion(size_average=False)(logits, y) == pytest.approx(((logits - y) ** 2).sum(), rel=1e-5)
    assert nn.AbsCriterion()(logits, y) == pytest.approx(np.abs(logits - y).mean(), rel=1e-5)
    multi = nn.MultiCriterion().add(nn.MSECriterion()).add(nn.AbsCriterion(), 0.5)
    assert len(multi) == 2
    assert multi(logits, y) == pytest.approx(((logits - y) ** 2).mean() + 0.5 * np.abs(logits - y).mean(), rel=1e-5)
    assert mse.output == pytest.approx(((logits - y) ** 2).mean(), rel=1e-5)


# ---- constructor arguments -------------------------------------------------------------------

def test_positional_and_keyword_arguments_follow_options_order():
    conv = nn.Conv2d(1, 6, kernel_size=5)
    assert conv.config()["kernel_size"] == [5, 5] and conv.config()["in_channels"] == 1
    assert nn.Conv2d(1, 6, (3, 5), 2).config()["stride"] == [2, 2]
    assert nn.Conv2d(1, 6, kernel_size=(3, 5)).config()["kernel_size"] == [3, 5]
    assert nn.Conv2d(1, 6, kernel_size=np.int64(3), bias=False).config() == {
        "in_channels": 1, "out_channels": 6, "kernel_size": [3, 3], "stride": [1, 1], "padding": [0, 0],
        "dilation": [1, 1], "groups": 1, "bias": False}
    assert nn.Linear(784, 10).config() == {"in_features": 784, "out_features": 10, "bias": True}
    assert nn.Dropout(0.25).config()["p"] == 0.25
    assert nn.Dropout(p=1 / 4).config()["p"] == 0.25
    assert nn.Reshape([1, 28, 28]).config()["size"] == [1, 28, 28]
    assert nn.Reshape(size=(4,)).config()["size"] == [4]
    assert nn.ClassNLLCriterion(weights=[1.0, 2.0]).config()["weights"] == [1.0, 2.0]
    assert nn.ClassNLLCriterion(None, False).config()["size_average"] is False  # None keeps the default
    assert nn.LeakyReLU(negative_slope=1).config()["negative_slope"] == 1.0    # int accepted for float


def test_argument_errors_are_type_errors():
    with pytest.raises(TypeError, match=r"Linear\(\) got an unexpected keyword argument 'foo' "
                                        r"\(options: in_features, out_features, bias\)"):
        nn.Linear(4, 2, foo=1)
    with pytest.raises(TypeError, match=r"Linear\(\) takes at most 3 positional arguments"):
        nn.Linear(1, 2, True, 4)
    with pytest.raises(TypeError, match=r"option 'out_features': expected an int, got float"):
        nn.Linear(4, 2.5)
    with pytest.raises(TypeError, match=r"option 'bias': expected a bool, got int"):
        nn.Linear(4, 2, 1)
    with pytest.raises(TypeError, match=r"multiple values for argument 'in_features'"):
        nn.Linear(4, 2, in_features=3)
    with pytest.raises(TypeError, match=r"option 'kernel_size': expected an int or a tuple of 2 ints"):
        nn.Conv2d(1, 2, kernel_size=(1, 2, 3))
    with pytest.raises(TypeError, match=r"option 'kernel_size'"):
        nn.Conv2d(1, 2, kernel_size="3")
    with pytest.raises(TypeError, match=r"ReLU\(\) takes at most 0 positional arguments"):
        nn.ReLU(True)
    with pytest.raises(TypeError, match=r"MSECriterion\(\) got an unexpected keyword argument 'x'"):
        nn.MSECriterion(x=1)
    # option values are checked by the C++ constructor
    with pytest.raises(ValueError, match=r"in_channels must be positive"):
        nn.Conv2d(0, 2, 3)


def test_docstrings_list_options_with_defaults():
    assert nn.Linear.__doc__.startswith("Linear(in_features=0, out_features=0, bias=True)")
    assert "kernel_size=0, stride=1, padding=0" in nn.Conv2d.__doc__
    assert "p=0.5" in nn.Dropout.__doc__
    for name in ("Sequential", "Graph", "Module", "Criterion", "ClassNLLCriterion", "MaxPool2d"):
        assert len(getattr(nn, name).__doc__) > 40
    assert "valid until the\nnext forward" in nn.Module.forward.__doc__


# ---- every registered type ------------------------------------------------------------------

def _cases(rng):
    x2 = f32(2, 5, rng=rng)
    x3 = f32(2, 3, 8, rng=rng)
    x4 = f32(2, 3, 6, 6, rng=rng)
    idx = np.array([[1, 2], [3, 9]], np.int64)
    return {
        "AdaptiveAvgPool2d": (lambda: nn.AdaptiveAvgPool2d(2), x4, (2, 3, 2, 2)),
        "Add": (lambda: nn.Add(5), x2, (2, 5)),
        "AddConstant": (lambda: nn.AddConstant(1.5), x2, (2, 5)),
        "AvgPool2d": (lambda: nn.AvgPool2d(2), x4, (2, 3, 3, 3)),
        "BatchNorm1d": (lambda: nn.BatchNorm1d(5), x2, (2, 5)),
        "BatchNorm2d": (lambda: nn.BatchNorm2d(3), x4, (2, 3, 6, 6)),
        "CAdd": (lambda: nn.CAdd([1, 5]), x2, (2, 5)),
        "CAddTable": (lambda: nn.CAddTable(), [x2, x2], (2, 5)),
        "CMul": (lambda: nn.CMul([1, 5]), x2, (2, 5)),
        "CMulTable": (lambda: nn.CMulTable(), [x2, x2], (2, 5)),
        "Concat": (lambda: nn.Concat(1).add(nn.Linear(5, 2)).add(nn.Linear(5, 3)), x2, (2, 5)),
        "ConcatTable": (lambda: nn.ConcatTable(nn.Linear(5, 2), nn.Identity()), x2, [(2, 2), (2, 5)]),
        "Conv1d": (lambda: nn.Conv1d(3, 4, 3), x3, (2, 4, 6)),
        "Conv2d": (lambda: nn.Conv2d(3, 4, 3), x4, (2, 4, 4, 4)),
        "ConvTranspose2d": (lambda: nn.ConvTranspose2d(3, 2, 2, stride=2), x4, (2, 2, 12, 12)),
        "Dropout": (lambda: nn.Dropout(0.5), x2, (2, 5)),
        "ELU": (lambda: nn.ELU(), x2, (2, 5)),
        "Embedding": (lambda: nn.Embedding(10, 3), idx, (2, 2, 3)),
        "Flatten": (lambda: nn.Flatten(), x4, (2, 108)),
        "FlattenTable": (lambda: nn.FlattenTable(), [x2, [x2, x2]], [(2, 5)] * 3),
        "GlobalAvgPool2d": (lambda: nn.GlobalAvgPool2d(), x4, (2, 3, 1, 1)),
        "HardTanh": (lambda: nn.HardTanh(), x2, (2, 5)),
        "Identity": (lambda: nn.Identity(), x2, (2, 5)),
        "JoinTable": (lambda: nn.JoinTable(1), [x2, x2], (2, 10)),
        "LayerNorm": (lambda: nn.LayerNorm([5]), x2, (2, 5)),
        "LeakyReLU": (lambda: nn.LeakyReLU(0.1), x2, (2, 5)),
        "Linear": (lambda: nn.Linear(5, 3), x2, (2, 3)),
        "LogSoftMax": (lambda: nn.LogSoftMax(), x2, (2, 5)),
        "MapTable": (lambda: nn.MapTable(nn.Linear(5, 2)), [x2, x2], [(2, 2), (2, 2)]),
        "MaxPool2d": (lambda: nn.MaxPool2d(2), x4, (2, 3, 3, 3)),
        "Mul": (lambda: nn.Mul(), x2, (2, 5)),
        "MulConstant": (lambda: nn.MulConstant(2.0), x2, (2, 5)),
        "Narrow": (lambda: nn.Narrow(1, 1, 2), x2, (2, 2)),
        "PReLU": (lambda: nn.PReLU(), x2, (2, 5)),
        "Padding": (lambda: nn.Padding(1, 1, 2), x2, (2, 8)),
        "ParallelTable": (lambda: nn.ParallelTable(nn.Linear(5, 2), nn.Linear(5, 3)), [x2, x2], [(2, 2), (2, 3)]),
        "ReLU": (lambda: nn.ReLU(), x2, (2, 5)),
        "ReLU6": (lambda: nn.ReLU6(), x2, (2, 5)),
        "Reshape": (lambda: nn.Reshape([5, 1]), x2, (2, 5, 1)),
        "Select": (lambda: nn.Select(1, 0), x2, (2,)),
        "SelectTable": (lambda: nn.SelectTable(1), [x2, x3], (2, 3, 8)),
        "Sequential": (lambda: nn.Sequential(nn.Linear(5, 2), nn.Tanh()), x2, (2, 2)),
        "Sigmoid": (lambda: nn.Sigmoid(), x2, (2, 5)),
        "SoftMax": (lambda: nn.SoftMax(), x2, (2, 5)),
        "SoftPlus": (lambda: nn.SoftPlus(), x2, (2, 5)),
        "SoftSign": (lambda: nn.SoftSign(), x2, (2, 5)),
        "SpatialCrossMapLRN": (lambda: nn.SpatialCrossMapLRN(3), x4, (2, 3, 6, 6)),
        "SpatialZeroPadding": (lambda: nn.SpatialZeroPadding(1, 1, 2, 0), x4, (2, 3, 8, 8)),
        "SplitTable": (lambda: nn.SplitTable(0), x2, [(5,), (5,)]),
        "Squeeze": (lambda: nn.Squeeze(), f32(2, 1, 5, rng=rng), (2, 5)),
        "Tanh": (lambda: nn.Tanh(), x2, (2, 5)),
        "Transpose": (lambda: nn.Transpose(0, 1), x2, (5, 2)),
        "Unsqueeze": (lambda: nn.Unsqueeze(1), x2, (2, 1, 5)),
        "UpSampling2d": (lambda: nn.UpSampling2d(2), x4, (2, 3, 12, 12)),
        "View": (lambda: nn.View([-1]), x2, (10,)),
    }


def _shapes(y):
    if isinstance(y, list):
        return [_shapes(t) for t in y]
    return tuple(np.asarray(y).shape)


def _ones_like(y):
    if isinstance(y, list):
        return [_ones_like(t) for t in y]
    return np.ones(np.asarray(y).shape, np.float32)


def test_every_registered_module_type_has_a_runnable_class(rng):
    cases = _cases(rng)
    types = nn.module_types()
    assert "nn.Linear" in types and len(types) >= 50
    missing = [t for t in types if t[len("nn."):] not in cases]
    assert not missing, f"no test case for {missing}"
    for t in types:
        name = t[len("nn."):]
        cls = getattr(nn, name)
        make, x, shape = cases[name]
        m = make()
        assert isinstance(m, cls) and isinstance(m, nn.Module)
        assert m.type_name == t
        assert repr(m).startswith(t)
        y = m.forward(x)
        assert _shapes(y) == (shape if not isinstance(shape, list) else [tuple(s) for s in shape]), name
        if name != "Embedding":
            gi = m.backward(x, _ones_like(y))
            assert _shapes(gi) == _shapes(x), name
        else:
            m.backward(x, _ones_like(y))
            g = arr(m.weight_grad if hasattr(m, "weight_grad") else dict(m.named_gradients())["weight"])
            np.testing.assert_array_equal(g[[1, 2, 3, 9]].sum(1), np.full(4, 3.0))
            assert not g[[0, 4, 5]].any()
        # the registry's factory and the Python class agree
        if m.config():
            assert nn.create(t, **m.config()).config() == m.config()


def test_every_registered_criterion_type_has_a_runnable_class(rng):
    x = f32(4, 3, rng=rng)
    y = f32(4, 3, rng=rng)
    p = 1 / (1 + np.exp(-x))
    labels = np.array([0, 2, 1, 2], np.int64)
    sign = np.array([1, -1, 1, -1], np.float32)
    logp = x - np.log(np.exp(x).sum(1, keepdims=True))
    cases = {
        "AbsCriterion": (nn.AbsCriterion(), x, y),
        "BCECriterion": (nn.BCECriterion(), p, (y > 0).astype(np.float32)),
        "BCEWithLogitsCriterion": (nn.BCEWithLogitsCriterion(), x, (y > 0).astype(np.float32)),
        "ClassNLLCriterion": (nn.ClassNLLCriterion(), logp, labels),
        "CosineEmbeddingCriterion": (nn.CosineEmbeddingCriterion(0.1), [x, y], sign),
        "CrossEntropyCriterion": (nn.CrossEntropyCriterion(), x, labels),
        "DistKLDivCriterion": (nn.DistKLDivCriterion(), logp, np.exp(logp)),
        "MarginCriterion": (nn.MarginCriterion(), x, np.sign(y)),
        "MSECriterion": (nn.MSECriterion(), x, y),
        "MultiCriterion": (nn.MultiCriterion().add(nn.MSECriterion()).add(nn.AbsCriterion(), 0.1), x, y),
        "MultiLabelSoftMarginCriterion": (nn.MultiLabelSoftMarginCriterion(), x, (y > 0).astype(np.float32)),
        "ParallelCriterion": (nn.ParallelCriterion().add(nn.MSECriterion()).add(nn.AbsCriterion(), 0.5),
                              [x, y], [y, x]),
        "SmoothL1Criterion": (nn.SmoothL1Criterion(), x, y),
    }
    types = nn.criterion_types()
    missing = [t for t in types if t[len("nn."):] not in cases]
    assert not missing, f"no test case for {missing}"
    bce = -((y > 0) * np.log(p) + (y <= 0) * np.log(1 - p)).mean()
    for t in types:
        name = t[len("nn."):]
        crit, inp, target = cases[name]
        assert isinstance(crit, getattr(nn, name)) and isinstance(crit, nn.Criterion)
        assert crit.type_name == t
        loss = crit.forward(inp, target)
        assert np.isfinite(loss), name
        gi = crit.backward(inp, target)
        assert _shapes(gi) == _shapes(inp), name
        if name in ("BCECriterion", "BCEWithLogitsCriterion", "MultiLabelSoftMarginCriterion"):
            assert loss == pytest.approx(bce, rel=1e-4), name


# ---- containers and Graph ------------------------------------------------------------------

def test_sequential_container_protocol(rng):
    a, b = nn.Linear(4, 3), nn.ReLU()
    s = nn.Sequential(a)
    assert s.add(b) is s
    assert len(s) == 2 and list(s) == [a, b] and s[0] is a and s[-1] is b
    assert s.children() == [a, b] and [k for k, _ in s.named_children()] == ["0", "1"]
    with pytest.raises(IndexError):
        s[2]
    with pytest.raises(TypeError, match=r"\[nn.Sequential\] expected ember.nn.Module arguments, got int"):
        nn.Sequential(a, 3)
    with pytest.raises(ValueError, match="module is null"):
        s.add(None)
    with pytest.raises(TypeError):
        s.add("relu")
    a.set_name("fc")
    assert s.find("1") is b
    named = nn.Sequential(nn.Linear(4, 3).set_name("fc1"), nn.Sequential(nn.Linear(3, 2).set_name("fc2")))
    assert [n for n, _ in named.named_parameters()] == ["fc1.weight", "fc1.bias", "1.fc2.weight", "1.fc2.bias"]
    assert named.find("1.fc2").type_name == "nn.Linear" and named.find("nope") is None
    assert named["fc1"].name == "fc1" and named.fc1.name == "fc1"
    with pytest.raises(AttributeError):
        named.nope


def test_repr_shows_the_tree():
    model = nn.Sequential(nn.Linear(4, 3).set_name("fc1"), nn.ConcatTable(nn.Identity(), nn.Tanh()))
    text = repr(model)
    assert text.splitlines()[0] == "nn.Sequential("
    assert "(fc1): nn.Linear(in_features=4, out_features=3, bias=true)" in text
    assert "(1): nn.ConcatTable(" in text and "nn.Tanh()" in text


def test_summary_runs_a_forward_and_restores_the_mode():
    model = ember.models.lenet5()
    model.training()
    text = model.summary([1, 1, 28, 28])
    assert "nn.Conv2d" in text and "[1, 10]" in text
    assert f"Total parameters: {model.num_parameters()}" in text
    assert model.is_training


def test_table_containers(rng):
    x, z = f32(2, 4, rng=rng), f32(2, 3, rng=rng)
    a, b = nn.Linear(4, 2), nn.Linear(3, 2)
    par = nn.ParallelTable(a, b)
    ys = par([x, z])
    assert isinstance(ys, list) and len(ys) == 2
    np.testing.assert_allclose(arr(ys[0]), arr(a.forward(x)), rtol=1e-6)
    shared = nn.Linear(4, 2)
    mt = nn.MapTable().add(shared)
    assert mt.module is shared
    ys = mt([x, x * 2])
    np.testing.assert_allclose(arr(ys[1]) - arr(shared.bias), 2 * (arr(ys[0]) - arr(shared.bias)), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError):
        mt.add(nn.Linear(4, 2))
    cat = nn.Concat(1, nn.Linear(4, 2), nn.Linear(4, 3))
    assert cat.config() == {"dim": 1} and len(cat) == 2
    assert arr(cat(x)).shape == (2, 5)


def test_graph_from_nodes(rng):
    x = nn.Input()
    assert x.is_input and x.module is None
    fc1, fc2, skip = nn.Linear(4, 8).set_name("fc1"), nn.Linear(8, 2), nn.Linear(4, 2)
    h = nn.ReLU()(fc1(x))
    assert isinstance(h, nn.Node) and not h.is_input
    y = nn.CAddTable()([fc2(h), skip(x)])
    model = nn.Graph([x], [y])
    assert isinstance(model, nn.Container) and len(model.nodes()) == 6
    xin = f32(3, 4, rng=rng)
    out = arr(model(xin))
    ref = np.maximum(xin @ arr(fc1.weight).T + arr(fc1.bias), 0) @ arr(fc2.weight).T + arr(fc2.bias) \
        + xin @ arr(skip.weight).T + arr(skip.bias)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    gi = arr(model.backward(xin, np.ones((3, 2), np.float32)))
    assert gi.shape == (3, 4)
    assert "fc1.weight" in dict(model.named_parameters())
    # two inputs, BigDL style .inputs(), Model alias
    a, b = nn.Input("a"), nn.Input("b")
    j = nn.JoinTable(1).inputs(a, b)
    m2 = nn.Model([a, b], j)
    assert isinstance(m2, nn.Graph) and isinstance(m2, nn.Model)
    assert arr(m2([xin, xin])).shape == (3, 8)
    with pytest.raises(TypeError, match="Graph's modules come from its nodes"):
        model.add(nn.ReLU())
    with pytest.raises(ValueError):
        nn.Graph([nn.Input()], [fc1(nn.Input())])  # the output does not depend on the graph input
    with pytest.raises(TypeError, match="expected Nodes"):
        nn.Graph([x], [1])


# ---- forward semantics, errors ----------------------------------------------------------------

def test_forward_returns_a_view_of_the_output_buffer(rng):
    fc = nn.Linear(4, 3)
    x1, x2 = f32(2, 4, rng=rng), f32(2, 4, rng=rng)
    y1 = fc(x1)
    first = arr(y1)
    y2 = fc(x2)
    np.testing.assert_array_equal(np.asarray(y1), np.asarray(y2))  # same buffer, overwritten
    assert not np.array_equal(first, arr(y2))
    np.testing.assert_array_equal(arr(fc.output), arr(y2))


def test_wrong_input_shape_raises_value_error_with_the_cpp_message(rng):
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(5, 2))
    with pytest.raises(ValueError, match=r"\[nn.Linear '1'\] input feature size mismatch"):
        model.forward(f32(2, 4, rng=rng))
    with pytest.raises(TypeError, match=r"input dtype int64 does not match weight dtype float32"):
        nn.Linear(4, 3).forward(np.ones((2, 4), np.int64))
    with pytest.raises(TypeError, match="unsupported dtype"):
        nn.Linear(4, 3).forward(np.ones((2, 4), np.float16))
    with pytest.raises(TypeError, match="expected a Tensor, got nothing"):
        nn.Linear(4, 3).forward(None)
    with pytest.raises(TypeError):
        nn.Linear(4, 3).forward("abc")


def test_non_contiguous_and_read_only_input(rng):
    fc = nn.Linear(4, 3)
    big = f32(6, 8, rng=rng)
    x = big[::2, ::2]
    assert not x.flags.c_contiguous
    np.testing.assert_allclose(arr(fc(x)), x @ arr(fc.weight).T + arr(fc.bias), rtol=1e-5, atol=1e-6)
    xt = f32(4, 5, rng=rng).T
    np.testing.assert_allclose(arr(fc(xt)), xt @ arr(fc.weight).T + arr(fc.bias), rtol=1e-5, atol=1e-6)
    ro = f32(2, 4, rng=rng)
    ro.flags.writeable = False
    np.testing.assert_allclose(arr(fc(ro)), ro @ arr(fc.weight).T + arr(fc.bias), rtol=1e-5, atol=1e-6)
    conv = nn.Conv2d(2, 3, 3)
    xc = f32(2, 5, 5, 2, rng=rng).transpose(0, 3, 1, 2)  # NHWC memory viewed as NCHW
    ref = arr(conv(np.ascontiguousarray(xc)))
    np.testing.assert_allclose(arr(conv(xc)), ref, rtol=1e-5, atol=1e-6)


# ---- predict ----------------------------------------------------------------------------------

def test_predict_batches_in_evaluation_mode_and_restores_the_mode(rng):
    model = nn.Sequential(nn.Linear(4, 16), nn.Dropout(0.5), nn.Linear(16, 3), nn.LogSoftMax())
    model.training()
    x = f32(10, 4, rng=rng)
    out = model.predict(x, batch_size=3)
    assert isinstance(out, np.ndarray) and out.shape == (10, 3) and out.dtype == np.float32
    assert model.is_training
    model.evaluate()
    ref = arr(model(x))
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    assert not model.is_training
    out2 = model.predict(x, batch_size=4)
    kept = out2.copy()
    model.forward(x[:2])  # a later forward must not change the returned array
    np.testing.assert_array_equal(out2, kept)
    np.testing.assert_allclose(out2, out, rtol=1e-5, atol=1e-6)
    labels = model.predict_class(x, batch_size=7)
    assert labels.dtype == np.int64 and labels.shape == (10,)
    np.testing.assert_array_equal(labels, ref.argmax(1))
    with pytest.raises(ValueError, match="batch_size must be positive"):
        model.predict(x, batch_size=0)
    with pytest.raises(ValueError, match="input feature size mismatch"):
        model.predict(f32(5, 3, rng=rng))
    with pytest.raises(ValueError, match="no samples"):
        model.predict(np.zeros((0, 4), np.float32))
    with pytest.raises(ValueError, match="predict_class"):
        nn.Sequential(nn.Linear(4, 2), nn.Reshape([2, 1])).predict_class(x)


def test_predict_lenet_float64(rng):
    model = ember.models.lenet5().to(np.float64)
    x = rng.standard_normal((5, 1, 28, 28))
    out = model.predict(x, batch_size=2)
    assert out.dtype == np.float64 and out.shape == (5, 10)
    np.testing.assert_allclose(np.exp(out).sum(1), 1.0, rtol=1e-10)
    model.to("float32")
    assert arr(model.parameters()[0]).dtype == np.float32


# ---- parameters, modes, freezing, init -------------------------------------------------------

def test_parameters_share_memory_and_flatten(rng):
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    names = [n for n, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert model.num_parameters() == 4 * 3 + 3 + 3 * 2 + 2
    w0 = np.asarray(model.parameters()[0])
    w0[...] = 0.5
    assert (arr(model[0].weight) == 0.5).all()
    flat_w, flat_g = model.get_parameters()
    fw, fg = np.asarray(flat_w), np.asarray(flat_g)
    assert fw.shape == (model.num_parameters(),) and fg.shape == fw.shape
    assert (fw[:12] == 0.5).all()
    x = f32(5, 4, rng=rng)
    model.zero_grad_parameters()
    model.forward(x)
    model.backward(x, np.ones((5, 2), np.float32))
    np.testing.assert_array_equal(fg[-2:], np.full(2, 5.0))  # bias gradient of the last Linear
    before = arr(model(x))
    fw -= 0.1 * fg  # training through the flat views
    assert not np.allclose(arr(model(x)), before)
    w2, g2 = model.get_parameters()
    assert np.shares_memory(np.asarray(w2), fw)
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(3, 4), (3,), (2, 3), (2,)]
    model.set_weights([np.zeros_like(w) for w in weights])
    assert not arr(model(x)).any()
    with pytest.raises(ValueError, match="expected 4 arrays"):
        model.set_weights(weights[:2])


def test_modes_freeze_propagate_back_name(rng):
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 2))
    assert model.evaluate() is model and not model.is_training and not model[0].is_training
    assert model.training() is model and model[1].is_training
    assert model.freeze("0") is model
    x = f32(2, 4, rng=rng)
    model.zero_grad_parameters()
    model.forward(x)
    model.backward(x, np.ones((2, 2), np.float32))
    grads = dict(model.named_gradients())
    assert not arr(grads["0.weight"]).any() and arr(grads["1.weight"]).any()
    model.unfreeze()
    with pytest.raises(ValueError):
        model.freeze(["nope"])
    assert model.set_propagate_back(False) is model and not model[0].propagate_back
    model.set_name("net")
    assert model.name == "net"
    model.name = "other"
    assert model.name == "other"


def test_init_methods_and_regularizer():
    fc = nn.Linear(30, 20)
    assert fc.set_init_method(nn.Zeros(), nn.Ones()) is fc
    assert not arr(fc.weight).any() and (arr(fc.bias) == 1).all()
    fc.set_init_method(nn.Const(0.25), nn.ConstInitMethod(2.0))
    assert (arr(fc.weight) == 0.25).all() and (arr(fc.bias) == 2.0).all()
    fc.set_init_method(nn.RandomUniform(-0.1, 0.1))
    w = arr(fc.weight)
    assert np.abs(w).max() <= 0.1 and w.std() > 0.03
    fc.set_init_method(nn.Xavier())
    assert np.abs(arr(fc.weight)).max() <= np.sqrt(6 / 50) + 1e-6
    fc.set_init_method(nn.RandomNormal(1.0, 0.01))
    assert abs(arr(fc.weight).mean() - 1.0) < 0.01
    for m in (nn.MsraFiller(), nn.MsraFiller(False), nn.BilinearFiller(), nn.RandomUniform()):
        assert isinstance(m, nn.InitMethod) and repr(m)
    before = arr(fc.weight)
    fc.reset()
    assert not np.array_equal(before, arr(fc.weight))
    assert fc.set_regularizer("weight", l2=1e-4) is fc
    assert fc.regularizer("weight") == nn.Regularizer(l2=1e-4)
    fc.set_regularizer("bias", nn.L1L2Regularizer(0.1, 0.2))
    assert fc.regularizer("bias").l1 == 0.1 and nn.L2Regularizer(0.5).l2 == 0.5 and nn.L1Regularizer(1).l1 == 1
    with pytest.raises(ValueError, match="'weight', 'bias'"):
        fc.set_regularizer("gamma", l2=1.0)
    with pytest.raises(ValueError):
        fc.set_regularizer("weight", l2=-1.0)


def test_buffers_and_attribute_access(rng):
    bn = nn.BatchNorm2d(3)
    names = [n for n, _ in bn.named_buffers()]
    assert names == ["running_mean", "running_var"]
    x = f32(4, 3, 5, 5, rng=rng) + 2.0
    bn.training()
    bn.forward(x)
    rm = arr(bn.running_mean)
    np.testing.assert_allclose(rm, 0.1 * x.mean(axis=(0, 2, 3)), rtol=1e-4)
    assert len(bn.buffers()) == 2
    assert isinstance(bn.weight, ember.Tensor)


def test_create_from_the_registry():
    fc = nn.create("nn.Linear", in_features=4, out_features=2)
    assert isinstance(fc, nn.Linear) and fc.config()["out_features"] == 2
    with pytest.raises(ValueError, match="unknown module type 'nn.Nope'"):
        nn.create("nn.Nope")
    assert isinstance(nn.create_criterion("nn.MSECriterion"), nn.MSECriterion)


def test_update_parameters(rng):
    fc = nn.Linear(3, 2)
    x = f32(4, 3, rng=rng)
    w = arr(fc.weight)
    fc.zero_grad_parameters()
    fc.forward(x)
    fc.backward(x, np.ones((4, 2), np.float32))
    g = arr(dict(fc.named_gradients())["weight"])
    assert fc.update_parameters(0.5) is fc
    np.testing.assert_allclose(arr(fc.weight), w - 0.5 * g, rtol=1e-6)


# ---- BigDL names ------------------------------------------------------------------------------

def bigdl_lenet(class_num):
    # BigDL's LeNet-5 tutorial, verbatim (from bigdl.nn.layer import *).
    model = nn.Sequential()
    model.add(nn.Reshape([1, 28, 28]))
    model.add(nn.SpatialConvolution(1, 6, 5, 5))
    model.add(nn.Tanh())
    model.add(nn.SpatialMaxPooling(2, 2, 2, 2))
    model.add(nn.Tanh())
    model.add(nn.SpatialConvolution(6, 12, 5, 5))
    model.add(nn.SpatialMaxPooling(2, 2, 2, 2))
    model.add(nn.Reshape([12 * 4 * 4]))
    model.add(nn.Linear(12 * 4 * 4, 100))
    model.add(nn.Tanh())
    model.add(nn.Linear(100, class_num))
    model.add(nn.LogSoftMax())
    return model


def test_bigdl_lenet_matches_ember_lenet5(rng):
    model = bigdl_lenet(10)
    assert model.num_parameters() == ember.models.lenet5().num_parameters()
    chained = nn.Sequential().add(nn.Reshape([1, 28, 28])).add(nn.SpatialConvolution(1, 6, 5, 5)).add(nn.Tanh())
    assert len(chained) == 3
    assert isinstance(model[1], nn.SpatialConvolution) and isinstance(model[1], nn.Conv2d)
    assert type(model[1]) is nn.Conv2d and issubclass(nn.Conv2d, nn.SpatialConvolution)
    assert isinstance(model[3], nn.SpatialMaxPooling) and not isinstance(model[3], nn.SpatialConvolution)
    assert model[3].config()["stride"] == [2, 2]
    out = model.predict(f32(3, 784, rng=rng))
    assert out.shape == (3, 10)
    np.testing.assert_allclose(np.exp(out).sum(1), 1.0, rtol=1e-5)


def test_bigdl_constructor_arguments():
    conv = nn.SpatialConvolution(3, 8, 5, 3, 2, 1, 1, 0, wRegularizer=nn.L2Regularizer(1e-3), with_bias=False)
    c = conv.config()
    assert c["kernel_size"] == [3, 5] and c["stride"] == [1, 2] and c["padding"] == [0, 1] and c["bias"] is False
    assert conv.regularizer("weight").l2 == 1e-3
    w = np.arange(8 * 3 * 3 * 5, dtype=np.float32)
    conv2 = nn.SpatialConvolution(3, 8, 5, 3, init_weight=w, propagate_back=False)
    np.testing.assert_array_equal(arr(conv2.weight).ravel(), w)
    assert not conv2.propagate_back
    with pytest.raises(ValueError, match="SAME"):
        nn.SpatialConvolution(3, 8, 3, 3, pad_w=-1, pad_h=-1)
    with pytest.raises(ValueError, match="NHWC"):
        nn.SpatialMaxPooling(2, 2, 2, 2, format="NHWC")
    assert nn.SpatialAveragePooling(3, 3, 2, 2).config()["kernel_size"] == [3, 3]
    assert isinstance(nn.SpatialAveragePooling(2, 2, global_pooling=True), nn.GlobalAvgPool2d)
    assert nn.SpatialBatchNormalization(16, 1e-3).config()["eps"] == 1e-3
    assert isinstance(nn.BatchNormalization(16), nn.BatchNorm1d)
    assert nn.SpatialDilatedConvolution(2, 4, 3, 3, 1, 1, 2, 2, 2, 2).config()["dilation"] == [2, 2]
    full = nn.SpatialFullConvolution(4, 2, 4, 4, 2, 2, 1, 1, no_bias=True)
    assert isinstance(full, nn.ConvTranspose2d) and full.config()["bias"] is False
    lt = nn.LookupTable(100, 8)
    assert isinstance(lt, nn.Embedding) and lt.config()["num_embeddings"] == 100 and lt.config()["padding_idx"] == -1
    assert isinstance(nn.UpSampling2D([2, 3]), nn.UpSampling2d)
    assert isinstance(nn.Contiguous(), nn.Identity)
    for bigdl, ember_name in nn.BIGDL_NAMES.items():
        assert hasattr(nn, bigdl) and hasattr(nn, ember_name), bigdl
