"""Distributed inference and validation on Spark DataFrames: ordinary (non-barrier) ``mapInArrow`` stages.

The model travels once per executor as a broadcast of its native file bytes (the same bytes as
``ember.io.model_to_bytes``; models with modules written in Python cannot be shipped) and is loaded once
per Python worker process, cached by broadcast id (``spark.python.worker.reuse=true``, Spark's default,
keeps the worker and its cache between tasks). Each Arrow batch is copied once into the model's input
(see :func:`ember.spark.to_numpy`) and run in evaluation mode in batches of ``batch_size``.
"""

import builtins
import collections
import os
import re
import threading

import numpy as np

from ._arrow import check_columns, to_numpy
from ._compat import map_in_arrow

__all__ = ["predict", "predict_class", "evaluate"]

# Per Python worker process: broadcast id -> loaded model. A few entries, so that a worker serving several
# models in turn does not reload them, while models of finished jobs do not pile up.
_MODELS = collections.OrderedDict()
_MODELS_KEEP = 4
_MODELS_LOCK = threading.Lock()
_LOADS = collections.Counter()  # broadcast id -> times this process loaded it (tests check the cache)


def _model_dtype(model):
    params = model.parameters()
    if params and str(params[0].dtype) == "float64":
        return np.float64
    return np.float32


def _ship(model, df, where):
    """Broadcasts the model's bytes; returns (broadcast, its id, the features dtype)."""
    from ember import io, nn

    if not isinstance(model, nn.Module):
        raise TypeError(f"[{where}] model: expected an ember.nn.Module, got {type(model).__name__}")
    try:
        data = io.model_to_bytes(model)
    except ValueError as e:
        raise TypeError(f"[{where}] the model cannot be sent to the executors: {e}") from None
    bc = df.sparkSession.sparkContext.broadcast(data)
    return bc, int(bc._jbroadcast.id()), _model_dtype(model)


def _worker_model(bc, key):
    """The model of broadcast ``key`` in this Python worker, loaded on first use."""
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is not None:
            _MODELS.move_to_end(key)
            return model
    import ember
    from ember import io

    if "EMBER_NUM_THREADS" not in os.environ:
        # As many threads as the task was given cores (spark.task.cpus), not the machine's cores.
        from pyspark import TaskContext

        ctx = TaskContext.get()
        cpus = ctx.cpus() if ctx is not None and hasattr(ctx, "cpus") else 1
        ember.set_num_threads(max(1, int(cpus)))
    model = io.model_from_bytes(bc.value, f"<broadcast model {key}>")
    model.evaluate()
    with _MODELS_LOCK:
        _MODELS[key] = model
        _LOADS[key] += 1
        while len(_MODELS) > _MODELS_KEEP:
            _MODELS.popitem(last=False)
    return model


def _batch_size_arg(batch_size, where):
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"[{where}] batch_size: expected a positive int, got {batch_size!r}")
    return int(batch_size)


def _output_field(df, output_col, dtype, where):
    from pyspark.sql import types as T

    if not isinstance(output_col, str) or not output_col:
        raise TypeError(f"[{where}] output_col: expected a column name, got {output_col!r}")
    if output_col in df.columns:
        raise ValueError(f"[{where}] output column '{output_col}' already exists in the DataFrame (columns: "
                         f"{df.columns}): choose another output_col")
    return T.StructField(output_col, dtype, nullable=False)


def model_inputs(batches, bc, key, features_col, feature_shape, dtype, transform=None):
    """(model, batch, features) for each non-empty Arrow batch of a task: the model of broadcast ``key``
    (loaded once per Python worker) and the batch read into its input (see to_numpy)."""
    model = _worker_model(bc, key)
    row = 0
    for batch in batches:
        n = batch.num_rows
        if n == 0:
            continue
        x, _ = to_numpy(batch, features_col, None, feature_shape, dtype=dtype, row_offset=row, transform=transform)
        yield model, batch, x
        row += n


def list_column(values, arrow_type):
    """An [n, width] array as an Arrow list column of ``width`` values a row (one copy, no per-row Python)."""
    import pyarrow as pa

    n, width = values.shape
    offsets = pa.array(np.arange(0, (n + 1) * width, width, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, pa.array(values.reshape(-1), arrow_type))


def _predict_partition(batches, bc, key, features_col, feature_shape, batch_size, output_col, dtype, classes):
    import pyarrow as pa

    for model, batch, x in model_inputs(batches, bc, key, features_col, feature_shape, dtype):
        if classes:
            column = pa.array(model.predict_class(x, batch_size), pa.int64())
        else:
            y = np.ascontiguousarray(model.predict(x, batch_size)).reshape(batch.num_rows, -1)
            column = list_column(y, pa.float64() if dtype == np.float64 else pa.float32())
        yield batch.append_column(output_col, column)


def _run_predict(model, df, features_col, feature_shape, batch_size, output_col, classes, where):
    from pyspark.sql import types as T

    check_columns(df, features_col, None, feature_shape, where=where)
    batch_size = _batch_size_arg(batch_size, where)
    bc, key, dtype = _ship(model, df, where)
    if classes:
        out_type = T.LongType()
    else:
        out_type = T.ArrayType(T.DoubleType() if dtype == np.float64 else T.FloatType(), containsNull=False)
    schema = T.StructType(df.schema.fields + [_output_field(df, output_col, out_type, where)])

    def run(batches):
        return _predict_partition(batches, bc, key, features_col, feature_shape, batch_size, output_col, dtype,
                                  classes)

    return map_in_arrow(df, run, schema)


def predict(model, df, features_col="features", feature_shape=None, batch_size=32, output_col="prediction"):
    """``df`` with a column ``output_col`` holding the model's output for each row's features, flattened:
    ``array<float>`` (``array<double>`` for a float64 model). Lazy, like a Spark ML ``transform``: the job
    runs when the result is used. ``features_col``, ``feature_shape``: see :func:`ember.spark.to_numpy`.

    Example: ``model.predict(df, features_col="pixels", feature_shape=(1, 28, 28)).select("prediction")``
    """
    return _run_predict(model, df, features_col, feature_shape, batch_size, output_col, False, "spark.predict")


def predict_class(model, df, features_col="features", feature_shape=None, batch_size=32, output_col="prediction"):
    """``df`` with a ``bigint`` column ``output_col``: the predicted class of each row, the argmax of the
    model's output [N, num_classes], counted from 0 (Ember's convention, as ``model.predict_class(x)``;
    BigDL counted from 1). Lazy; see :func:`predict`."""
    return _run_predict(model, df, features_col, feature_shape, batch_size, output_col, True,
                        "spark.predict_class")


# ---- evaluate -------------------------------------------------------------------------------------------

def _method_specs(methods, where):
    """Validation methods -> picklable (class name, args) pairs rebuilt on the executors (the bound methods
    themselves do not pickle), and their names for the result of an empty DataFrame."""
    from ember import optim

    if methods is None:
        methods = [optim.Top1Accuracy()]
    elif not isinstance(methods, (list, tuple)):
        methods = [methods]
    if not methods:
        raise ValueError(f"[{where}] needs at least one validation method")
    specs, names = [], []
    for m in methods:
        if isinstance(m, str):
            m = optim.make_validation_method(m)
        names.append(m.name if isinstance(m, optim.ValidationMethod) else "")
        if isinstance(m, optim.Loss):
            specs.append(("Loss", (m.criterion,)))
        elif isinstance(m, optim.TopKAccuracy):
            specs.append(("TopKAccuracy", (m.k,)))
        elif type(m).__name__ in ("Top1Accuracy", "Top5Accuracy", "MAE") and isinstance(m, optim.ValidationMethod):
            specs.append((type(m).__name__, ()))
        else:
            raise TypeError(f"[{where}] validation methods: expected ember.optim.ValidationMethod objects "
                            f"(Top1Accuracy(), Loss(criterion), ...) or names ('top1'), got {type(m).__name__}")
    return specs, names


def _build_methods(specs):
    from ember import optim

    return [getattr(optim, name)(*args) for name, args in specs]


def _evaluate_partition(batches, bc, key, specs, features_col, label_col, feature_shape, batch_size, dtype):
    import pyarrow as pa
    from pyspark import TaskContext

    from ember import optim

    model = _worker_model(bc, key)
    methods = _build_methods(specs)
    totals = None
    row = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        x, y = to_numpy(batch, features_col, label_col, feature_shape, dtype=dtype, row_offset=row)
        results = optim.evaluate(model, x, y, methods, batch_size)
        totals = results if totals is None else [a + b for a, b in zip(totals, results)]
        row += batch.num_rows
    if totals is None:
        return
    ctx = TaskContext.get()
    part = ctx.partitionId() if ctx is not None else 0
    yield pa.RecordBatch.from_pydict({
        "partition": pa.array([part] * len(totals), pa.int32()),
        "method": pa.array(list(range(len(totals))), pa.int32()),
        "name": pa.array([r.name for r in totals], pa.string()),
        "total": pa.array([r.total for r in totals], pa.float64()),
        "count": pa.array([r.count for r in totals], pa.int64()),
    })


_TASK_ERRORS = ("ValueError", "TypeError", "IndexError", "KeyError", "RuntimeError", "NotImplementedError",
                "MemoryError", "OSError")


def _reraise_task_error(e, where):
    """A task's Python exception reaches the driver as a PythonException holding the worker's traceback;
    raise its last ``Type: message`` line as that builtin type, so callers see the same error as locally."""
    if type(e).__name__ != "PythonException":
        return
    last = None
    for last in re.finditer(r"^(?:[\w.]+\.)?(" + "|".join(_TASK_ERRORS) + r"|FormatError|IOError): (.+)$", str(e),
                            re.MULTILINE):
        pass
    if last is None:
        return
    kind = {"FormatError": "ValueError", "IOError": "OSError"}.get(last.group(1), last.group(1))
    raise getattr(builtins, kind)(f"{last.group(2)} (in a Spark task of {where})") from e


def evaluate(model, df, methods=None, features_col="features", label_col="label", feature_shape=None,
             batch_size=32):
    """Runs validation ``methods`` (default [Top1Accuracy()]; objects or names like 'top1') over ``df`` and
    returns the merged ``[ValidationResult]``, as ``ember.optim.evaluate`` does on arrays: each partition
    scores its rows on an executor and returns (name, total, count) per method; the driver adds them up.
    Runs a Spark job now. Labels: a numeric column, 0-based class indices for the accuracies."""
    from pyspark.sql import types as T

    from ember import optim

    where = "spark.evaluate"
    names, _ = check_columns(df, features_col, label_col, feature_shape, where=where)
    batch_size = _batch_size_arg(batch_size, where)
    specs, method_names = _method_specs(methods, where)
    bc, key, dtype = _ship(model, df, where)
    schema = T.StructType([
        T.StructField("partition", T.IntegerType(), False), T.StructField("method", T.IntegerType(), False),
        T.StructField("name", T.StringType(), False), T.StructField("total", T.DoubleType(), False),
        T.StructField("count", T.LongType(), False)])

    def run(batches):
        return _evaluate_partition(batches, bc, key, specs, features_col, label_col, feature_shape, batch_size,
                                   dtype)

    columns = list(dict.fromkeys(names + [label_col]))
    try:
        rows = map_in_arrow(df.select(*columns), run, schema).collect()
    except Exception as e:  # noqa: BLE001
        _reraise_task_error(e, where)
        raise
    finally:
        bc.unpersist()
    merged = [optim.ValidationResult(name, 0.0, 0) for name in method_names]
    # A fixed order of addition (by partition) makes the floating-point totals reproducible.
    for r in sorted(rows, key=lambda r: (r["method"], r["partition"])):
        acc = merged[r["method"]]
        merged[r["method"]] = optim.ValidationResult(r["name"], acc.total + r["total"], acc.count + r["count"])
    return merged
