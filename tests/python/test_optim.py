"""ember.optim: optim methods against NumPy, schedules, triggers, validation methods, clipping."""

import math

import numpy as np
import pytest

import ember
from ember import nn, optim


def quadratic(rng, n=6):
    a = rng.normal(size=(8, n))
    b = rng.normal(size=8)

    def feval(w):
        r = a @ w - b
        return 0.5 * float(r @ r), a.T @ r

    return feval


# ---------------------------------------------------------------------------------------------------------
# Optim methods against NumPy


def numpy_sgd(w, grads_fn, steps, lr, momentum=0.0, weight_decay=0.0, dampening=0.0, nesterov=False, lr_decay=0.0):
    w = w.copy()
    buf = None
    for t in range(steps):
        _, g = grads_fn(w)
        d = g + weight_decay * w
        if momentum > 0:
            buf = d.copy() if buf is None else momentum * buf + (1 - dampening) * d
            d = d + momentum * buf if nesterov else buf
        w = w - lr / (1 + t * lr_decay) * d
    return w


@pytest.mark.parametrize("kw", [
    dict(learning_rate=0.05, momentum=0.9, weight_decay=5e-4),
    dict(learning_rate=0.1, momentum=0.5, dampening=0.5),
    dict(learning_rate=0.02, momentum=0.9, nesterov=True, weight_decay=0.01),
    dict(learning_rate=0.1, learning_rate_decay=0.2),
])
def test_sgd_matches_numpy(rng, kw):
    feval = quadratic(rng)
    w0 = rng.normal(size=6)
    w = w0.copy()
    sgd = optim.SGD(**kw)
    losses = [sgd.optimize(feval, w) for _ in range(6)]
    ref = numpy_sgd(w0, feval, 6, kw["learning_rate"], kw.get("momentum", 0.0), kw.get("weight_decay", 0.0),
                    kw.get("dampening", 0.0), kw.get("nesterov", False), kw.get("learning_rate_decay", 0.0))
    np.testing.assert_allclose(w, ref, rtol=1e-12, atol=1e-12)
    assert sgd.iteration == 6
    assert losses[0] == pytest.approx(feval(w0)[0])
    assert losses[-1] < losses[0]
    if kw.get("momentum"):
        assert set(sgd.state_dict()) >= {"iteration", "momentum_buffer"}


def numpy_adam(w, grads_fn, steps, lr, b1, b2, eps, wd, decoupled=False):
    w = w.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        _, g = grads_fn(w)
        if decoupled:
            w = w * (1 - lr * wd)
        else:
            g = g + wd * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        denom = np.sqrt(v) / math.sqrt(1 - b2 ** t) + eps
        w = w - lr / (1 - b1 ** t) * (m / denom)
    return w


@pytest.mark.parametrize("cls,decoupled", [(optim.Adam, False), (optim.AdamW, True)])
def test_adam_and_adamw_match_numpy(rng, cls, decoupled):
    feval = quadratic(rng)
    w0 = rng.normal(size=6)
    w = w0.copy()
    method = cls(learning_rate=0.01, betas=(0.8, 0.99), eps=1e-7, weight_decay=0.05)
    for _ in range(7):
        method.optimize(feval, w)
    ref = numpy_adam(w0, feval, 7, 0.01, 0.8, 0.99, 1e-7, 0.05, decoupled)
    np.testing.assert_allclose(w, ref, rtol=1e-10, atol=1e-12)
    st = method.state_dict()
    np.testing.assert_allclose(st["exp_avg"].shape, (6,))


def test_float32_weights_are_updated_in_place(rng):
    w = np.ones(5, np.float32)
    before = w.ctypes.data
    optim.SGD(learning_rate=0.5).optimize(lambda x: (float(x.sum()), np.ones_like(x)), w)
    assert w.ctypes.data == before
    np.testing.assert_array_equal(w, np.full(5, 0.5, np.float32))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adamax", "Adagrad", "Adadelta", "RMSprop", "Ftrl", "LBFGS"])
def test_every_method_reduces_a_quadratic(rng, name):
    feval = quadratic(rng)
    w = np.zeros(6)
    lr = {"SGD": 0.02, "Adadelta": 1.0, "Ftrl": 0.5, "LBFGS": 1.0}.get(name, 0.05)
    method = getattr(optim, name)(learning_rate=lr)
    assert isinstance(method, optim.OptimMethod)
    assert method.type_name == "optim." + name
    first = feval(w)[0]
    for _ in range(30):
        method.optimize(feval, w)
    assert feval(w)[0] < first
    assert repr(method).startswith("optim." + name + "(learning_rate=")


def test_lbfgs_converges_and_counts_evaluations(rng):
    a = rng.normal(size=(8, 4))
    b = rng.normal(size=8)
    feval = lambda w: (0.5 * float((a @ w - b) @ (a @ w - b)), a.T @ (a @ w - b))  # noqa: E731
    w = np.zeros(4)
    lb = optim.LBFGS(max_iter=50, line_search_fn="strong_wolfe")
    lb.optimize(feval, w)
    np.testing.assert_allclose(w, np.linalg.lstsq(a, b, rcond=None)[0], atol=1e-4)
    assert lb.num_evaluations > 1 and lb.num_inner_iterations > 1


def test_keyword_and_positional_options():
    s = optim.SGD(0.1, 0.0, 5e-4, 0.9)
    assert s.config() == {"learning_rate": 0.1, "learning_rate_decay": 0.0, "weight_decay": 5e-4, "momentum": 0.9,
                          "dampening": 0.0, "nesterov": False}
    assert s.momentum == 0.9 and s.learning_rate() == 0.1 and s.base_learning_rate() == 0.1
    assert optim.Adam(betas=[0, 0.5]).betas == [0.0, 0.5]  # ints accepted where floats are expected
    assert optim.SGD(np.float32(0.5), nesterov=np.bool_(True), momentum=np.int64(1)).config()["nesterov"] is True
    with pytest.raises(TypeError, match=r"SGD\(\) option 'momentum': expected a float, got numpy.bool"):
        optim.SGD(momentum=np.bool_(True))
    with pytest.raises(TypeError, match=r"SGD\(\) got an unexpected keyword argument 'lr' \(options: learning_rate, "):
        optim.SGD(lr=0.1)
    with pytest.raises(TypeError, match=r"option 'nesterov': expected a bool, got int"):
        optim.SGD(nesterov=1)
    with pytest.raises(TypeError, match=r"option 'momentum': expected a float, got str"):
        optim.SGD(momentum="0.9")
    with pytest.raises(TypeError, match=r"SGD\(\) got multiple values for argument 'learning_rate'"):
        optim.SGD(0.1, learning_rate=0.2)
    with pytest.raises(TypeError, match=r"SGD\(\) takes at most 6 positional arguments"):
        optim.SGD(*range(7))
    with pytest.raises(ValueError, match="learning_rate"):
        optim.SGD(learning_rate=-1.0)
    assert optim.SGD(0.1, None, momentum=None).config() == optim.SGD(0.1).config()  # None keeps the default
    assert optim.Adam.__doc__.startswith("Adam(learning_rate=0.001, ")
    with pytest.raises(AttributeError):
        _ = optim.SGD().no_such_option


def test_make_optim_method():
    a = optim.make_optim_method("adam", learning_rate=0.01, betas=(0.9, 0.99))
    assert isinstance(a, optim.Adam) and a.learning_rate() == 0.01 and a.betas == [0.9, 0.99]
    assert isinstance(optim.make_optim_method("optim.RMSprop"), optim.RMSprop)
    with pytest.raises(ValueError, match="unknown optim method 'nope'.*sgd, adam"):
        optim.make_optim_method("nope")
    with pytest.raises(TypeError, match=r"make_optim_method\(\) got an unexpected keyword argument 'lr' "
                                        r"\(options: learning_rate, "):
        optim.make_optim_method("sgd", lr=0.1)
    with pytest.raises(TypeError, match=r"make_optim_method\(\) option 'nesterov': expected a bool, got str"):
        optim.make_optim_method("sgd", nesterov="yes")


def test_state_dict_round_trip_continues_exactly(rng):
    feval = quadratic(rng)
    w_ref = rng.normal(size=6)
    w = w_ref.copy()
    ref = optim.Adam(learning_rate=0.05)
    for _ in range(8):
        ref.optimize(feval, w_ref)
    first = optim.Adam(learning_rate=0.05)
    for _ in range(4):
        first.optimize(feval, w)
    state = first.state_dict()
    assert state["iteration"] == 4 and isinstance(state["exp_avg"], np.ndarray)
    second = optim.Adam(learning_rate=0.05)
    second.load_state_dict(state)
    assert second.iteration == 4
    for _ in range(4):
        second.optimize(feval, w)
    np.testing.assert_array_equal(w, w_ref)
    with pytest.raises(TypeError, match="state 'exp_avg'"):
        optim.Adam().load_state_dict({**state, "exp_avg": object()})
    with pytest.raises(TypeError, match="expected a dict"):
        optim.Adam().load_state_dict([1, 2])


def test_optimize_rejects_bad_arguments(rng):
    sgd = optim.SGD(learning_rate=0.1)
    ok = lambda w: (0.0, np.zeros_like(w))  # noqa: E731
    ro = np.zeros(3)
    ro.setflags(write=False)
    with pytest.raises(ValueError, match="read-only"):
        sgd.optimize(ok, ro)
    with pytest.raises(TypeError, match="float32 or float64"):
        sgd.optimize(ok, np.zeros(3, np.int64))
    with pytest.raises(ValueError, match="contiguous"):
        sgd.optimize(ok, np.zeros((3, 4))[:, 1])
    with pytest.raises(TypeError, match=r"feval must return \(loss, gradient\)"):
        sgd.optimize(lambda w: 1.0, np.zeros(3))
    with pytest.raises(TypeError, match="loss must be a number"):
        sgd.optimize(lambda w: ("x", w), np.zeros(3))
    with pytest.raises(ValueError):
        sgd.optimize(lambda w: (0.0, np.zeros(4)), np.zeros(3))
    with pytest.raises(TypeError):
        sgd.optimize(lambda w: (0.0, np.zeros(3, np.float32)), np.zeros(3))
    with pytest.raises(TypeError, match="expected an array or ember.Tensor, got None"):
        sgd.optimize(ok, None)

    class Boom(Exception):
        pass

    def boom(w):
        raise Boom("from feval")

    with pytest.raises(Boom, match="from feval"):
        sgd.optimize(boom, np.zeros(3))
    assert sgd.iteration == 0


# ---------------------------------------------------------------------------------------------------------
# Schedules


def test_closed_form_schedules():
    rates = lambda s, its, epoch=1: [s.rate(1.0, i, epoch) for i in its]  # noqa: E731
    assert rates(optim.Step(3, 0.5), range(7)) == [1, 1, 1, 0.5, 0.5, 0.5, 0.25]
    assert rates(optim.MultiStep([2, 4], 0.1), range(6)) == pytest.approx([1, 1, 0.1, 0.1, 0.01, 0.01])
    assert [optim.EpochStep(2, 0.1).rate(1.0, 0, e) for e in range(1, 6)] == pytest.approx([1, 1, 0.1, 0.1, 0.01])
    assert rates(optim.Poly(2.0, 4), range(6)) == pytest.approx([1, 0.5625, 0.25, 0.0625, 0, 0])
    assert rates(optim.Exponential(2, 0.5), [0, 1, 2, 3]) == pytest.approx([1, 0.5 ** 0.5, 0.5, 0.5 ** 1.5])
    assert rates(optim.Exponential(2, 0.5, True), [0, 1, 2, 3]) == pytest.approx([1, 1, 0.5, 0.5])
    assert rates(optim.NaturalExp(2, 0.5), [0, 1, 2, 4]) == pytest.approx([1, 1, math.exp(-0.5), math.exp(-1)])
    assert rates(optim.Warmup(0.1), [0, 1, 5]) == pytest.approx([1, 1.1, 1.5])
    assert optim.Step(step_size=3, gamma=0.5).step_size == 3
    assert repr(optim.Step(3, 0.5)) == "optim.Step(step_size=3, gamma=0.5)"
    with pytest.raises(ValueError):
        optim.Step(0, 0.5)
    with pytest.raises(TypeError, match="unexpected keyword argument 'steps'"):
        optim.Step(steps=3)


def test_sequential_schedule_hands_over_the_rate():
    s = optim.SequentialSchedule(10).add(optim.Warmup(0.1), 3).add(optim.Poly(1.0, 4), 4)
    # Warmup 1.0, 1.1, 1.2 for 3 iterations, then Poly from 1.3 (its rate at local iteration 3).
    assert [s.rate(1.0, i) for i in range(8)] == pytest.approx([1.0, 1.1, 1.2, 1.3, 0.975, 0.65, 0.325, 0.0])
    assert len(s.phases) == 2 and isinstance(s.phases[0][0], optim.Warmup)


def test_plateau_reduces_after_patience():
    p = optim.Plateau(monitor="score", factor=0.5, patience=1, mode="max")
    lr = [p.rate(1.0, 0, 1)]
    for epoch, score in zip(range(2, 6), [0.5, 0.5, 0.5, 0.5]):
        p.record("score", score)
        lr.append(p.rate(1.0, 0, epoch))
    assert lr == [1.0, 1.0, 1.0, 0.5, 0.5]


def test_schedule_on_a_method_sets_the_learning_rate():
    sgd = optim.SGD(learning_rate=0.1).set_schedule(optim.Step(2, 0.1))
    assert isinstance(sgd.schedule, optim.Step)
    seen = []
    w = np.zeros(2)
    for _ in range(5):
        seen.append(sgd.learning_rate())
        sgd.optimize(lambda x: (0.0, np.ones_like(x)), w)
    assert seen == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001])
    # The applied step matches the rate: w = -(0.1 + 0.1 + 0.01 + 0.01 + 0.001)
    np.testing.assert_allclose(w, -0.221)
    sgd.schedule = None
    assert sgd.learning_rate() == 0.1
    es = optim.SGD(learning_rate=1.0)
    es.schedule = optim.EpochStep(1, 0.5)
    es.epoch = 3
    assert es.learning_rate() == 0.25
    assert isinstance(optim.make_schedule("step", step_size=2, gamma=0.5), optim.Step)
    assert optim.make_schedule("multistep", milestones=3).milestones == [3]
    with pytest.raises(TypeError, match=r"make_schedule\(\) option 'step_size': expected an int, got float"):
        optim.make_schedule("step", step_size=2.5)


# ---------------------------------------------------------------------------------------------------------
# Triggers


def test_triggers_fire_as_documented():
    assert optim.every_epoch()(epoch_end=True) and not optim.every_epoch()(epoch_end=False)
    si = optim.several_iteration(3)
    assert [si(iteration=i) for i in range(7)] == [False, False, False, True, False, False, True]
    assert not optim.max_epoch(2)(epoch=2) and optim.max_epoch(2)(epoch=3)
    assert not optim.max_iteration(5)(iteration=4) and optim.max_iteration(5)(iteration=5)
    assert not optim.max_score(0.9)() and not optim.max_score(0.9)(score=0.9) and optim.max_score(0.9)(score=0.95)
    assert not optim.min_loss(0.1)() and optim.min_loss(0.1)(loss=0.05) and not optim.min_loss(0.1)(loss=0.2)
    either = optim.max_epoch(2) | optim.min_loss(0.1)
    both = optim.max_epoch(2) & optim.min_loss(0.1)
    assert either(epoch=3, loss=1.0) and either(epoch=1, loss=0.01) and not either(epoch=1, loss=1.0)
    assert both(epoch=3, loss=0.01) and not both(epoch=3, loss=1.0)
    assert repr(either) == "(max_epoch(2) or min_loss(0.1))"
    assert repr(both) == "(max_epoch(2) and min_loss(0.1))"
    assert repr(optim.or_(optim.max_epoch(1), optim.max_iteration(2), optim.min_loss(3))).count(" or ") == 2
    state = optim.TrainingState(epoch=4, iteration=10, epoch_end=True, loss=0.5)
    assert optim.max_epoch(3)(state) and state.score is None


def test_bigdl_trigger_aliases():
    assert repr(optim.EveryEpoch()) == repr(optim.every_epoch())
    assert repr(optim.SeveralIteration(5)) == repr(optim.several_iteration(5))
    assert repr(optim.MaxEpoch(3)) == "max_epoch(3)"
    assert repr(optim.MaxIteration(3)) == repr(optim.max_iteration(3))
    assert repr(optim.MaxScore(0.5)) == repr(optim.max_score(0.5))
    assert repr(optim.MinLoss(0.5)) == repr(optim.min_loss(0.5))
    assert optim.TriggerOr(optim.MaxEpoch(1), optim.MinLoss(0.5))(epoch=2)


def test_custom_trigger_and_type_errors():
    t = optim.Trigger("odd_iteration", lambda s: s.iteration % 2 == 1)
    assert t(iteration=3) and not t(iteration=4) and repr(t) == "odd_iteration"
    assert (t | optim.max_epoch(1))(iteration=2, epoch=2)
    with pytest.raises(TypeError, match="expected an ember.optim.Trigger"):
        optim.max_epoch(1) | 5
    with pytest.raises(TypeError, match="expected an ember.optim.Trigger"):
        optim.and_(optim.max_epoch(1), "x")
    with pytest.raises(ValueError):
        optim.several_iteration(0)


# ---------------------------------------------------------------------------------------------------------
# Validation methods


def test_top1_and_topk_accuracy_with_ties():
    out = np.array([[0.5, 0.5, 0.0],    # tie between 0 and 1: class 0 ranks first
                    [0.1, 0.2, 0.7],
                    [0.3, 0.3, 0.3],    # all tied: class 0
                    [0.9, 0.05, 0.05]], np.float32)
    y = np.array([1, 2, 0, 1])
    r = optim.Top1Accuracy()(out, y)
    assert (r.name, r.total, r.count) == ("Top1Accuracy", 2.0, 4)
    assert r.value == 0.5 and float(r) == 0.5
    r2 = optim.TopKAccuracy(2).evaluate(out, y)
    assert r2.name == "Top2Accuracy" and r2.total == 4.0  # row 0: {0, 1}; row 3: {0, 1 (tie with 2 -> 1)}
    assert optim.Top5Accuracy()(out, y).value == 1.0      # k >= C: every sample counts
    assert optim.Top1Accuracy()(out, y.reshape(4, 1).astype(np.float32)).total == 2.0
    assert repr(r) == "Top1Accuracy is Accuracy(correct: 2, count: 4, accuracy: 0.5)"


def test_validation_out_of_range_label_is_index_error():
    out = np.zeros((2, 3), np.float32)
    with pytest.raises(IndexError, match="target"):
        optim.Top1Accuracy()(out, np.array([0, 3]))
    with pytest.raises(IndexError):
        optim.Top1Accuracy()(out, np.array([-1, 0]))


def test_loss_and_mae_against_numpy(rng):
    logp = np.log(rng.dirichlet(np.ones(4), size=6)).astype(np.float32)
    y = rng.integers(0, 4, 6)
    r = optim.Loss(nn.create_criterion("nn.ClassNLLCriterion"))(logp, y)
    assert r.count == 6
    assert r.value == pytest.approx(-logp[np.arange(6), y].mean(), rel=1e-5)
    assert optim.Loss()(logp, y).value == pytest.approx(r.value)  # BigDL's default criterion: ClassNLL
    a = rng.normal(size=(5, 2)).astype(np.float32)
    b = rng.normal(size=10).astype(np.float32)
    m = optim.MAE()(a, b)
    assert m.count == 10 and m.value == pytest.approx(np.abs(a.ravel() - b).mean(), rel=1e-5)
    assert not optim.MAE().higher_is_better and optim.Top1Accuracy().higher_is_better


def test_validation_results_merge_and_make():
    a = optim.ValidationResult("Top1Accuracy", 3, 4)
    b = optim.ValidationResult("Top1Accuracy", 1, 4)
    c = a + b
    assert (c.total, c.count, c.value) == (4.0, 8, 0.5)
    assert a.merge(b) is a and a == c
    assert math.isnan(optim.ValidationResult().value)
    with pytest.raises(ValueError):
        optim.ValidationResult("MAE", 1, 1).merge(optim.ValidationResult("Loss", 1, 1))
    assert isinstance(optim.make_validation_method("top1"), optim.ValidationMethod)
    assert optim.make_validation_method("Top3Accuracy").name == "Top3Accuracy"
    assert optim.make_validation_method("mae").name == "MAE"
    assert optim.make_validation_method("loss", nn.create_criterion("nn.MSECriterion")).name == "Loss"
    with pytest.raises(ValueError, match="unknown validation method"):
        optim.make_validation_method("f1")
    with pytest.raises(ValueError):
        optim.TopKAccuracy(0)
    with pytest.raises(TypeError):
        optim.Top1Accuracy()("a", np.zeros(2))


# ---------------------------------------------------------------------------------------------------------
# Clipping


def test_clipping_against_numpy(rng):
    g = rng.normal(size=(4, 5)).astype(np.float32)
    ref = np.clip(g, -0.5, 0.3)
    optim.clip_by_value(g, -0.5, 0.3)
    np.testing.assert_array_equal(g, ref)

    g = rng.normal(size=100) * 10
    norm = np.linalg.norm(g)
    ref = g * (1.0 / (norm + 1e-6))
    assert optim.squared_norm(g) == pytest.approx(norm ** 2)
    assert optim.clip_by_global_norm(g, 1.0) == pytest.approx(norm)
    np.testing.assert_allclose(g, ref, rtol=1e-12)
    small = np.full(4, 0.1)
    optim.clip_by_global_norm(small, 1.0)
    np.testing.assert_array_equal(small, np.full(4, 0.1))

    base = rng.normal(size=(4, 6))
    view = base[:, ::2]              # not contiguous: clipped in place all the same
    expected = base.copy()
    expected[:, ::2] = np.clip(expected[:, ::2], -0.1, 0.1)
    optim.clip_by_value(view, -0.1, 0.1)
    np.testing.assert_array_equal(base, expected)

    ro = np.ones(3)
    ro.setflags(write=False)
    with pytest.raises(ValueError, match="read-only"):
        optim.clip_by_value(ro, 0, 1)
    with pytest.raises(TypeError, match="clipped in place"):
        optim.clip_by_value([1.0, 2.0], 0, 1)
    with pytest.raises(TypeError):
        optim.clip_by_value(np.ones(3, np.int64), 0, 1)
