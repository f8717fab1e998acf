"""Model.transform: one lazy mapInArrow stage that appends the model's output columns.

Each task reads its Arrow batches into the model's input (ember.spark.to_numpy, with the model's transform),
runs the module (loaded once per Python worker from a broadcast of its model file) in evaluation mode, and
appends flat array<double> columns; vectors (rawPrediction, probability) are then made by Spark's own
``array_to_vector``, so the result has the column types Spark ML's evaluators expect.
"""

import numpy as np

from .._arrow import check_columns, to_numpy

__all__ = ["transform", "output_width", "sample_shape"]


def sample_shape(df, features_col, transform, where):
    """The shape one row's features take after ``transform``: read from the first row (one small job)."""
    cols = [features_col] if isinstance(features_col, str) else list(features_col)
    table = df.select(*cols).limit(1).toArrow()
    if table.num_rows == 0:
        raise ValueError(f"[{where}] the DataFrame has no rows to find the feature shape from: set featureShape")
    x, _ = to_numpy(table, features_col, None, None, transform=transform)
    return list(x.shape[1:])


def output_width(module, feature_shape, where):
    """The number of values the module outputs for one row of ``feature_shape`` (a forward on zeros, on the
    driver, in evaluation mode on a copy)."""
    if feature_shape is None:
        raise ValueError(f"[{where}] featureShape is not known: set it, or transform a DataFrame first")
    from ember import io
    from ..inference import _model_dtype
    probe = io.model_from_bytes(io.model_to_bytes(module), "<probe>")
    probe.evaluate()
    try:
        y = np.asarray(probe.forward(np.zeros([1] + list(feature_shape), _model_dtype(probe))))
    except Exception as e:  # noqa: BLE001 (the module's own message says what it expected)
        raise ValueError(f"[{where}] the module does not take features of shape {list(feature_shape)} (featureShape): "
                         f"{e}") from None
    return int(y.size)


def _softmax(y):
    z = y - y.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def _partition(batches, bc, key, features_col, feature_shape, batch_size, dtype, transform, outputs, end_softmax):
    import pyarrow as pa
    from ..inference import list_column, model_inputs

    for model, batch, x in model_inputs(batches, bc, key, features_col, feature_shape, dtype, transform):
        y = np.asarray(model.predict(x, batch_size), dtype=np.float64).reshape(batch.num_rows, -1)
        for name, kind in outputs:
            if kind == "scalar":
                column = pa.array(y[:, 0], pa.float64())
            elif kind == "class":
                column = pa.array(y.argmax(axis=1).astype(np.float64), pa.float64())
            else:
                column = list_column(y if kind != "probability" or end_softmax else _softmax(y), pa.float64())
            batch = batch.append_column(name, column)
        yield batch


def transform(model, df):
    """``df`` with ``model``'s output columns appended (lazy, like every Spark ML transform)."""
    from pyspark.ml.functions import array_to_vector
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from .._compat import map_in_arrow
    from ..inference import _ship
    from ._stages import _last_layer, _where

    where = _where(model, "transform")
    features_col, transform_ = model.getFeaturesCol(), model.getFeatureTransform()
    shape = model.getFeatureShape()
    check_columns(df, features_col, None, shape, where=where, transform=transform_ is not None)
    if shape is None:
        shape = sample_shape(df, features_col, transform_, where)
    outputs = model._outputs(output_width(model._module, shape, where))
    for name, _ in outputs:
        if name in df.columns:
            raise ValueError(f"[{where}] output column '{name}' already exists in the DataFrame (columns: "
                             f"{df.columns}): set another column name on the model")
    bc, key, dtype = _ship(model._module, df, where)
    end_softmax = _last_layer(model._module) == "SoftMax"
    types = {"scalar": T.DoubleType(), "class": T.DoubleType()}
    schema = T.StructType(df.schema.fields + [
        T.StructField(name, types.get(kind, T.ArrayType(T.DoubleType(), containsNull=False)), nullable=False)
        for name, kind in outputs])
    batch_size = model.getBatchSize()

    def run(batches):
        return _partition(batches, bc, key, features_col, shape, batch_size, dtype, transform_, outputs, end_softmax)

    out = map_in_arrow(df, run, schema)
    vectors = [name for name, kind in outputs if kind in ("vector", "probability")]
    if vectors:
        out = out.select(*[array_to_vector(F.col(c)).alias(c) if c in vectors else F.col(c) for c in out.columns])
    return out
