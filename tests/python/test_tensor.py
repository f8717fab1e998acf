"""ember.Tensor against NumPy: conversions, views, ops, indexing, dtypes, pickling, errors."""

import copy
import pickle

import numpy as np
import pytest

import ember

FLOATS = [np.float32, np.float64]


def arr(t):
    return np.asarray(t)


# ---- conversions ------------------------------------------------------------------------------------


def test_from_numpy_shares_memory_both_ways(rng):
    a = rng.standard_normal((3, 4)).astype(np.float32)
    t = ember.from_numpy(a)
    assert t.shape == (3, 4) and t.dtype == ember.float32 and t.strides == (4, 1)
    t[1, 2] = 7.0
    assert a[1, 2] == 7.0
    a[0, 0] = -3.0
    assert t[0, 0].item() == -3.0
    n = t.numpy()
    n[2, 3] = 11.0
    assert a[2, 3] == 11.0
    assert np.shares_memory(n, a) and np.shares_memory(np.asarray(t), a)
    assert ember.shares_memory(t, a)


def test_strided_numpy_view_is_not_copied():
    a = np.arange(24, dtype=np.float32).reshape(4, 6)
    t = ember.from_numpy(a[:, ::2])
    assert t.shape == (4, 3) and t.strides == (6, 2) and not t.is_contiguous()
    assert ember.shares_memory(t, a)
    np.testing.assert_array_equal(arr(t), a[:, ::2])
    t[0, 1] = 100.0
    assert a[0, 2] == 100.0
    tt = ember.from_numpy(a.T)
    assert tt.strides == (1, 6) and ember.shares_memory(tt, a)


def test_negative_strides_are_copied_once():
    a = np.arange(6, dtype=np.float64)
    t = ember.from_numpy(a[::-1])
    np.testing.assert_array_equal(arr(t), a[::-1])
    assert not ember.shares_memory(t, a)
    assert t.is_contiguous()


def test_constructor_copies_and_converts():
    a = np.ones((2, 2), np.float32)
    t = ember.Tensor(a)
    t[0, 0] = 5
    assert a[0, 0] == 1.0
    assert ember.Tensor([[1.0, 2.0]]).dtype == ember.float32  # Python floats -> float32
    assert ember.Tensor([1, 2]).dtype == ember.int64
    t64 = ember.Tensor([1, 2], dtype=ember.float64)
    assert t64.dtype == ember.float64 and t64.tolist() == [1.0, 2.0]
    assert ember.tensor(3.5).item() == 3.5 and ember.tensor(3.5).shape == ()
    assert ember.Tensor(np.array([True, False])).dtype == ember.uint8
    assert ember.Tensor([1, 2], dtype="int32").dtype == ember.int32
    assert ember.Tensor([1, 2], dtype=np.float64).dtype == ember.float64


@pytest.mark.parametrize("dt,edt", [(np.float32, "float32"), (np.float64, "float64"), (np.int32, "int32"),
                                    (np.int64, "int64"), (np.uint8, "uint8")])
def test_dtype_round_trip(dt, edt):
    a = (np.arange(12) % 200).astype(dt).reshape(3, 4)
    t = ember.from_numpy(a)
    assert str(t.dtype) == edt and repr(t.dtype) == "ember." + edt
    assert t.dtype == getattr(ember, edt)
    b = np.asarray(t)
    assert b.dtype == dt and np.array_equal(b, a)
    assert np.array_equal(np.array(memoryview(t)), a)
    for other in [ember.float32, ember.float64, ember.int64]:
        np.testing.assert_array_equal(arr(t.to(other).to(t.dtype)), a)


def test_bfloat16_round_trip():
    a = np.array([1.0, -2.5, 3.0, 0.15625], np.float32)
    b = ember.from_numpy(a).to(ember.bfloat16)
    assert b.dtype == ember.bfloat16 and b.dtype.itemsize == 2
    np.testing.assert_array_equal(arr(b.to(ember.float32)), a)
    assert b.tolist() == a.tolist()
    with pytest.raises(TypeError, match="bfloat16"):
        np.asarray(b)
    b2 = pickle.loads(pickle.dumps(b))
    assert b2.dtype == ember.bfloat16 and b2.to(ember.float32).tolist() == a.tolist()


@pytest.mark.parametrize("dt,name", [(np.float16, "float16"), (np.complex64, "complex64"), (object, "object"),
                                     (np.uint16, "uint16")])
def test_unsupported_dtype_is_a_type_error_naming_it(dt, name):
    with pytest.raises(TypeError, match=name):
        ember.from_numpy(np.zeros(3, dt))
    with pytest.raises(TypeError, match=name):
        ember.exp(np.zeros(3, dt))
    with pytest.raises(TypeError, match=name):
        ember.zeros(2, dtype=dt)


def test_dtype_arguments():
    for spec in [ember.float64, np.float64, np.dtype("float64"), "float64", "np.float64", "ember.float64", float]:
        assert ember.zeros(2, dtype=spec).dtype == ember.float64
    assert ember.zeros(2, dtype="float").dtype == ember.float32  # Ember's float, as in ember.nn
    assert ember.zeros(2, dtype=None).dtype == ember.float32
    assert ember.zeros(2, dtype=bool).dtype == ember.uint8
    with pytest.raises(TypeError, match="not a dtype: 'nope'"):
        ember.zeros(2, dtype="nope")
    with pytest.raises(TypeError, match="expected a dtype, got None"):
        ember.nn.Linear(2, 3).to(None)


def test_none_and_garbage_inputs_raise_type_error():
    with pytest.raises(TypeError, match="None"):
        ember.from_numpy(None)
    with pytest.raises(TypeError):
        ember.exp("abc")
    with pytest.raises(TypeError):
        ember.ones(2) + "x"
    with pytest.raises(TypeError):
        ember.zeros("a")


def test_array_protocol_dtype_and_copy():
    t = ember.arange(4)
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    c = np.array(t, copy=True)
    c[0] = 9
    assert t[0].item() == 0
    v = np.asarray(t)
    v[1] = 5
    assert t[1].item() == 5
    with pytest.raises(ValueError):
        np.array(t, dtype=np.float64, copy=False)


# ---- read-only -----------------------------------------------------------------------------------------


def test_read_only_array_gives_read_only_tensor():
    a = np.zeros((2, 3), np.float32)
    a.setflags(write=False)
    t = ember.from_numpy(a)
    assert not t.writable
    assert not np.asarray(t).flags.writeable
    assert memoryview(t).readonly
    for write in [lambda: t.fill_(1.0), lambda: t.zero_(), lambda: t.copy_(np.ones((2, 3), np.float32)),
                  lambda: t.__setitem__((0, 0), 1.0), lambda: t.__setitem__(0, [1, 2, 3]),
                  lambda: t.__setitem__((slice(None), slice(None, None, 2)), 1.0)]:
        with pytest.raises(ValueError, match="read-only"):
            write()
    with pytest.raises(ValueError, match="read-only"):
        t += 1
    with pytest.raises(ValueError, match="read-only"):
        t.mul_(2.0)
    with pytest.raises(ValueError, match="read-only"):
        t.uniform_()
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(t)[0, 0] = 1
    assert not a.any()
    # Reading and out-of-place ops still work; copies are writable.
    assert (t + 1).writable and t.clone().writable
    np.testing.assert_array_equal(arr(t + 1), np.ones((2, 3)))


# ---- views ----------------------------------------------------------------------------------------


def test_views_share_memory_and_match_numpy(rng):
    a = rng.standard_normal((2, 3, 4)).astype(np.float32)
    t = ember.from_numpy(a)
    cases = [
        (t.view(6, 4), a.reshape(6, 4)),
        (t.view((-1,)), a.reshape(-1)),
        (t.transpose(0, 2), a.transpose(2, 1, 0)),
        (t.permute(2, 0, 1), a.transpose(2, 0, 1)),
        (t.select(1, 2), a[:, 2]),
        (t.narrow(2, 1, 2), a[:, :, 1:3]),
        (t.unsqueeze(1), a[:, None]),
        (t.unsqueeze(1).squeeze(1), a),
        (t.unsqueeze(0).squeeze(), a),
        (t.flatten(1), a.reshape(2, 12)),
        (t.T, a.T),
        (t[0].t(), a[0].T),
        (t[:, :1].expand(2, 5, 4), np.broadcast_to(a[:, :1], (2, 5, 4))),
    ]
    for view, expected in cases:
        np.testing.assert_array_equal(arr(view), expected)
        assert view.shares_storage(t) and ember.shares_memory(view, a)
    v = t.transpose(0, 2)
    v[1, 2, 0] = 42.0  # writes through to the original array
    assert a[0, 2, 1] == 42.0
    a[1, 0, 3] = -1.0
    assert v[3, 0, 1].item() == -1.0


def test_reshape_copies_only_when_needed():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = ember.from_numpy(a)
    assert t.reshape(3, 2).shares_storage(t)
    tt = t.t()
    with pytest.raises(ValueError, match="view"):
        tt.view(6)
    r = tt.reshape(6)
    np.testing.assert_array_equal(arr(r), a.T.reshape(6))
    assert not ember.shares_memory(r, a)
    c = tt.contiguous()
    assert c.is_contiguous() and not ember.shares_memory(c, a)
    assert t.contiguous().shares_storage(t)


def test_clone_is_independent():
    t = ember.ones(3)
    c = t.clone()
    c.fill_(2.0)
    assert t.tolist() == [1.0, 1.0, 1.0] and c.tolist() == [2.0, 2.0, 2.0]


# ---- factories -----------------------------------------------------------------------------------


def test_factories():
    assert ember.zeros(2, 3).shape == (2, 3) and ember.zeros((2, 3)).tolist() == [[0.0] * 3] * 2
    assert ember.ones([4], dtype=ember.int32).dtype == ember.int32
    assert ember.full((2,), 7.5, dtype=ember.float64).tolist() == [7.5, 7.5]
    assert ember.empty(5).shape == (5,)
    assert ember.zeros().shape == ()
    np.testing.assert_array_equal(arr(ember.arange(5)), np.arange(5, dtype=np.float32))
    np.testing.assert_allclose(arr(ember.arange(1, 2, 0.25)), [1.0, 1.25, 1.5, 1.75])
    assert ember.arange(3, dtype=ember.int64).dtype == ember.int64


def test_random_factories_are_seeded():
    ember.manual_seed(3)
    a = ember.rand(100).tolist()
    ember.manual_seed(3)
    assert ember.rand(100).tolist() == a
    assert all(0.0 <= x < 1.0 for x in a)
    g1, g2 = ember.Generator(7), ember.Generator(7)
    x = ember.randn(1000, dtype=ember.float64, generator=g1)
    assert x.tolist() == ember.randn(1000, dtype=ember.float64, generator=g2).tolist()
    assert abs(x.mean().item()) < 0.15 and abs(float(np.asarray(x).std()) - 1.0) < 0.1
    state = g1.get_state()
    v = g1.next_u64()
    g1.set_state(state)
    assert g1.next_u64() == v
    g3 = pickle.loads(pickle.dumps(g1))
    assert g3.next_double() == g1.next_double()
    with pytest.raises(ValueError, match=r"\[Generator.set_state\] expected 4 state words"):
        g1.set_state(((1, 2, 3), 0, 0.0, False))
    with pytest.raises(ValueError, match=r"\[Generator.__setstate__\] expected the tuple of get_state\(\)"):
        ember.Generator.__new__(ember.Generator).__setstate__((1, 2))
    t = ember.zeros(1000).uniform_(2.0, 3.0, generator=ember.Generator(1))
    assert 2.0 <= t.min().item() and t.max().item() < 3.0
    b = ember.zeros(2000).bernoulli_(0.25, generator=ember.Generator(1))
    assert set(np.unique(np.asarray(b))) <= {0.0, 1.0} and 0.18 < b.mean().item() < 0.32


# ---- ops vs NumPy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dt", FLOATS)
def test_binary_ops_broadcast_like_numpy(dt, rng):
    a = rng.standard_normal((3, 4)).astype(dt)
    b = rng.standard_normal((4,)).astype(dt) + 3.0
    c = rng.standard_normal((3, 1)).astype(dt)
    ta, tb, tc = ember.from_numpy(a), ember.from_numpy(b), ember.from_numpy(c)
    tol = dict(rtol=1e-6 if dt == np.float32 else 1e-12)
    np.testing.assert_allclose(arr(ta + tb), a + b, **tol)
    np.testing.assert_allclose(arr(ta - tc), a - c, **tol)
    np.testing.assert_allclose(arr(ta * tb), a * b, **tol)
    np.testing.assert_allclose(arr(ta / tb), a / b, **tol)
    np.testing.assert_allclose(arr(tc + tb), c + b, **tol)  # [3,1] + [4] -> [3,4]
    np.testing.assert_allclose(arr(ta + b), a + b, **tol)  # NumPy operand
    np.testing.assert_allclose(arr(ember.maximum(a, b)), np.maximum(a, b))
    np.testing.assert_allclose(arr(ember.minimum(ta, c)), np.minimum(a, c))
    np.testing.assert_array_equal(arr(ember.gt(a, c)), (a > c).astype(dt))
    np.testing.assert_array_equal(arr(ember.lt(a, c)), (a < c).astype(dt))
    np.testing.assert_array_equal(arr(ember.eq(ta, ta)), np.ones_like(a))
    for r in [ta + tb, ta.add(b), ember.add(a, b)]:
        assert r.dtype == ta.dtype
    with pytest.raises(ValueError, match="broadcast"):
        ember.from_numpy(a) + np.ones(3, dt)


@pytest.mark.parametrize("dt", FLOATS)
def test_scalar_ops(dt, rng):
    a = (rng.random((2, 3)) + 0.5).astype(dt)
    t = ember.from_numpy(a)
    np.testing.assert_allclose(arr(t + 2), a + 2)
    np.testing.assert_allclose(arr(2 + t), 2 + a)
    np.testing.assert_allclose(arr(t - 1.5), a - 1.5)
    np.testing.assert_allclose(arr(1.5 - t), 1.5 - a)
    np.testing.assert_allclose(arr(t * 3), a * 3)
    np.testing.assert_allclose(arr(3 * t), 3 * a)
    np.testing.assert_allclose(arr(t / 4), a / 4)
    np.testing.assert_allclose(arr(1 / t), 1 / a, rtol=1e-6)
    np.testing.assert_allclose(arr(t ** 2), a ** 2, rtol=1e-6)
    np.testing.assert_allclose(arr(t + np.float32(1)), a + 1)
    np.testing.assert_allclose(arr(-t), -a)
    np.testing.assert_allclose(arr(abs(-t)), a)
    np.testing.assert_allclose(arr(t + [1.0, 2.0, 3.0]), a + [1.0, 2.0, 3.0])  # a list takes t's dtype


def test_int_ops():
    a = np.arange(6, dtype=np.int64).reshape(2, 3)
    t = ember.from_numpy(a)
    np.testing.assert_array_equal(arr(t + t), a + a)
    np.testing.assert_array_equal(arr(t * 2), a * 2)
    np.testing.assert_array_equal(arr(t.sum(dim=0)), a.sum(0))
    assert t.sum().item() == 15 and isinstance(t.sum().item(), int)
    with pytest.raises(TypeError, match="dtype"):
        t + np.ones((2, 3), np.float32)


@pytest.mark.parametrize("dt", FLOATS)
def test_in_place_ops(dt, rng):
    a = rng.standard_normal((3, 4)).astype(dt)
    b = rng.standard_normal((4,)).astype(dt)
    expected = a.copy()
    t = ember.from_numpy(a)
    alias = t
    t += b
    expected += b
    t -= 0.5
    expected -= 0.5
    t *= 2
    expected *= 2
    t /= 4
    expected /= 4
    t *= ember.from_numpy(b)
    expected *= b
    assert t is alias  # the same Python object: in place
    np.testing.assert_allclose(a, expected, rtol=1e-6)  # through the shared memory
    t.add_(b, alpha=2.0)
    expected += 2.0 * b
    np.testing.assert_allclose(a, expected, rtol=1e-6)
    t.sub_(1).mul_(3).div_(2)
    expected = (expected - 1) * 3 / 2
    np.testing.assert_allclose(a, expected, rtol=1e-6)
    with pytest.raises(ValueError):
        t += np.ones((2, 3, 4), dt)  # would not fit the destination


@pytest.mark.parametrize("dt", FLOATS)
def test_unary_ops(dt, rng):
    a = (rng.random((3, 5)) * 4 - 2).astype(dt)
    p = np.abs(a) + 0.1
    t, tp = ember.from_numpy(a), ember.from_numpy(p)
    rtol = 1e-5 if dt == np.float32 else 1e-12
    checks = [
        (t.neg(), -a), (ember.neg(a), -a), (t.abs(), np.abs(a)), (t.exp(), np.exp(a)), (tp.log(), np.log(p)),
        (ember.log(p), np.log(p)), (tp.sqrt(), np.sqrt(p)), (t.square(), a * a), (t.tanh(), np.tanh(a)),
        (t.sigmoid(), 1 / (1 + np.exp(-a))), (t.relu(), np.maximum(a, 0)), (t.sign(), np.sign(a)),
        (t.pow(3.0), a ** 3), (ember.pow(p, 0.5), np.sqrt(p)), (t.clamp(-1, 0.5), np.clip(a, -1, 0.5)),
        (ember.exp(t.t()), np.exp(a.T)),
    ]
    for got, want in checks:
        assert got.dtype == t.dtype
        np.testing.assert_allclose(arr(got), want, rtol=rtol, atol=1e-7)


@pytest.mark.parametrize("dt", FLOATS)
def test_reductions(dt, rng):
    a = rng.standard_normal((3, 4, 5)).astype(dt)
    t = ember.from_numpy(a)
    rtol = 1e-5 if dt == np.float32 else 1e-12
    np.testing.assert_allclose(t.sum().item(), a.sum(), rtol=rtol)
    assert t.sum().shape == ()
    np.testing.assert_allclose(t.mean().item(), a.mean(), rtol=rtol, atol=1e-7)
    for d in [0, 1, 2, -1]:
        np.testing.assert_allclose(arr(t.sum(dim=d)), a.sum(axis=d), rtol=rtol, atol=1e-6)
        np.testing.assert_allclose(arr(t.mean(d, keepdim=True)), a.mean(axis=d, keepdims=True), rtol=rtol, atol=1e-7)
        values, idx = t.max(dim=d)
        np.testing.assert_array_equal(arr(values), a.max(axis=d))
        np.testing.assert_array_equal(arr(idx), a.argmax(axis=d))
        assert idx.dtype == ember.int64
        values, idx = ember.min(a, dim=d, keepdim=True)
        np.testing.assert_array_equal(arr(values), a.min(axis=d, keepdims=True))
        np.testing.assert_array_equal(arr(idx), np.expand_dims(a.argmin(axis=d), d))
        np.testing.assert_array_equal(arr(t.argmax(d)), a.argmax(axis=d))
    assert t.max().item() == a.max() and ember.min(t).item() == a.min()
    assert t.argmax().item() == a.argmax()
    np.testing.assert_allclose(t.norm(), np.linalg.norm(a.ravel()), rtol=rtol)
    np.testing.assert_allclose(arr(t.transpose(0, 2).sum(dim=1)), a.transpose(2, 1, 0).sum(axis=1), rtol=rtol, atol=1e-6)


@pytest.mark.parametrize("dt", FLOATS)
def test_matmul(dt, rng):
    a = rng.standard_normal((5, 3)).astype(dt)
    b = rng.standard_normal((3, 4)).astype(dt)
    v = rng.standard_normal((3,)).astype(dt)
    ba = rng.standard_normal((2, 5, 3)).astype(dt)
    bb = rng.standard_normal((2, 3, 4)).astype(dt)
    rtol = 1e-5 if dt == np.float32 else 1e-12
    ta = ember.from_numpy(a)
    np.testing.assert_allclose(arr(ta @ b), a @ b, rtol=rtol, atol=1e-6)
    np.testing.assert_allclose(arr(ta @ v), a @ v, rtol=rtol, atol=1e-6)
    np.testing.assert_allclose(arr(ember.matmul(v, b)), v @ b, rtol=rtol, atol=1e-6)
    np.testing.assert_allclose(arr(ember.from_numpy(ba) @ bb), ba @ bb, rtol=rtol, atol=1e-6)
    np.testing.assert_allclose(arr(ember.from_numpy(b).t() @ ta.t()), (a @ b).T, rtol=rtol, atol=1e-6)
    c = rng.standard_normal((4,)).astype(dt)
    np.testing.assert_allclose(arr(ember.addmm(c, a, b, beta=0.5, alpha=2.0)), 0.5 * c + 2.0 * (a @ b), rtol=rtol,
                               atol=1e-6)
    with pytest.raises(ValueError):
        ta @ a


def test_joining_and_helpers(rng):
    a = rng.standard_normal((2, 3)).astype(np.float32)
    b = rng.standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_array_equal(arr(ember.cat([a, b], dim=1)), np.concatenate([a, b], 1))
    np.testing.assert_array_equal(arr(ember.stack([a, b])), np.stack([a, b]))
    np.testing.assert_array_equal(arr(ember.index_select(a, 1, np.array([2, 0], np.int64))), a[:, [2, 0]])
    assert ember.allclose(a, a + 1e-9) and not ember.allclose(a, a + 1)
    assert ember.max_abs_diff(a, a + 0.5) == pytest.approx(0.5)


# ---- indexing --------------------------------------------------------------------------------------------


def test_getitem_basic_views_match_numpy():
    a = np.arange(60, dtype=np.float32).reshape(3, 4, 5)
    t = ember.from_numpy(a)
    keys = [0, -1, (1, 2), (1, 2, 3), slice(1, 3), (slice(None), 1), (Ellipsis, 2), (0, Ellipsis, slice(1, 4)),
            (None, 1), (slice(None), None, slice(2)), slice(5, 10), (slice(None), slice(-2, None))]
    for k in keys:
        got = t[k]
        np.testing.assert_array_equal(arr(got), a[k])
        assert got.shares_storage(t)
    assert t[1, 2, 3].item() == a[1, 2, 3] and t[1, 2, 3].shape == ()
    with pytest.raises(IndexError):
        t[3]
    with pytest.raises(IndexError):
        t[0, 0, 0, 0]
    with pytest.raises(IndexError):
        t[:, -6]


def test_getitem_fancy_goes_through_numpy():
    a = np.arange(20, dtype=np.float64).reshape(4, 5)
    t = ember.from_numpy(a)
    stepped = t[:, ::2]
    np.testing.assert_array_equal(arr(stepped), a[:, ::2])
    assert ember.shares_memory(stepped, a)  # positive steps stay views
    for k in [slice(None, None, -1), [0, 2], (slice(None), [4, 0]), a[:, 0] > 5, np.array([1, 3])]:
        np.testing.assert_array_equal(arr(t[k]), a[k])


def test_setitem():
    a = np.zeros((3, 4), np.float32)
    t = ember.from_numpy(a)
    t[0] = 1.0
    t[1, 1:3] = [5.0, 6.0]
    t[2] = np.arange(4, dtype=np.float32)
    t[:, 3] = ember.full((3,), 9.0)
    t[:, ::2] = -1.0  # through NumPy, still in place
    expected = np.zeros((3, 4), np.float32)
    expected[0] = 1
    expected[1, 1:3] = [5, 6]
    expected[2] = np.arange(4)
    expected[:, 3] = 9
    expected[:, ::2] = -1
    np.testing.assert_array_equal(a, expected)
    t[1:] = t[:-1]  # overlapping source and destination
    expected[1:] = expected[:-1].copy()
    np.testing.assert_array_equal(a, expected)
    t[np.array([True, False, True])] = 0.0
    expected[[0, 2]] = 0
    np.testing.assert_array_equal(a, expected)
    with pytest.raises(ValueError):
        t[0] = np.ones(5, np.float32)


def test_len_iter_repr_item_tolist():
    t = ember.Tensor([[1.0, 2.5], [3.0, 4.0]])
    assert len(t) == 2
    assert [r.tolist() for r in t] == [[1.0, 2.5], [3.0, 4.0]]
    assert repr(t) == "tensor([[1.0000, 2.5000],\n        [3.0000, 4.0000]])"
    assert "dtype=float64" in repr(ember.zeros(2, dtype=ember.float64))
    assert "dtype=int64" in repr(ember.Tensor([1, 2]))
    assert t.tolist() == [[1.0, 2.5], [3.0, 4.0]]
    assert t[1, 0].item() == 3.0 and float(t[0, 1]) == 2.5 and int(t[1, 1]) == 4
    big = ember.Tensor(np.array([2**62 + 1], np.int64))
    assert big.item() == 2**62 + 1
    with pytest.raises(ValueError):
        t.item()
    with pytest.raises(ValueError):
        bool(t)
    with pytest.raises(TypeError):
        len(ember.scalar(1.0))
    assert t.ndim == 2 and t.dim() == 2 and t.numel() == 4 and t.size() == (2, 2) and t.size(1) == 2


# ---- pickling and copies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.int32, np.int64, np.uint8])
def test_pickle_round_trip(dt):
    a = (np.arange(24) % 250).astype(dt).reshape(2, 3, 4)
    t = ember.from_numpy(a).transpose(0, 2)  # non-contiguous: pickled in logical order
    t2 = pickle.loads(pickle.dumps(t))
    assert t2.dtype == t.dtype and t2.shape == t.shape
    np.testing.assert_array_equal(arr(t2), arr(t))
    assert not ember.shares_memory(t2, a)
    for c in [copy.copy(t), copy.deepcopy(t)]:
        np.testing.assert_array_equal(arr(c), arr(t))
        assert not ember.shares_memory(c, a)
    s = pickle.loads(pickle.dumps(ember.scalar(2.5)))
    assert s.shape == () and s.item() == 2.5
    with pytest.raises(ValueError, match="bytes"):
        ember.Tensor.__new__(ember.Tensor).__setstate__((b"abc", (2,), "float32"))
