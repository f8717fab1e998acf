"""ember.spark.Optimizer: synchronous data-parallel training on a Spark cluster, as one barrier stage.

The driver records the settings (the setters of the local :class:`ember.optim.Optimizer`), ships them
with the model to one barrier task per rank (``mapInArrow(..., barrier=True)`` for DataFrames,
``rdd.barrier().mapPartitions`` for RDDs), and gets the trained weights back from rank 0. Each task:

1. copies its Arrow batches once into NumPy arrays (no pandas, no per-row Python);
2. binds a listener on the address Spark reports for the task and rendezvouses through
   ``BarrierTaskContext.allGather`` (host, port, Ember version, schema hash, rows, any error);
3. joins the authenticated collective (``ember.dist.Collective``) and trains with
   ``ember.dist.DistributedOptimizer`` for all epochs, with ``spark.task.cpus`` threads;
4. rank 0 returns the model (in chunks: no 2 GB limit), the history and its log.

Errors inside a task (bad data, a label out of range, a lost peer) are returned as records, so the
driver raises :class:`TrainingError` naming the rank and cause instead of a JVM stack trace. When a
task dies (a killed Python worker, a lost executor), Spark fails the stage; Spark re-runs barrier stages
itself, and the driver re-runs the job up to ``set_max_retries`` times; every re-run resumes from the
latest checkpoint written by this run.
"""

import pickle
import secrets
import sys
import time

import numpy as np

import ember
from .. import nn as _nn
from .. import optim as _optim


class TrainingError(RuntimeError):
    """Distributed training failed on a rank: ``rank`` (-1 when unknown) and ``cause`` say where and why."""

    def __init__(self, message, rank=-1, cause=""):
        super().__init__(message)
        self.rank = rank
        self.cause = cause


class _Job:
    """Everything a task needs, pickled into the stage's closure."""

    def __init__(self):
        self.model = None
        self.criterion = None
        self.batch_size = 32
        self.world_size = 1
        self.secret = b""
        self.features_col = "features"
        self.label_col = "label"
        self.feature_shape = None
        self.label_shape = None  # reshapes each row's label, e.g. (1,) for a model with one output
        self.optim_method = None
        self.end_when = None
        self.validation = None  # (trigger, methods, batch_size)
        self.checkpoint = None  # (path, trigger, keep_last)
        self.resume_from = None  # explicit resume_from() path
        self.skip_checkpoint = None  # the checkpoint that existed before this run: never resumed from
        self.train_summary = None  # (log_dir, app_name, {tag: trigger})
        self.validation_summary = None  # (log_dir, app_name)
        self.clipping = None  # ("constant", min, max) | ("l2", max_norm)
        self.compression = False
        self.data_options = {}
        self.log_every = 0
        self.timeout = 300.0
        self.version = ember.__version__
        self.is_rdd = False
        self.log_relay = None  # (host, port) of the driver's live log relay
        self.dtype = np.float32  # the model's: features are read in it
        self.transform = None  # per-row ember.data.Transformer applied when the features are read
        self.train_transform = None  # per-sample, every epoch (augmentation)


class Optimizer:
    """Trains ``model`` on a Spark DataFrame or RDD with every core the cluster gives (BigDL: DistriOptimizer).

    ``Optimizer(model, data, criterion, batch_size=32, optim_method=None, end_trigger=None, *,
    features_col="features", label_col="label", feature_shape=None, label_shape=None, num_workers=None)``

    - ``data``: a DataFrame whose ``features_col`` is array<float|double>, a Spark ML Vector, binary image
      bytes (JPEG/PNG) or a numeric column, and whose ``label_col`` is numeric (0-based class indices for
      ClassNLLCriterion); or an RDD of ``(features, label)`` NumPy pairs or ``ember.data.Sample``.
    - ``batch_size`` is the global batch: any value >= the number of ranks, split as evenly as possible.
    - ``feature_shape`` reshapes each row's features (e.g. ``(1, 28, 28)`` for a flat MNIST row);
      ``label_shape`` each row's label (e.g. ``(1,)`` for a regression model's [N, 1] output).
    - ``num_workers``: ranks (barrier tasks, one per ``spark.task.cpus`` cores); default: the cluster's
      default parallelism. The data is repartitioned when its partition count differs.

    Example::

        opt = ember.spark.Optimizer(models.lenet5(), df, nn.ClassNLLCriterion(), batch_size=128,
                                    feature_shape=(1, 28, 28))
        opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9)).set_end_when(optim.max_epoch(2))
        model = opt.optimize()
    """

    def __init__(self, model, data, criterion, batch_size=32, optim_method=None, end_trigger=None, *,
                 features_col="features", label_col="label", feature_shape=None, label_shape=None, num_workers=None):
        if not isinstance(model, _nn.Module):
            raise TypeError(f"[ember.spark.Optimizer] model: expected an ember.nn.Module, got {type(model).__name__}")
        if not isinstance(criterion, _nn.Criterion):
            raise TypeError(f"[ember.spark.Optimizer] criterion: expected an ember.nn.Criterion, got {type(criterion).__name__}")
        if not _is_dataframe(data) and not _is_rdd(data):
            raise TypeError("[ember.spark.Optimizer] data: expected a pyspark DataFrame or RDD, got "
                            f"{type(data).__name__} (for NumPy arrays use ember.optim.Optimizer)")
        if int(batch_size) < 1:
            raise ValueError(f"[ember.spark.Optimizer] batch_size must be >= 1, got {batch_size}")
        self._model = model
        self._data = data
        self._validation_data = None
        self._num_workers = num_workers
        self._max_retries = 2
        self._log_stream = sys.stderr
        self._job = _Job()
        job = self._job
        job.criterion = criterion
        job.batch_size = int(batch_size)
        job.features_col, job.label_col = features_col, label_col
        job.feature_shape = tuple(feature_shape) if feature_shape is not None else None
        job.label_shape = tuple(label_shape) if label_shape is not None else None
        job.is_rdd = _is_rdd(data)
        if optim_method is not None:
            self.set_optim_method(optim_method)
        if end_trigger is not None:
            self.set_end_when(end_trigger)
        self._history, self._validation_history, self._log = [], [], ""
        self.attempts = []
        self.live_log_lines = 0  # lines rank 0 streamed to the driver while it trained

    # The local Optimizer's setters.
    def set_optim_method(self, method):
        """The update rule (default: SGD(learning_rate=0.01)); each rank updates its shard of the weights."""
        if not isinstance(method, _optim.OptimMethod):
            raise TypeError(f"[ember.spark.Optimizer.set_optim_method] expected an ember.optim.OptimMethod, got "
                            f"{type(method).__name__}")
        self._job.optim_method = method
        return self

    def set_end_when(self, trigger):
        """When to stop (default: max_epoch(10)); an epoch is one pass over the whole data set."""
        self._job.end_when = _checked_trigger(trigger, "set_end_when")
        return self

    def set_validation(self, trigger, val_data, methods=None, batch_size=0):
        """Validates on ``val_data`` (a DataFrame or RDD like the training data) when ``trigger`` fires; each rank
        scores its share and the results are merged. ``methods`` default to [Top1Accuracy()]."""
        if not _is_dataframe(val_data) and not _is_rdd(val_data):
            raise TypeError("[ember.spark.Optimizer.set_validation] val_data: expected a DataFrame or RDD, got "
                            f"{type(val_data).__name__}")
        if _is_rdd(val_data) != self._job.is_rdd:
            raise TypeError("[ember.spark.Optimizer.set_validation] val_data must be of the training data's kind "
                            "(both DataFrames or both RDDs)")
        methods = [_optim.Top1Accuracy()] if methods is None else list(methods)
        methods = [_optim.Loss(self._job.criterion) if isinstance(m, str) and m.lower() == "loss"
                   else _optim.make_validation_method(m) if isinstance(m, str) else m for m in methods]
        for m in methods:
            pickle.dumps(m)  # a validation method the executors cannot rebuild fails here
        self._job.validation = (_checked_trigger(trigger, "set_validation"), methods, int(batch_size))
        self._validation_data = val_data
        return self

    def set_checkpoint(self, path, trigger=None, keep_last=3):
        """Rank 0 writes a checkpoint (weights, trainer state, every rank's optim shard) into ``path`` when
        ``trigger`` fires (default every_epoch()). After a failure, training resumes from the latest one. The
        path must be reachable from every executor (a shared file system)."""
        if isinstance(path, _optim.Trigger):  # BigDL's order: setCheckpoint(trigger, path)
            path, trigger = trigger, path
        trigger = _optim.every_epoch() if trigger is None else _checked_trigger(trigger, "set_checkpoint")
        self._job.checkpoint = (str(path), trigger, int(keep_last))
        return self

    def resume_from(self, checkpoint):
        """Starts from a checkpoint (a checkpoint directory or a root with a `latest` pointer)."""
        self._job.resume_from = str(checkpoint)
        return self

    def set_train_summary(self, summary):
        """Rank 0 writes Loss, Throughput and LearningRate to ``summary``'s log directory."""
        triggers = {}
        for tag in ("Loss", "Throughput", "LearningRate", "Parameters"):
            t = summary.summary_trigger(tag)
            if t is not None:
                triggers[tag] = t
        self._job.train_summary = (summary.log_dir, summary.app_name, triggers)
        return self

    def set_validation_summary(self, summary):
        """Rank 0 writes one scalar per validation method to ``summary``'s log directory."""
        self._job.validation_summary = (summary.log_dir, summary.app_name)
        return self

    def set_constant_gradient_clipping(self, min, max):  # noqa: A002 (BigDL's names)
        self._job.clipping = ("constant", float(min), float(max))
        return self

    def set_gradient_clipping_by_l2_norm(self, max_norm):
        """Scales the global gradient (its norm is all-reduced) down when its L2 norm exceeds max_norm."""
        self._job.clipping = ("l2", float(max_norm))
        return self

    def disable_gradient_clipping(self):
        self._job.clipping = None
        return self

    def set_data_options(self, *, seed=None, shuffle=None, num_workers=None, prefetch=None):
        """As the local Optimizer's; each rank shuffles its shard with seed + rank."""
        for k, v in dict(seed=seed, shuffle=shuffle, num_workers=num_workers, prefetch=prefetch).items():
            if v is not None:
                self._job.data_options[k] = v
        return self

    def set_log(self, *, stream=..., log_every=None):
        """The driver's log: ``stream`` (default sys.stderr; None: silent); rank 0's training log is shown there
        when training ends. ``log_every`` N iterations (default 0: epoch summaries and validation lines)."""
        if stream is not ...:
            self._log_stream = stream
        if log_every is not None:
            self._job.log_every = int(log_every)
        return self

    def set_train_transform(self, transform):
        """A per-sample ember.data.Transformer the training loop applies every epoch (random augmentation), as
        the local Optimizer's; random draws come from the loader's seed (set_data_options)."""
        self._job.train_transform = _checked_transform(transform, "set_train_transform")
        return self

    # Distributed-only settings.
    def set_transform(self, transform):
        """An ember.data.Transformer applied once to every row's features (training and validation) as the
        executors read them; images are decoded to uint8 [H, W, C] first (e.g. Resize(32, 32) >> ToTensor())."""
        self._job.transform = _checked_transform(transform, "set_transform")
        return self

    def set_gradient_compression(self, bfloat16=True):
        """Sends gradients as bfloat16 in the reduce-scatter (float32 accumulation; weights stay exact)."""
        self._job.compression = bool(bfloat16)
        return self

    def set_timeout(self, seconds):
        """Seconds any collective operation may wait for a peer before every rank fails (default 300)."""
        if float(seconds) <= 0:
            raise ValueError(f"[ember.spark.Optimizer.set_timeout] seconds must be > 0, got {seconds}")
        self._job.timeout = float(seconds)
        return self

    def set_max_retries(self, n):
        """How many times the driver re-runs a failed training job (default 2), resuming from the latest
        checkpoint. Errors in the data or the model are not retried."""
        if int(n) < 0:
            raise ValueError(f"[ember.spark.Optimizer.set_max_retries] n must be >= 0, got {n}")
        self._max_retries = int(n)
        return self

    # BigDL's camelCase names.
    setOptimMethod = set_optim_method
    setEndWhen = set_end_when
    setValidation = set_validation
    setCheckpoint = set_checkpoint
    setTrainSummary = set_train_summary
    setValidationSummary = set_validation_summary
    setConstantGradientClipping = set_constant_gradient_clipping
    setGradientClippingByl2Norm = set_gradient_clipping_by_l2_norm
    disableGradientClipping = disable_gradient_clipping

    def history(self):
        """Rank 0's history: one dict per iteration (epoch, iteration, loss, throughput, learning_rate)."""
        return list(self._history)

    def validation_history(self):
        """One dict per validation run: epoch, iteration, results (merged over ranks)."""
        return list(self._validation_history)

    @property
    def log(self):
        """Rank 0's training log of the last attempt."""
        return self._log

    def optimize(self):
        """Trains until the end trigger fires and returns the model (the given model, trained in place)."""
        from . import _worker

        job = self._job
        spark_context = _spark_context(self._data)
        job.world_size = int(self._num_workers or spark_context.defaultParallelism)
        if job.world_size < 1:
            raise ValueError(f"[ember.spark.Optimizer] num_workers must be >= 1, got {job.world_size}")
        if job.batch_size < job.world_size:
            raise ValueError(f"[ember.spark.Optimizer] batch_size {job.batch_size} is smaller than the number of "
                             f"ranks ({job.world_size}): every rank needs at least one sample per iteration")
        if not job.is_rdd:
            from ._arrow import check_columns
            for df in (self._data, self._validation_data):
                if df is not None:
                    check_columns(df, job.features_col, job.label_col, job.feature_shape, where="ember.spark.Optimizer",
                                  transform=job.transform is not None)
        job.model = self._model
        from .inference import _model_dtype
        job.dtype = _model_dtype(self._model)
        job.secret = secrets.token_bytes(32)
        if job.checkpoint:
            job.skip_checkpoint = _latest_checkpoint(job.checkpoint[0])
        stage = _worker.training_stage(job, self._data, self._validation_data, self._say)
        relay = None
        if self._log_stream is not None:
            from ._relay import LogRelay
            host = spark_context.getConf().get("spark.driver.host") or "127.0.0.1"
            try:
                relay = LogRelay(host, job.secret, self._log_stream)
                job.log_relay = relay.address
            except OSError:
                job.log_relay = None  # the log arrives with the result instead
        try:
            return self._run(stage, relay)
        finally:
            if relay is not None:
                relay.close()

    def _attempt(self, stage):
        """One run of the stage; an empty partition repartitions the data and runs it again (once)."""
        from . import _worker
        try:
            return _worker.collect_result(stage(), self._job.world_size)
        except TrainingError as e:
            if not e.cause.endswith(_worker._EMPTY) or stage.repartitioned:
                raise
            stage.repartition(e.cause[:-len(_worker._EMPTY)])
            return _worker.collect_result(stage(), self._job.world_size)

    def _run(self, stage, relay):
        job = self._job

        self._say(f"[ember.spark] training on {job.world_size} ranks, global batch {job.batch_size}")
        for attempt in range(self._max_retries + 1):
            start = time.time()
            try:
                result = self._attempt(stage)
            except TrainingError:
                raise
            except Exception as e:  # a task raised or died: Spark gave up on the stage
                reason = _spark_reason(e)
                if "PythonException" in str(e):  # raised in Ember's task code: running it again will not help
                    raise TrainingError(f"[ember.spark.Optimizer] a training task failed: {reason}", cause=reason) from e
                self.attempts.append({"attempt": attempt + 1, "failed": reason, "seconds": time.time() - start})
                if attempt == self._max_retries:
                    raise TrainingError(f"[ember.spark.Optimizer] training failed after {attempt + 1} attempts: {reason}",
                                        cause=reason) from e
                where = ("the latest checkpoint in " + job.checkpoint[0]) if job.checkpoint else \
                    "the start (no checkpoint set: set_checkpoint() makes retries resume)"
                self._say(f"[ember.spark] training stage failed (attempt {attempt + 1} of {self._max_retries + 1}): "
                          f"{reason}; running it again from {where}")
                continue
            self.attempts.append({"attempt": attempt + 1, "failed": None, "seconds": time.time() - start,
                                  "resumed_from": result["resumed_from"]})
            if result["resumed_from"]:
                self._say(f"[ember.spark] rank 0 resumed from {result['resumed_from']}")
            self._history = result["history"]
            self._validation_history = result["validation_history"]
            self._log = result["log"]
            if relay is not None and relay.lines:
                relay.close()  # every line is shown once: wait for the relay's last lines
                self.live_log_lines = relay.lines
            elif self._log and self._log_stream is not None:
                self._log_stream.write(self._log if self._log.endswith("\n") else self._log + "\n")
            _copy_weights(result["model"], self._model)
            return self._model

    def _say(self, line):
        if self._log_stream is not None:
            print(line, file=self._log_stream, flush=True)


def _checked_trigger(trigger, where):
    if not isinstance(trigger, _optim.Trigger):
        raise TypeError(f"[ember.spark.Optimizer.{where}] expected an ember.optim.Trigger, got {type(trigger).__name__}")
    pickle.dumps(trigger)  # custom (Python) triggers cannot reach the executors: fail now
    return trigger


def _checked_transform(transform, where):
    from .. import data
    if transform is None:
        return None
    if not isinstance(transform, data.Transformer):
        raise TypeError(f"[ember.spark.Optimizer.{where}] expected an ember.data.Transformer, got "
                        f"{type(transform).__name__}")
    from pyspark import cloudpickle  # what ships the job: it carries a Lambda's function, which pickle cannot

    try:
        cloudpickle.dumps(transform)
    except Exception as e:  # noqa: BLE001
        raise TypeError(f"[ember.spark.Optimizer.{where}] the transformer cannot be sent to the executors: {e}") \
            from None
    return transform


def _is_dataframe(x):
    from ._compat import is_dataframe
    return is_dataframe(x)


def _is_rdd(x):
    return type(x).__module__.startswith("pyspark") and hasattr(x, "mapPartitions") and hasattr(x, "barrier")


def _spark_context(data):
    return data.rdd.context if _is_dataframe(data) else data.context


def _latest_checkpoint(path):
    try:
        from ..io import CheckpointManager
        return CheckpointManager.latest(path)
    except Exception:
        return None


def _spark_reason(e):
    """The useful line of a Spark job failure (Py4J errors carry the JVM's whole stack): a Python task's
    exception line, a lost worker, or the first exception line."""
    lines = [line.strip() for line in str(e).splitlines()]
    if any("PythonException" in line for line in lines):
        for line in lines:  # the traceback's last line: "ValueError: ..."
            if line and not line.startswith(("at ", "File ", "Traceback", "org.apache", "py4j", "^")) and \
                    ("Error:" in line or "Exception:" in line) and "PythonException" not in line:
                return line[:1000]
    for keys in (("exited unexpectedly", "crashed", "ExecutorLostFailure", "Lost executor", "killed"),
                 ("Exception", "Error")):
        for line in lines:
            if any(k in line for k in keys):
                return line[:1000]
    return lines[0][:1000] if lines else type(e).__name__


def _copy_weights(trained, model):
    """Copies the trained weights and buffers into the caller's model (same structure)."""
    dst, _ = model.get_parameters()
    src, _ = trained.get_parameters()
    np.asarray(dst)[...] = np.asarray(src)
    for (_, b_dst), (_, b_src) in zip(model.named_buffers(), trained.named_buffers()):
        np.asarray(b_dst)[...] = np.asarray(b_src)

