"""ember.spark: Ember on Apache Spark DataFrames (PySpark 3.5+, primary target 4.x).

* :class:`Optimizer`: data-parallel training on a DataFrame or RDD as one barrier stage, with the local
  Optimizer's setters (:class:`TrainingError` names the rank and cause when it fails).
* :func:`predict`, :func:`predict_class`, :func:`evaluate`: distributed inference and validation as
  ordinary ``mapInArrow`` stages; the model is broadcast once and loaded once per Python worker.
  ``model.predict(df)``, ``model.predict_class(df)`` and ``model.evaluate(df, methods)`` call them when
  given a DataFrame.
* :func:`check_columns`, :func:`to_numpy`, :func:`schema_hash`: the DataFrame -> NumPy ingestion
  (Arrow batches copied once into the model's input: arrays, ML Vectors, image bytes, numeric columns).
* :func:`read_images`: a folder tree of images (one folder per class) as a labelled DataFrame.
* :mod:`ember.spark.ml`: Spark ML Pipeline stages (Estimator, Classifier, Model, ClassificationModel).
* :class:`StandaloneCluster` (``ember.spark.cluster``): a local standalone cluster with authentication
  on, for tests and examples (``scripts/spark-cluster``); :func:`session` gives a script its SparkSession
  (spark-submit's, or ``local[2]``).

Importing ``ember`` never imports pyspark; this package imports it only inside the functions that need it.

Example::

    import ember
    from ember import optim
    model = ember.io.load_model("lenet5.ember")
    scored = model.predict_class(df, features_col="pixels", feature_shape=(1, 28, 28))   # + 'prediction'
    [top1] = model.evaluate(df, [optim.Top1Accuracy()], features_col="pixels", label_col="label",
                            feature_shape=(1, 28, 28))
"""

__all__ = [
    "predict", "predict_class", "evaluate", "check_columns", "to_numpy", "schema_hash", "map_in_arrow",
    "StandaloneCluster", "SparkClusterError", "is_dataframe", "Optimizer", "TrainingError", "read_images",
    "image_classes", "session",
]

_LAZY = {
    "predict": "inference", "predict_class": "inference", "evaluate": "inference",
    "check_columns": "_arrow", "to_numpy": "_arrow", "schema_hash": "_arrow",
    "map_in_arrow": "_compat", "is_dataframe": "_compat",
    "StandaloneCluster": "cluster", "SparkClusterError": "cluster", "session": "cluster",
    "Optimizer": "optimizer", "TrainingError": "optimizer",
    "read_images": "images", "image_classes": "images",
}


def __getattr__(name):
    # Attributes load their module on first use, so `import ember.spark` costs nothing and needs neither
    # pyspark nor pyarrow until something runs.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ember.spark' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
