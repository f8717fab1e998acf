"""
The local Optimizer (training loop).
"""
from __future__ import annotations
import ember._ember.nn
import ember._ember.optim
import ember._ember.summary
import typing
__all__: list[str] = ['Optimizer', 'evaluate']
class Optimizer:
    """
    Trains a model on one machine (BigDL: Optimizer / LocalOptimizer).
    
    Optimizer(model, training_set, criterion, batch_size=32, optim_method=None, end_trigger=None): training_set is a (features [N, ...], labels [N]) pair of NumPy arrays (used without copying; labels are 0-based int64 class indices for ClassNLLCriterion) or an ember.data.DataSet. Setters return self for chaining; optimize() releases the GIL, trains until the end trigger fires (default max_epoch(10)) and returns the model. Ctrl-C stops training after the current iteration and raises KeyboardInterrupt.
    
    Example:
      opt = Optimizer(model, (x, y), nn.create_criterion('nn.ClassNLLCriterion'), 64)
      opt.set_optim_method(SGD(learning_rate=0.1)).set_end_when(max_epoch(5)).optimize()
    """
    def __init__(self, model: ember._ember.nn.Module, training_set: typing.Any, criterion: ember._ember.nn.Criterion, batch_size: typing.SupportsInt | typing.SupportsIndex = 32, optim_method: typing.Any = None, end_trigger: typing.Any = None) -> None:
        ...
    def disable_gradient_clipping(self) -> typing.Any:
        ...
    def history(self) -> list:
        """
        One dict per iteration: epoch, iteration, loss, throughput (records/s), learning_rate.
        """
    def optimize(self) -> ember._ember.nn.Module:
        """
        Trains until the end trigger fires (GIL released) and returns the model, trained in place.
        """
    def resume_from(self, checkpoint: typing.Any) -> typing.Any:
        """
        Continues from a checkpoint (a checkpoint directory or a root with a `latest` pointer) when optimize() starts; the model, optim method and batch size must match.
        """
    def set_checkpoint(self, path: typing.Any, trigger: typing.Any = None, keep_last: typing.SupportsInt | typing.SupportsIndex = 3) -> typing.Any:
        """
        Writes a checkpoint (model, optim state, RNG, position) into `path` when `trigger` fires (default every_epoch()), keeping the newest `keep_last`.
        """
    def set_constant_gradient_clipping(self, min: typing.SupportsFloat | typing.SupportsIndex, max: typing.SupportsFloat | typing.SupportsIndex) -> typing.Any:
        """
        Clamps every gradient element into [min, max] before the update.
        """
    def set_data_options(self, *, seed: typing.SupportsInt | typing.SupportsIndex | None = None, num_workers: typing.SupportsInt | typing.SupportsIndex | None = None, prefetch: typing.SupportsInt | typing.SupportsIndex | None = None, shuffle: bool | None = None) -> typing.Any:
        """
        Data loading: seed (shuffling and random transforms, default 1), num_workers (default 1; 0: on the training thread), prefetch (batches, default 4), shuffle (default True). Options not given keep their values.
        """
    def set_end_when(self, trigger: typing.Any) -> typing.Any:
        """
        When to stop (default: max_epoch(10)).
        """
    def set_gradient_clipping_by_l2_norm(self, max_norm: typing.SupportsFloat | typing.SupportsIndex) -> typing.Any:
        """
        Scales the gradient down when its L2 norm exceeds max_norm.
        """
    def set_log(self, *, stream: typing.Any = ..., log_every: typing.SupportsInt | typing.SupportsIndex | None = None, progress_bar: str | None = None, timing_breakdown: bool | None = None) -> typing.Any:
        """
        The training log: stream = a file object (default: Python's sys.stderr at optimize() time, so the log shows in notebooks; on a terminal the C-level stderr with a progress bar), 'stderr'/'stdout' (the C-level streams) or None (silent); log_every N iterations (default 0: epoch summaries and validation lines only); progress_bar 'auto' (on a terminal), 'on', 'off'; timing_breakdown adds the data/forward/backward/update split.
        """
    def set_optim_method(self, method: typing.Any) -> typing.Any:
        """
        The update rule (default: SGD(learning_rate=0.01)).
        """
    def set_train_summary(self, summary: ember._ember.summary.TrainSummary) -> typing.Any:
        """
        Writes Loss, Throughput, LearningRate (and histograms if asked) to a TrainSummary.
        """
    def set_train_transform(self, transform: typing.Any) -> typing.Any:
        """
        Per-sample transform of the training data: None, an ember.data.Transformer, or a Python callable fn(features, label, seed) -> features | (features, label) (read-only arrays in; called with the GIL from the loader's threads; seed is a per-sample 64-bit seed for reproducible randomness).
        """
    def set_validation(self, trigger: typing.Any, val_set: typing.Any, methods: typing.Any = None, batch_size: typing.SupportsInt | typing.SupportsIndex = 0) -> typing.Any:
        """
        Validates on val_set ((x, y) arrays or a DataSet) with `methods` (ValidationMethod objects or names; default [Top1Accuracy()]; the name 'loss' uses the training criterion) when `trigger` fires; batch_size 0: the training batch size.
        """
    def set_validation_summary(self, summary: ember._ember.summary.ValidationSummary) -> typing.Any:
        """
        Writes one scalar per validation method to a ValidationSummary.
        """
    def set_validation_transform(self, transform: typing.Any) -> typing.Any:
        """
        Per-sample transform of the validation data (as set_train_transform).
        """
    def validation_history(self) -> list:
        """
        One dict per validation run: epoch, iteration, results (a list of ValidationResult).
        """
    @property
    def end_when(self) -> ember._ember.optim.Trigger | None:
        ...
    @property
    def interrupted(self) -> bool:
        """
        True when the last optimize() was stopped by Ctrl-C (or another signal handler).
        """
    @property
    def last_checkpoint(self) -> str:
        """
        The path of the last checkpoint written ('' when none).
        """
    @property
    def model(self) -> ember._ember.nn.Module:
        ...
    @property
    def optim_method(self) -> ember._ember.optim.OptimMethod:
        """
        The optim method set (None: the default SGD).
        """
    @property
    def state(self) -> ember._ember.optim.TrainingState:
        """
        Where training stands (a TrainingState: epoch, iteration, loss, score).
        """
    @property
    def timing(self) -> dict:
        """
        Cumulative seconds per phase of the training step (reduce_scatter and all_gather: distributed training).
        """
    @property
    def train_summary(self) -> ember._ember.summary.TrainSummary:
        ...
    @property
    def validation_summary(self) -> ember._ember.summary.ValidationSummary:
        ...
def evaluate(model: ember._ember.nn.Module, x: typing.Any, y: typing.Any = None, methods: typing.Any = None, batch_size: typing.SupportsInt | typing.SupportsIndex = 32, transform: typing.Any = None) -> typing.Any:
    """
    Runs validation methods (default [Top1Accuracy()]) over x, y (arrays; or x = (features, labels) or a DataSet with y None) in evaluation mode, GIL released; returns the merged ValidationResult list.
    
    Example: [top1] = evaluate(model, x_test, y_test, [Top1Accuracy()], batch_size=256)
    """
