"""Estimator.fit: the driver's checks, then ember.spark.Optimizer on a copy of the module.

Before any training starts, one Spark job (an aggregation, run by the JVM) scans the prepared training
and validation data for what the column types cannot show: nulls, rows whose feature length differs from
featureShape, NaN or non-integer labels, class indices the module cannot output, invalid images. Each
problem raises on the driver with the column, the expected and the found. With cachingSample the prepared
data is persisted first, so this scan also fills the cache the training stage then reads.
"""

import sys

import numpy as np

from .._arrow import _spark_kind, check_columns
from ._transform import output_width, sample_shape

__all__ = ["fit"]


def _label_kind(df, label_col, where):
    from pyspark.sql import types as T

    fields = {f.name: f for f in df.schema.fields}
    if label_col not in fields:
        raise ValueError(f"[{where}] label column '{label_col}' not found; the DataFrame has columns: {list(fields)}")
    dt = fields[label_col].dataType
    kind = _spark_kind(dt)
    if kind == "number" and not isinstance(dt, T.BooleanType):
        return "number"
    if kind in ("array", "vector"):
        return kind
    raise TypeError(f"[{where}] label column '{label_col}' has type {dt.simpleString()}, expected a numeric column "
                    "(a class index for classifiers), an array of numbers or an ML Vector")


def _count_if(cond):
    from pyspark.sql import functions as F
    return F.sum(F.when(cond, 1).otherwise(0))


def _scan(df, names, kind, label_col, label_kind, class_labels):
    """One aggregation job: row count, per-column nulls, feature lengths, label range. Returns a dict."""
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import functions as F

    aggs = [F.count(F.lit(1)).alias("rows")]
    for i, name in enumerate(names):
        aggs.append(_count_if(F.col(name).isNull()).alias(f"null{i}"))
    c = F.col(names[0])
    if kind in ("array", "vector"):
        values = c if kind == "array" else vector_to_array(c)
        length = F.when(c.isNotNull(), F.size(values))
        aggs += [F.min(length).alias("len_min"), F.max(length).alias("len_max"),
                 _count_if(F.exists(values, lambda v: v.isNull() | F.isnan(v))).alias("bad_values")]
    elif kind == "image":
        # The formats Ember decodes, by their signatures (a truncated file is found only when decoded).
        jpeg = F.substring(c, 1, 3) == F.lit(bytearray(b"\xff\xd8\xff"))
        png = F.substring(c, 1, 8) == F.lit(bytearray(b"\x89PNG\r\n\x1a\n"))
        aggs.append(_count_if(~(jpeg | png)).alias("invalid"))
    elif kind == "imagestruct":
        aggs.append(_count_if((c["nChannels"] <= 0) | (c["height"] <= 0) | (c["width"] <= 0)).alias("invalid"))
    lab = F.col(label_col)
    aggs.append(_count_if(lab.isNull()).alias("label_null"))
    if label_kind == "number":
        d = lab.cast("double")
        aggs += [_count_if(F.isnan(d)).alias("label_nan"), F.min(d).alias("label_min"), F.max(d).alias("label_max")]
        if class_labels:
            aggs.append(_count_if(d != F.floor(d)).alias("label_fraction"))
    else:
        values = lab if label_kind == "array" else vector_to_array(lab)
        size = F.when(lab.isNotNull(), F.size(values))
        aggs += [F.min(size).alias("label_len_min"), F.max(size).alias("label_len_max")]
    return df.agg(*aggs).first().asDict()


def _check_scan(s, what, names, kind, label_col, label_kind, shape, where):
    """Raises for the first problem the scan found; returns the feature length (array/vector kinds)."""
    rows = s["rows"]
    if rows == 0:
        raise ValueError(f"[{where}] the {what} data has no rows")
    for i, name in enumerate(names):
        if s[f"null{i}"]:
            raise ValueError(f"[{where}] features column '{name}' is null in {s[f'null{i}']} of {rows} {what} rows: "
                             "expected a value in every row (drop or fill them: df.na.drop())")
    if s["label_null"]:
        raise ValueError(f"[{where}] label column '{label_col}' is null in {s['label_null']} of {rows} {what} rows: "
                         "expected a value in every row")
    if s.get("invalid"):
        found = ("rows that are not JPEG or PNG files" if kind == "image" else
                 "invalid images (files Spark's image source could not decode)")
        raise ValueError(f"[{where}] features column '{names[0]}' holds {s['invalid']} {found} in the {what} data: "
                         "expected an image in every row")
    length = None
    if kind in ("array", "vector"):
        lo, hi = s["len_min"], s["len_max"]
        expected = int(np.prod(shape)) if shape is not None else lo
        if lo != hi or lo != expected:
            found = f"{lo}" if lo == hi else f"{lo} to {hi}"
            want = f"{expected} (featureShape {list(shape)})" if shape is not None else "the same length in every row"
            raise ValueError(f"[{where}] features column '{names[0]}' ({kind}) holds {found} values per {what} row, "
                             f"expected {want}")
        if s["bad_values"]:
            raise ValueError(f"[{where}] features column '{names[0]}' holds null or NaN values in {s['bad_values']} "
                             f"{what} rows: expected numbers only")
        length = lo
    if label_kind == "number":
        if s["label_nan"]:
            raise ValueError(f"[{where}] label column '{label_col}' is NaN in {s['label_nan']} {what} rows: expected "
                             "a number in every row")
        if s.get("label_fraction"):
            raise ValueError(f"[{where}] label column '{label_col}' holds {s['label_fraction']} non-integer values in "
                             f"the {what} data: expected class indices 0, 1, ... (a StringIndexer makes them)")
    elif s["label_len_min"] != s["label_len_max"]:
        raise ValueError(f"[{where}] label column '{label_col}' holds {s['label_len_min']} to {s['label_len_max']} "
                         f"values per {what} row, expected the same length in every row")
    return length


def _optim_method(est, where):
    from ember import optim
    from ember.optim import _rebuild_optim_method

    method, lr = est.getOptimMethod(), est.getLearningRate()
    if method is None:
        return optim.SGD(learning_rate=lr)
    if not est.isSet("learningRate"):
        return method.clone()
    config = method.config()
    if "learning_rate" not in config:
        raise ValueError(f"[{where}] learningRate is set but {method.type_name} has no learning rate")
    return _rebuild_optim_method(method.type_name, {**config, "learning_rate": lr}, method.schedule,
                                 method.state_dict())


def _cast_label(df, label_col, label_kind, class_labels):
    """Class indices as bigint (int64 for the criterion), other numeric labels as double (the model's dtype)."""
    from pyspark.sql import functions as F

    if label_kind != "number":
        return df
    return df.withColumn(label_col, F.col(label_col).cast("long" if class_labels else "double"))


def fit(est, dataset):
    """Checks, trains, and returns the fitted model (see the module docstring)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from ember import io

    from .._compat import is_dataframe
    from ._stages import _CLASS_INDEX_CRITERIA, _where

    where = _where(est, "fit")
    if not is_dataframe(dataset):
        raise TypeError(f"[{where}] expected a DataFrame, got {type(dataset).__name__}")
    if est._module is None:
        raise ValueError(f"[{where}] no module: Estimator(module, criterion, ...)")
    features, label_col = est.getFeaturesCol(), est.getLabelCol()
    shape = est.getFeatureShape()
    transform = est.getFeatureTransform()
    names, kind = check_columns(dataset, features, None, shape, where=where, transform=transform is not None)
    label_kind = _label_kind(dataset, label_col, where)
    criterion = est.getCriterion() or est._default_criterion()
    class_labels = type(criterion).__name__ in _CLASS_INDEX_CRITERIA
    if class_labels and label_kind != "number":
        raise TypeError(f"[{where}] label column '{label_col}' is an {label_kind}, but {type(criterion).__name__} "
                        "takes class indices: expected a numeric column")

    train, val, val_batch = dataset, None, 0
    vcol = est.getValidationIndicatorCol()
    if vcol:
        field = next((f for f in dataset.schema.fields if f.name == vcol), None)
        if field is None:
            raise ValueError(f"[{where}] validationIndicatorCol '{vcol}' not found; the DataFrame has columns: "
                             f"{dataset.columns}")
        if not isinstance(field.dataType, T.BooleanType):
            raise TypeError(f"[{where}] validationIndicatorCol '{vcol}' has type {field.dataType.simpleString()}, "
                            "expected boolean")
        train, val = dataset.filter(~F.col(vcol)), dataset.filter(F.col(vcol))
    elif est._validation is not None:
        val, val_batch = est._validation
        check_columns(val, features, None, shape, where=where + " (validation data)", transform=transform is not None)
        if _label_kind(val, label_col, where + " (validation data)") != label_kind:
            raise TypeError(f"[{where}] the validation data's label column '{label_col}' differs in kind from the "
                            "training data's")

    columns = list(dict.fromkeys(names + [label_col]))
    prepared = train.select(*columns)
    val_prepared = None if val is None else val.select(*columns)
    cached = est.getCachingSample()
    if cached:
        prepared = prepared.persist()
        val_prepared = None if val_prepared is None else val_prepared.persist()
    try:
        # With a transform, featureShape is what the transform gives: the rows as read need only agree.
        raw_shape = shape if transform is None else None
        stats = _scan(prepared, names, kind, label_col, label_kind, class_labels)
        length = _check_scan(stats, "training", names, kind, label_col, label_kind, raw_shape, where)
        if val_prepared is not None:
            val_stats = _scan(val_prepared, names, kind, label_col, label_kind, class_labels)
            _check_scan(val_stats, "validation", names, kind, label_col, label_kind, raw_shape or
                        ([length] if length else None), where)
        if shape is None:
            shape = [length] if length is not None and transform is None else \
                [len(names)] if kind == "number" and transform is None else \
                sample_shape(prepared, features, transform, where)
        width = output_width(est._module, shape, where)
        if class_labels:
            for s, what in ((stats, "training"), (val_stats if val_prepared is not None else None, "validation")):
                if s is not None and (s["label_min"] < 0 or s["label_max"] >= width):
                    raise ValueError(f"[{where}] label column '{label_col}' holds class indices {s['label_min']:g} to "
                                     f"{s['label_max']:g} in the {what} data, but the module outputs {width} classes: "
                                     f"expected 0 to {width - 1}")
        ranks = est.getNumWorkers() or dataset.sparkSession.sparkContext.defaultParallelism
        if stats["rows"] < ranks:
            raise ValueError(f"[{where}] the training data has {stats['rows']} rows but training runs on {ranks} ranks: "
                             "every rank needs at least one row (set numWorkers lower)")
        label_shape = (1,) if label_kind == "number" and not class_labels and width == 1 else None
        module = io.model_from_bytes(io.model_to_bytes(est._module), "<training copy>")
        trainer = _trainer(est, module, _cast_label(prepared, label_col, label_kind, class_labels),
                           None if val_prepared is None else _cast_label(val_prepared, label_col, label_kind,
                                                                         class_labels),
                           val_batch, criterion, shape, label_shape, where)
        print(f"[{where}] {stats['rows']} training rows" +
              (f", {val_stats['rows']} validation rows" if val_prepared is not None else "") +
              f", featureShape {list(shape)}, {width} outputs", file=sys.stderr, flush=True)
        trainer.optimize()
    finally:
        if cached:
            prepared.unpersist()
            if val_prepared is not None:
                val_prepared.unpersist()

    model = est._model_class(module)
    est._copyValues(model)
    model._set(featureShape=list(shape))
    model._history = trainer.history()
    model._validation_history = [
        {"epoch": v["epoch"], "iteration": v["iteration"], **{r.name: r.value for r in v["results"]}}
        for v in trainer.validation_history()]
    return model


def _trainer(est, module, train, val, val_batch, criterion, shape, label_shape, where):
    """An ember.spark.Optimizer with the estimator's settings."""
    from ember import optim, summary

    from ..optimizer import Optimizer

    end = est.getEndWhen() or optim.max_epoch(est.getMaxEpoch())
    trainer = Optimizer(module, train, criterion, est.getBatchSize(), _optim_method(est, where), end,
                        features_col=est.getFeaturesCol(), label_col=est.getLabelCol(), feature_shape=shape,
                        num_workers=est.getNumWorkers(), label_shape=label_shape)
    if val is not None:
        methods = est.getValidationMethods() or est._default_methods()
        trainer.set_validation(est.getValidationTrigger() or optim.every_epoch(), val, methods, val_batch)
    if est.getCheckpointPath():
        trainer.set_checkpoint(est.getCheckpointPath())
    if est.getLogDir():
        trainer.set_train_summary(summary.TrainSummary(est.getLogDir(), est.getAppName()))
        if val is not None:
            trainer.set_validation_summary(summary.ValidationSummary(est.getLogDir(), est.getAppName()))
    trainer.set_data_options(seed=est.getSeed())
    trainer.set_log(stream=sys.stderr, log_every=est.getLogEvery())
    trainer.set_max_retries(est.getMaxRetries())
    if est.getFeatureTransform() is not None:
        trainer.set_transform(est.getFeatureTransform())
    if est.getTrainTransform() is not None:
        trainer.set_train_transform(est.getTrainTransform())
    return trainer
