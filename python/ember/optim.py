"""ember.optim: optim methods, learning-rate schedules, triggers, validation methods, gradient clipping and
the local :class:`Optimizer` (see the C++ floors ember/optim and ember/train).

Options are keyword arguments named as the C++ options fields (``learning_rate``, ``momentum``,
``weight_decay``, ``betas``...); they may also be given positionally in that order, which matches BigDL's
argument order for the methods and schedules (``SGD(0.1)``, ``Step(1000, 0.5)``).

Example::

    import numpy as np
    from ember import nn, models, optim
    x = np.random.rand(512, 1, 28, 28).astype(np.float32); y = np.random.randint(0, 10, 512)
    opt = optim.Optimizer(models.lenet5(), (x, y), nn.create_criterion("nn.ClassNLLCriterion"), batch_size=64)
    opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9)).set_end_when(optim.max_epoch(2))
    model = opt.optimize()
    print(opt.history()[-1]["loss"], optim.evaluate(model, x, y, [optim.Top1Accuracy()]))

BigDL names are kept as aliases: ``EveryEpoch()``, ``SeveralIteration(n)``, ``MaxEpoch(n)``,
``MaxIteration(n)``, ``MaxScore(x)``, ``MinLoss(x)``, ``TriggerAnd``/``TriggerOr``, and the Optimizer's
camelCase setters (``setOptimMethod``, ``setEndWhen``, ``setValidation``, ``setCheckpoint``,
``setTrainSummary``, ``setValidationSummary``, ``setConstantGradientClipping``,
``setGradientClippingByl2Norm``, ``disableGradientClipping``).

Ctrl-C during ``optimize()`` stops training after the current iteration (the data loader is shut down,
the model keeps the weights of the last completed step) and raises KeyboardInterrupt; ``opt.interrupted``
is then True. Long validation runs and ``evaluate()`` are not interruptible.
"""

from ._ember.optim import *  # noqa: F401,F403
from ._ember.optim import Trigger, and_, every_epoch, max_epoch, max_iteration, max_score, min_loss, or_, \
    several_iteration, Top1Accuracy  # noqa: F401
from ._ember import train as _train
from ._ember.train import evaluate  # noqa: F401


# BigDL's trigger names.
def EveryEpoch():
    """BigDL's EveryEpoch(): :func:`every_epoch`."""
    return every_epoch()


def SeveralIteration(interval):
    """BigDL's SeveralIteration(interval): :func:`several_iteration`."""
    return several_iteration(interval)


def MaxEpoch(max):  # noqa: A002 (BigDL's parameter name)
    """BigDL's MaxEpoch(max): :func:`max_epoch`."""
    return max_epoch(max)


def MaxIteration(max):  # noqa: A002
    """BigDL's MaxIteration(max): :func:`max_iteration`."""
    return max_iteration(max)


def MaxScore(max):  # noqa: A002
    """BigDL's MaxScore(max): :func:`max_score`."""
    return max_score(max)


def MinLoss(min):  # noqa: A002
    """BigDL's MinLoss(min): :func:`min_loss`."""
    return min_loss(min)


def TriggerAnd(first, *other):
    """BigDL's TriggerAnd(first, *other): :func:`and_`."""
    return and_(first, *other)


def TriggerOr(first, *other):
    """BigDL's TriggerOr(first, *other): :func:`or_`."""
    return or_(first, *other)


class Optimizer(_train.Optimizer):
    """Trains a model on one machine (BigDL: Optimizer / LocalOptimizer).

    ``Optimizer(model, training_set, criterion, batch_size=32, optim_method=None, end_trigger=None)``;
    ``training_set`` is a ``(features, labels)`` pair of NumPy arrays (used without copying) or an
    ``ember.data.DataSet``. BigDL's forms work too: the keyword ``training_rdd=`` for the data, and the
    positional order ``Optimizer(model, training_rdd, criterion, end_trigger, batch_size, optim_method)``
    (recognised by a Trigger in fourth place). Every setter returns the optimizer, so calls chain.
    """

    def __init__(self, model, training_set=None, criterion=None, batch_size=32, optim_method=None,
                 end_trigger=None, *, training_rdd=None):
        if training_rdd is not None:
            if training_set is not None:
                raise TypeError("[Optimizer] give the training data once: training_set or training_rdd, not both")
            training_set = training_rdd
        if training_set is None:
            raise TypeError("[Optimizer] missing the training data: expected training_set=(features, labels) "
                            "or an ember.data.DataSet")
        if criterion is None:
            raise TypeError("[Optimizer] missing the criterion: expected an ember.nn.Criterion, "
                            "e.g. nn.create_criterion('nn.ClassNLLCriterion')")
        if isinstance(batch_size, Trigger):
            # BigDL's positional order: (model, training_rdd, criterion, end_trigger, batch_size, optim_method).
            bigdl_end, bigdl_batch, bigdl_method = batch_size, optim_method, end_trigger
            end_trigger, batch_size, optim_method = bigdl_end, 32 if bigdl_batch is None else bigdl_batch, bigdl_method
        if isinstance(batch_size, bool) or not isinstance(batch_size, int):
            raise TypeError(f"[Optimizer] batch_size: expected an int, got {type(batch_size).__name__}")
        super().__init__(model, training_set, criterion, batch_size, optim_method, end_trigger)

    @classmethod
    def create(cls, model, training_set, criterion, end_trigger=None, batch_size=32, optim_method=None):
        """BigDL's Optimizer.create(model, training_set, criterion, end_trigger, batch_size, optim_method)."""
        return cls(model, training_set, criterion, batch_size, optim_method, end_trigger)

    def set_validation(self, trigger=None, val_set=None, methods=None, batch_size=0, *, val_rdd=None,
                       val_method=None):
        """Validates on ``val_set`` ((x, y) arrays or a DataSet) with ``methods`` (ValidationMethod objects
        or names; default [Top1Accuracy()]) whenever ``trigger`` fires; ``batch_size`` 0 means the
        training batch size. BigDL's keywords ``val_rdd`` and ``val_method`` are accepted."""
        if val_rdd is not None:
            val_set = val_rdd
        if val_method is not None:
            methods = val_method
        if trigger is None or val_set is None:
            raise TypeError("[Optimizer.set_validation] needs a trigger and a validation set, "
                            "e.g. set_validation(every_epoch(), (x_val, y_val), [Top1Accuracy()])")
        return super().set_validation(trigger, val_set, methods, batch_size)

    def set_checkpoint(self, path=None, trigger=None, keep_last=3, *, checkpoint_path=None,
                       checkpoint_trigger=None, isOverWrite=True):  # noqa: N803 (BigDL's keyword)
        """Writes a checkpoint into directory ``path`` whenever ``trigger`` fires (default every_epoch()),
        keeping the newest ``keep_last``. BigDL's order ``set_checkpoint(trigger, path)`` and keywords
        ``checkpoint_trigger=``/``checkpoint_path=`` work too; ``isOverWrite`` is accepted and ignored
        (checkpoints never overwrite each other; old ones are removed beyond ``keep_last``)."""
        if isinstance(path, Trigger):  # BigDL: set_checkpoint(checkpoint_trigger, checkpoint_path, isOverWrite)
            path, trigger = trigger, path
        path = checkpoint_path if checkpoint_path is not None else path
        trigger = checkpoint_trigger if checkpoint_trigger is not None else trigger
        if path is None:
            raise TypeError("[Optimizer.set_checkpoint] missing the checkpoint directory: "
                            "set_checkpoint(path, trigger=every_epoch(), keep_last=3)")
        return super().set_checkpoint(path, trigger, keep_last)

    # BigDL's camelCase names.
    def setOptimMethod(self, optim_method):
        return self.set_optim_method(optim_method)

    def setEndWhen(self, end_when):
        return self.set_end_when(end_when)

    def setValidation(self, batch_size, val_rdd, trigger, val_method=None):
        """BigDL's argument order: (batch_size, val_rdd, trigger, val_method=[Top1Accuracy()])."""
        return self.set_validation(trigger, val_rdd, val_method, batch_size)

    def setCheckpoint(self, checkpoint_trigger, checkpoint_path, isOverWrite=True):
        """BigDL's argument order. Ember keeps the newest 3 checkpoints whatever ``isOverWrite`` says (use
        set_checkpoint(path, trigger, keep_last) to choose)."""
        return self.set_checkpoint(checkpoint_path, checkpoint_trigger)

    def setTrainSummary(self, summary):
        return self.set_train_summary(summary)

    def setValidationSummary(self, summary):
        return self.set_validation_summary(summary)

    def setConstantGradientClipping(self, min_value, max_value):
        return self.set_constant_gradient_clipping(min_value, max_value)

    def setGradientClippingByl2Norm(self, clip_norm):
        return self.set_gradient_clipping_by_l2_norm(clip_norm)

    def disableGradientClipping(self):
        return self.disable_gradient_clipping()

    # BigDL's Python snake_case spellings where they differ from Ember's.
    def set_val_summary(self, summary):
        return self.set_validation_summary(summary)

    def set_gradclip_const(self, min_value, max_value):
        return self.set_constant_gradient_clipping(min_value, max_value)

    def set_gradclip_l2norm(self, clip_norm):
        return self.set_gradient_clipping_by_l2_norm(clip_norm)

    def disable_gradclip(self):
        return self.disable_gradient_clipping()


# BigDL's Python keyword names for the optim methods (SGD(learningrate=0.01, learningrate_decay=0.0002),
# Adam(beta1=0.9, beta2=0.999, epsilon=1e-8), RMSprop(decayrate=0.99), ...). They are accepted next to
# Ember's names; the methods' C++ options stay the one source of truth for what exists.
_BIGDL_KEYWORDS = {
    "learningrate": "learning_rate",
    "learningrate_decay": "learning_rate_decay",
    "weightdecay": "weight_decay",
    "epsilon": "eps",
}
_BIGDL_DECAYRATE = {"RMSprop": "alpha", "Adadelta": "rho"}


def _accept_bigdl_keywords(cls):
    init = cls.__init__

    def __init__(self, *args, **kwargs):
        for bigdl, ours in _BIGDL_KEYWORDS.items():
            if bigdl in kwargs:
                kwargs[ours] = kwargs.pop(bigdl)
        if "decayrate" in kwargs and cls.__name__ in _BIGDL_DECAYRATE:
            kwargs[_BIGDL_DECAYRATE[cls.__name__]] = kwargs.pop("decayrate")
        if "beta1" in kwargs or "beta2" in kwargs:
            kwargs["betas"] = [kwargs.pop("beta1", 0.9), kwargs.pop("beta2", 0.999)]
        init(self, *args, **kwargs)

    __init__.__doc__ = init.__doc__
    cls.__init__ = __init__


for _name in ("SGD", "Adam", "AdamW", "Adamax", "Adagrad", "Adadelta", "RMSprop"):
    _accept_bigdl_keywords(globals()[_name])
del _name


# Pickling. ember.spark ships optim methods, schedules, triggers and validation methods to the executors,
# and users keep them in their own pickled objects; the C++ classes are rebuilt from their type name, options
# and state. Custom triggers and validation methods written in Python cannot be rebuilt this way.
import copyreg as _copyreg
import re as _re

from ._ember import optim as _core


def _rebuild_schedule(type_name, config, phases, state):
    if type_name == "optim.SequentialSchedule":  # holds other schedules: not in the registry
        s = _core.SequentialSchedule(**config)
    else:
        s = _core.make_schedule(type_name, **config)
    for phase, n in phases:
        s.add(phase, n)
    return s


def _reduce_schedule(s):
    phases = list(s.phases) if isinstance(s, _core.SequentialSchedule) else []
    return _rebuild_schedule, (s.type_name, s.config(), phases, None)


def _rebuild_optim_method(type_name, config, schedule, state):
    m = _core.make_optim_method(type_name, **config)
    if schedule is not None:
        m.set_schedule(schedule)
    m.load_state_dict(state)
    return m


def _reduce_optim_method(m):
    return _rebuild_optim_method, (m.type_name, m.config(), m.schedule, m.state_dict())


_TRIGGER_TOKEN = _re.compile(r"\s*(\(|\)|and\b|or\b|[a-z_]+\([^()]*\))")
_TRIGGER_ATOMS = {"every_epoch": (every_epoch, None), "several_iteration": (several_iteration, int),
                  "max_epoch": (max_epoch, int), "max_iteration": (max_iteration, int),
                  "max_score": (max_score, float), "min_loss": (min_loss, float)}


def _parse_trigger(text):
    """Rebuilds a trigger from its repr: "(max_epoch(2) or (min_loss(0.1) and several_iteration(3)))"."""
    tokens, pos = [], 0
    while pos < len(text):
        m = _TRIGGER_TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"[optim.Trigger] cannot rebuild the trigger {text!r} (a custom trigger cannot be pickled; "
                             "use the built-in triggers and | / &)")
        tokens.append(m.group(1))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1

    def parse(i):
        tok = tokens[i]
        if tok == "(":
            first, i = parse(i + 1)
            parts, op = [first], None
            while tokens[i] in ("and", "or"):
                op = tokens[i]
                nxt, i = parse(i + 1)
                parts.append(nxt)
            if tokens[i] != ")":
                raise ValueError(f"[optim.Trigger] cannot rebuild the trigger {text!r}")
            return (or_(*parts) if op == "or" else and_(*parts)) if op else first, i + 1
        name, arg = tok[:-1].split("(", 1)
        if name not in _TRIGGER_ATOMS:
            raise ValueError(f"[optim.Trigger] cannot pickle the custom trigger {name!r}: only the built-in triggers "
                             "(every_epoch, several_iteration, max_epoch, max_iteration, max_score, min_loss) and their "
                             "combinations can be pickled")
        fn, conv = _TRIGGER_ATOMS[name]
        return (fn() if conv is None else fn(conv(arg))), i + 1

    trigger, end = parse(0)
    if end != len(tokens):
        raise ValueError(f"[optim.Trigger] cannot rebuild the trigger {text!r}")
    return trigger


def _reduce_trigger(t):
    _parse_trigger(repr(t))  # fail when pickling, not when unpickling on an executor
    return _parse_trigger, (repr(t),)


def _reduce_validation_method(v):
    if isinstance(v, _core.Loss):
        return _core.Loss, (v.criterion,)
    if isinstance(v, _core.TopKAccuracy) and type(v) is _core.TopKAccuracy:
        return _core.TopKAccuracy, (v.k,)
    if type(v) in (_core.Top1Accuracy, _core.Top5Accuracy, _core.MAE):
        return type(v), ()
    raise TypeError(f"[optim.ValidationMethod] cannot pickle {type(v).__name__}: only Ember's built-in validation "
                    "methods can be pickled")


def _register_pickling():
    for cls in vars(_core).values():
        if not isinstance(cls, type):
            continue
        if issubclass(cls, _core.OptimMethod) and cls is not _core.OptimMethod:
            _copyreg.pickle(cls, _reduce_optim_method)
        elif issubclass(cls, _core.LearningRateSchedule) and cls is not _core.LearningRateSchedule:
            _copyreg.pickle(cls, _reduce_schedule)
        elif issubclass(cls, _core.ValidationMethod) and cls is not _core.ValidationMethod:
            _copyreg.pickle(cls, _reduce_validation_method)
    _copyreg.pickle(_core.Trigger, _reduce_trigger)


_register_pickling()
