"""
Optim methods, schedules, triggers, validation methods, clipping.
"""
from __future__ import annotations
import collections.abc
import ember._ember.nn
import typing
__all__: list[str] = ['Adadelta', 'Adagrad', 'Adam', 'AdamW', 'Adamax', 'EpochStep', 'Exponential', 'Ftrl', 'LBFGS', 'LearningRateSchedule', 'Loss', 'MAE', 'MultiStep', 'NaturalExp', 'OptimMethod', 'Plateau', 'Poly', 'RMSprop', 'SGD', 'SequentialSchedule', 'Step', 'Top1Accuracy', 'Top5Accuracy', 'TopKAccuracy', 'TrainingState', 'Trigger', 'ValidationMethod', 'ValidationResult', 'Warmup', 'and_', 'apply_regularization', 'clip_by_global_norm', 'clip_by_value', 'every_epoch', 'make_optim_method', 'make_schedule', 'make_validation_method', 'max_epoch', 'max_iteration', 'max_score', 'min_loss', 'or_', 'regularization_loss', 'several_iteration', 'squared_norm']
class TrainingState:
    """
    What triggers look at: epoch (1-based; n + 1 once n epochs are done), iteration (completed), epoch_end, loss (last training loss), score (last validation score or None).
    """
    epoch_end: bool
    def __init__(self, *, epoch: typing.SupportsInt | typing.SupportsIndex = 1, iteration: typing.SupportsInt | typing.SupportsIndex = 0, epoch_end: bool = False, loss: typing.SupportsFloat | typing.SupportsIndex = ..., score: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def epoch(self) -> int:
        ...
    @epoch.setter
    def epoch(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def iteration(self) -> int:
        ...
    @iteration.setter
    def iteration(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def loss(self) -> float:
        ...
    @loss.setter
    def loss(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def score(self) -> float | None:
        ...
    @score.setter
    def score(self, arg0: typing.SupportsFloat | typing.SupportsIndex | None) -> None:
        ...
class Trigger:
    """
    When to validate, checkpoint, write a summary or stop (BigDL: Trigger). Build with every_epoch(), several_iteration(n), max_epoch(n), max_iteration(n), max_score(x), min_loss(x), combine with `|` / `&` (or or_/and_), call on a TrainingState (or keywords) to test it.
    
    Example: end = max_epoch(10) | min_loss(0.01)
    """
    @typing.overload
    def __and__(self, arg0: Trigger) -> Trigger:
        ...
    @typing.overload
    def __and__(self, arg0: typing.Any) -> Trigger:
        ...
    @typing.overload
    def __call__(self, state: TrainingState) -> bool:
        ...
    @typing.overload
    def __call__(self, *, epoch: typing.SupportsInt | typing.SupportsIndex = 1, iteration: typing.SupportsInt | typing.SupportsIndex = 0, epoch_end: bool = False, loss: typing.SupportsFloat | typing.SupportsIndex = ..., score: typing.SupportsFloat | typing.SupportsIndex | None = None) -> bool:
        """
        Whether the trigger fires for this state, e.g. max_epoch(2)(epoch=3) -> True.
        """
    def __init__(self, name: str, predicate: collections.abc.Callable) -> None:
        """
        A custom trigger: predicate(state: TrainingState) -> bool, called with the GIL held.
        """
    @typing.overload
    def __or__(self, arg0: Trigger) -> Trigger:
        ...
    @typing.overload
    def __or__(self, arg0: typing.Any) -> Trigger:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
class LearningRateSchedule:
    """
    Base class of the learning-rate schedules; set one with method.set_schedule(s) or method.schedule = s.
    """
    def __getattr__(self, arg0: str) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def clone(self) -> LearningRateSchedule:
        """
        A fresh copy without state.
        """
    def config(self) -> dict:
        ...
    def rate(self, base_lr: typing.SupportsFloat | typing.SupportsIndex, iteration: typing.SupportsInt | typing.SupportsIndex, epoch: typing.SupportsInt | typing.SupportsIndex = 1) -> float:
        """
        The rate of the step at 0-based `iteration` in 1-based `epoch` (stateful schedules may advance).
        """
    def record(self, metric: str, value: typing.SupportsFloat | typing.SupportsIndex) -> None:
        """
        Reports a monitored value ('loss', 'score'); only Plateau uses it.
        """
    @property
    def type_name(self) -> str:
        ...
class Step(LearningRateSchedule):
    """
    Step(step_size=1, gamma=0.1)
    
    lr * gamma^floor(iteration / step_size) (BigDL: SGD.Step).
    
    Options (positional in this order, or by keyword; defaults): step_size=1, gamma=0.1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class MultiStep(LearningRateSchedule):
    """
    MultiStep(milestones=[], gamma=0.1)
    
    lr * gamma^(milestones <= iteration) (BigDL: SGD.MultiStep).
    
    Options (positional in this order, or by keyword; defaults): milestones=[], gamma=0.1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class EpochStep(LearningRateSchedule):
    """
    EpochStep(step_size=1, gamma=0.1)
    
    lr * gamma^floor((epoch - 1) / step_size) (BigDL: SGD.EpochStep, one epoch later).
    
    Options (positional in this order, or by keyword; defaults): step_size=1, gamma=0.1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Poly(LearningRateSchedule):
    """
    Poly(power=1.0, max_iteration=1)
    
    lr * (1 - iteration / max_iteration)^power, 0 after (BigDL: SGD.Poly).
    
    Options (positional in this order, or by keyword; defaults): power=1.0, max_iteration=1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Exponential(LearningRateSchedule):
    """
    Exponential(decay_step=1, decay_rate=0.9, stair_case=False)
    
    lr * decay_rate^(iteration / decay_step), floored when stair_case (BigDL: SGD.Exponential).
    
    Options (positional in this order, or by keyword; defaults): decay_step=1, decay_rate=0.9, stair_case=False.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class NaturalExp(LearningRateSchedule):
    """
    NaturalExp(decay_step=1, gamma=0.1)
    
    lr * exp(-gamma * floor(iteration / decay_step)) (BigDL: SGD.NaturalExp).
    
    Options (positional in this order, or by keyword; defaults): decay_step=1, gamma=0.1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Plateau(LearningRateSchedule):
    """
    Plateau(monitor='score', factor=0.1, patience=10, mode='min', epsilon=0.0001, cooldown=0, min_lr=0.0)
    
    Reduces the rate by `factor` when the monitored value ('score' or 'loss') has not improved for `patience` epochs (BigDL: SGD.Plateau).
    
    Options (positional in this order, or by keyword; defaults): monitor='score', factor=0.1, patience=10, mode='min', epsilon=0.0001, cooldown=0, min_lr=0.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Warmup(LearningRateSchedule):
    """
    Warmup(delta=0.0)
    
    lr + delta * iteration (BigDL: SGD.Warmup).
    
    Options (positional in this order, or by keyword; defaults): delta=0.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SequentialSchedule(LearningRateSchedule):
    """
    SequentialSchedule(iteration_per_epoch=1)
    
    Runs schedules one after another, each for max_iteration iterations (BigDL: SGD.SequentialSchedule).
    
    Example: SequentialSchedule(100).add(Warmup(0.01), 500).add(Poly(0.5, 9500), 9500)
    
    Options (positional in this order, or by keyword; defaults): iteration_per_epoch=1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
    def add(self, schedule: LearningRateSchedule, max_iteration: typing.SupportsInt | typing.SupportsIndex) -> typing.Any:
        """
        Appends a phase; returns self.
        """
    @property
    def phases(self) -> list:
        ...
class OptimMethod:
    """
    Base class of the optim methods (BigDL: OptimMethod): an update rule on flat weights.
    
    Example: w = np.zeros(3, np.float32); SGD(learning_rate=0.1).optimize(lambda w: (loss, grad), w)
    """
    schedule: LearningRateSchedule
    def __getattr__(self, arg0: str) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def base_learning_rate(self) -> float:
        """
        The learning rate given in the options.
        """
    def clone(self) -> OptimMethod:
        """
        A fresh method with the same hyper-parameters and schedule, without state.
        """
    def config(self) -> dict:
        """
        The hyper-parameters as a dict.
        """
    def get_learning_rate(self) -> float:
        """
        Same as learning_rate() (BigDL naming).
        """
    def learning_rate(self) -> float:
        """
        The learning rate the next step uses (after the schedule).
        """
    def load_state_dict(self, state: typing.Any) -> None:
        """
        Restores what state_dict() returned.
        """
    def optimize(self, feval: collections.abc.Callable, weights: typing.Any) -> float:
        """
        One step: feval(w) -> (loss, gradient) is called (LBFGS: several times) with a NumPy view of the weights; `weights` (a writable contiguous float32/float64 array or ember.Tensor) is updated in place. Returns the loss before the update. The GIL is released between feval calls.
        """
    def record(self, metric: str, value: typing.SupportsFloat | typing.SupportsIndex) -> None:
        """
        Reports 'loss' or 'score' to the schedule (Plateau).
        """
    def set_schedule(self, schedule: LearningRateSchedule) -> typing.Any:
        """
        Sets (None: removes) the learning-rate schedule; returns self.
        """
    def state_dict(self) -> dict:
        """
        Counters, schedule state and buffers as {name: ndarray | int | float | str} (copies).
        """
    @property
    def epoch(self) -> int:
        """
        The current epoch (1-based).
        """
    @epoch.setter
    def epoch(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def iteration(self) -> int:
        """
        Steps taken so far.
        """
    @property
    def type_name(self) -> str:
        ...
class SGD(OptimMethod):
    """
    SGD(learning_rate=0.001, learning_rate_decay=0.0, weight_decay=0.0, momentum=0.0, dampening=0.0, nesterov=False)
    
    Stochastic gradient descent with momentum / Nesterov (PyTorch's update; BigDL: SGD).
    Example: SGD(learning_rate=0.05, momentum=0.9, weight_decay=5e-4)
    
    Options (positional in this order, or by keyword; defaults): learning_rate=0.001, learning_rate_decay=0.0, weight_decay=0.0, momentum=0.0, dampening=0.0, nesterov=False.
    """
    def __init__(self, *args, **kwargs):
        """
        __init__(self: ember._ember.optim.SGD, *args, **kwargs) -> None
        """
class Adam(OptimMethod):
    """
    Adam(learning_rate=0.001, betas=[0.9, 0.999], eps=1e-08, weight_decay=0.0, amsgrad=False, learning_rate_decay=0.0)
    
    Adam with bias correction and optional AMSGrad (BigDL: Adam).
    
    Options (positional in this order, or by keyword; defaults): learning_rate=0.001, betas=[0.9, 0.999], eps=1e-08, weight_decay=0.0, amsgrad=False, learning_rate_decay=0.0.
    """
    def __init__(self, *args, **kwargs):
        """
        __init__(self: ember._ember.optim.Adam, *args, **kwargs) -> None
        """
class AdamW(OptimMethod):
    """
    AdamW(learning_rate=0.001, betas=[0.9, 0.999], eps=1e-08, weight_decay=0.01, amsgrad=False)
    
    Adam with decoupled weight decay (PyTorch's AdamW).
    
    Options (positional in this order, or by keyword; defaults): learning_rate=0.001, betas=[0.9, 0.999], eps=1e-08, weight_decay=0.01, amsgrad=False.
    """
    def __init__(self, *args, **kwargs):
        """
        __init__(self: ember._ember.optim.AdamW, *args, **kwargs) -> None
        """
class Adamax(OptimMethod):
    """
    Adamax(learning_rate=0.002, betas=[0.9, 0.999], eps=1e-08, weight_decay=0.0)
    
    Adamax, Adam's infinity-norm variant (BigDL: Adamax).
    
    Options (positional in this order, or by keyword; defaults): learning_rate=0.002, betas=[0.9, 0.999], eps=1e-08, weight_decay=0.0.
    """
    def __init__(self, *args, **kwargs):
        """
        __init__(self: ember._ember.optim.Adamax, *args, **kwargs) -> None
        """
class Adagrad(OptimMethod):
    """
    Adagrad(learning_rate=0.01, learning_rate_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10)
    
    Adagrad (BigDL: Adagrad).
    
    Options (positional in this order, or by keyword; defaults): learning_rate=0.01, learning_rate_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10.
    """
    def __init__(self, *args, **kwargs):
        """
        __init__(self: ember._ember.optim.Adagrad, *args, **kwargs) -> None
        """
class Adadelta(OptimMethod):
    """
    Adadelta(learning_rate=1.0, rho=0.9, eps=1e-06, weight_decay=0.0)
    
    Adadelta (BigDL: Adadelta).
    
    Options (positional in this order, or by keyword; defaults): learning_rate=1.0, rho=0.9, eps=1e-06, weight_decay=0.0.
    """
    def __init__(self, *args, **kwargs):
        """
        __init__(self: ember._ember.optim.Adadelta, *args, **kwargs) -> None
        """
class RMSprop(OptimMethod):
    """
    RMSprop(learning_rate=0.01, alpha=0.99, eps=1e-08, weight_decay=0.0, momentum=0.0, centered=False, learning_rate_decay=0.0)
    
    RMSprop, optionally centered and with momentum (BigDL: RMSprop).
    
    Options (positional in this order, or by keyword; defaults): learning_rate=0.01, alpha=0.99, eps=1e-08, weight_decay=0.0, momentum=0.0, centered=False, learning_rate_decay=0.0.
    """
    def __init__(self, *args, **kwargs):
        """
        __init__(self: ember._ember.optim.RMSprop, *args, **kwargs) -> None
        """
class Ftrl(OptimMethod):
    """
    Ftrl(learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1, l1_regularization_strength=0.0, l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0)
    
    FTRL-Proximal (BigDL: Ftrl).
    
    Options (positional in this order, or by keyword; defaults): learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1, l1_regularization_strength=0.0, l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class LBFGS(OptimMethod):
    """
    LBFGS(learning_rate=1.0, max_iter=20, max_eval=0, tolerance_grad=1e-07, tolerance_change=1e-09, history_size=100, line_search_fn='')
    
    Limited-memory BFGS (PyTorch's LBFGS; BigDL: LBFGS); one optimize() runs up to max_iter iterations and calls feval several times.
    
    Options (positional in this order, or by keyword; defaults): learning_rate=1.0, max_iter=20, max_eval=0, tolerance_grad=1e-07, tolerance_change=1e-09, history_size=100, line_search_fn=''.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
    @property
    def num_evaluations(self) -> int:
        """
        Function evaluations so far.
        """
    @property
    def num_inner_iterations(self) -> int:
        """
        Inner iterations so far.
        """
class ValidationResult:
    """
    A mergeable result: value = total / count (BigDL: ValidationResult).
    """
    __hash__: typing.ClassVar[None] = None
    name: str
    def __add__(self, arg0: ValidationResult) -> ValidationResult:
        ...
    def __eq__(self, arg0: ValidationResult) -> bool:
        ...
    def __float__(self) -> float:
        ...
    def __init__(self, name: str = '', total: typing.SupportsFloat | typing.SupportsIndex = 0.0, count: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    def merge(self, other: ValidationResult) -> typing.Any:
        """
        Adds other's total and count in place; returns self.
        """
    @property
    def count(self) -> int:
        ...
    @count.setter
    def count(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def total(self) -> float:
        ...
    @total.setter
    def total(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def value(self) -> float:
        """
        total / count (NaN when count is 0).
        """
class ValidationMethod:
    """
    Scores model outputs against targets (BigDL: ValidationMethod). Call it on (output, target) arrays: Top1Accuracy()(scores[N, C], labels[N]) -> ValidationResult.
    """
    def __call__(self, output: typing.Any, target: typing.Any) -> ValidationResult:
        ...
    def __repr__(self) -> str:
        ...
    def evaluate(self, output: typing.Any, target: typing.Any) -> ValidationResult:
        ...
    @property
    def higher_is_better(self) -> bool:
        ...
    @property
    def name(self) -> str:
        ...
class TopKAccuracy(ValidationMethod):
    """
    Fraction of samples whose target class (0-based) is among the k highest scores; ties rank the lower index first. Output [N, C], target [N] or [N, 1]. Out-of-range targets raise IndexError.
    """
    def __init__(self, k: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def k(self) -> int:
        ...
class Top1Accuracy(ValidationMethod):
    """
    TopKAccuracy(1) (BigDL: Top1Accuracy).
    """
    def __init__(self) -> None:
        ...
class Top5Accuracy(ValidationMethod):
    """
    TopKAccuracy(5) (BigDL: Top5Accuracy).
    """
    def __init__(self) -> None:
        ...
class Loss(ValidationMethod):
    """
    The criterion's loss averaged over samples (BigDL: Loss; default criterion ClassNLLCriterion).
    """
    def __init__(self, criterion: ember._ember.nn.Criterion = None) -> None:
        ...
    @property
    def criterion(self) -> ember._ember.nn.Criterion:
        ...
class MAE(ValidationMethod):
    """
    Mean absolute error over elements (BigDL: MAE).
    """
    def __init__(self) -> None:
        ...
def and_(*args) -> Trigger:
    """
    Fires when every trigger fires (BigDL: TriggerAnd).
    """
def apply_regularization(model: ember._ember.nn.Module) -> None:
    """
    Adds the layers' L1/L2 penalties to their gradients.
    """
def clip_by_global_norm(grad: typing.Any, max_norm: typing.SupportsFloat | typing.SupportsIndex, squared_norm: typing.SupportsFloat | typing.SupportsIndex | None = None) -> float:
    """
    Scales grad in place by max_norm / (norm + 1e-6) when its 2-norm exceeds max_norm; returns the norm before clipping (BigDL: L2-norm clipping).
    """
def clip_by_value(grad: typing.Any, min: typing.SupportsFloat | typing.SupportsIndex, max: typing.SupportsFloat | typing.SupportsIndex) -> None:
    """
    Clamps every element of grad (float32/float64) into [min, max] in place (BigDL: constant clipping).
    """
def every_epoch() -> Trigger:
    """
    Fires at the end of every epoch (BigDL: EveryEpoch).
    """
def make_optim_method(name: str, **kwargs) -> OptimMethod:
    """
    An optim method by name ('sgd', 'adam', 'optim.SGD', ...) and keyword options.
    """
def make_schedule(name: str, **kwargs) -> LearningRateSchedule:
    """
    A schedule by name ('step', 'optim.Step', 'plateau', ...) and keyword options.
    """
def make_validation_method(name: str, criterion: ember._ember.nn.Criterion = None) -> ValidationMethod:
    """
    A validation method by name: 'top1', 'top5', 'top<k>', 'loss' (needs criterion), 'mae' (case-insensitive).
    """
def max_epoch(n: typing.SupportsInt | typing.SupportsIndex) -> Trigger:
    """
    End condition: n epochs done (BigDL: MaxEpoch).
    """
def max_iteration(n: typing.SupportsInt | typing.SupportsIndex) -> Trigger:
    """
    End condition: n iterations done (BigDL: MaxIteration).
    """
def max_score(score: typing.SupportsFloat | typing.SupportsIndex) -> Trigger:
    """
    Fires once the validation score > score (BigDL: MaxScore).
    """
def min_loss(loss: typing.SupportsFloat | typing.SupportsIndex) -> Trigger:
    """
    Fires once the training loss < loss (BigDL: MinLoss).
    """
def or_(*args) -> Trigger:
    """
    Fires when any trigger fires (BigDL: TriggerOr).
    """
def regularization_loss(model: ember._ember.nn.Module) -> float:
    """
    The L1/L2 penalty of the regularized parameters.
    """
def several_iteration(n: typing.SupportsInt | typing.SupportsIndex) -> Trigger:
    """
    Fires every n iterations (BigDL: SeveralIteration).
    """
def squared_norm(grad: typing.Any) -> float:
    """
    Sum of squares of grad, in double.
    """
