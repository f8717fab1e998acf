"""The typed Params of ember.spark.ml's estimators and models, declared once in tables.

Every Param has a type converter, so a wrong value fails when it is set (``setBatchSize("big")``) with a
message naming the Param, not when training starts. Params whose values are Ember objects (optimMethod,
criterion, endWhen, validationTrigger, featureTransform, trainTransform) are *object Params*: they are saved with
the stage in ``data/params.pkl``; every other value goes into the Spark ML metadata JSON.
"""

from pyspark.ml.param import Param, Params, TypeConverters

__all__ = ["EstimatorParams", "ModelParams", "ClassificationModelParams", "OBJECT_PARAMS", "set_defaults"]


def _to_columns(value):
    """A column name, or a list of numeric column names (assembled side by side)."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(c, str) and c for c in value):
        return list(value)
    raise TypeError(f"expected a column name or a list of column names, got {value!r}")


def _to_optional_column(value):
    if value is None or (isinstance(value, str)):
        return value
    raise TypeError(f"expected a column name (or '' to leave the column out), got {value!r}")


def _to_shape(value):
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    try:
        shape = [int(d) for d in value]
        ok = all(float(d) == int(d) for d in value) and all(d > 0 for d in shape)
    except (TypeError, ValueError):
        ok = False
    if not ok or not shape:
        raise TypeError(f"expected a list of positive ints like [1, 28, 28], got {value!r}")
    return shape


def _positive_int(value):
    v = TypeConverters.toInt(value)
    if v < 1:
        raise TypeError(f"expected a positive int, got {value!r}")
    return v


def _non_negative_int(value):
    v = TypeConverters.toInt(value)
    if v < 0:
        raise TypeError(f"expected an int >= 0, got {value!r}")
    return v


def _positive_float(value):
    v = TypeConverters.toFloat(value)
    if not v > 0:
        raise TypeError(f"expected a number > 0, got {value!r}")
    return v


def _instance_of(kind, what):
    def convert(value):
        import ember  # noqa: F401 (binds the classes below)
        from ember import data, nn, optim

        cls = {"OptimMethod": optim.OptimMethod, "Trigger": optim.Trigger, "Criterion": nn.Criterion,
               "Transformer": data.Transformer}[kind]
        if value is None or isinstance(value, cls):
            return value
        raise TypeError(f"expected {what}, got {type(value).__name__}")
    return convert


def _validation_methods(value):
    from ember import optim

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise TypeError(f"expected a list of validation method names like ['top1', 'loss'], got {value!r}")
    for v in value:
        if not isinstance(v, str):
            raise TypeError(f"expected validation method names (strings like 'top1', 'top5', 'loss', 'mae'), got "
                            f"{type(v).__name__}")
        if v.lower() != "loss":
            optim.make_validation_method(v)  # an unknown name fails now
    return list(value)


def _optional_str(value):
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {type(value).__name__}")


# (name, doc, converter, default). A default of None means "not set".
_COMMON = [
    ("featuresCol", "features column: array<float|double>, an ML Vector, image bytes (JPEG/PNG) or an image "
     "struct (spark.read.format('image')), or a list of numeric columns", _to_columns, "features"),
    ("predictionCol", "prediction column name", TypeConverters.toString, "prediction"),
    ("featureShape", "the shape of one row's features as the model takes it, e.g. [1, 28, 28]; default: "
     "found from the data (the row's length, the decoded image's [C, H, W])", _to_shape, None),
    ("batchSize", "rows per batch (training: the global batch over all ranks)", _positive_int, 32),
    ("featureTransform", "an ember.data.Transformer applied to every row's features on the executors, in fit and in "
     "transform (images: after decoding to uint8 [H, W, C]; e.g. Resize(32, 32) >> ToTensor() >> Normalize())",
     _instance_of("Transformer", "an ember.data.Transformer"), None),
]

_TRAINING = [
    ("labelCol", "label column: numeric (a class index for classifiers) or an array of numbers",
     TypeConverters.toString, "label"),
    ("maxEpoch", "epochs to train when endWhen is not set", _positive_int, 10),
    ("endWhen", "an ember.optim.Trigger that ends training (overrides maxEpoch), e.g. max_iteration(500)",
     _instance_of("Trigger", "an ember.optim.Trigger"), None),
    ("learningRate", "the optim method's learning rate (overrides the one optimMethod was made with when set)",
     _positive_float, 1e-3),
    ("optimMethod", "an ember.optim.OptimMethod with its options (default SGD with learningRate)",
     _instance_of("OptimMethod", "an ember.optim.OptimMethod"), None),
    ("criterion", "an ember.nn.Criterion (the loss)", _instance_of("Criterion", "an ember.nn.Criterion"), None),
    ("trainTransform", "an ember.data.Transformer applied to each training sample every epoch (random "
     "augmentation: RandomCrop, RandomHorizontalFlip, ...), after featureTransform",
     _instance_of("Transformer", "an ember.data.Transformer"), None),
    ("checkpointPath", "a directory every executor can reach; checkpoints every epoch, and a failed job resumes "
     "from the latest", _optional_str, None),
    ("validationIndicatorCol", "a boolean column: rows where it is true are validation data, not training "
     "data (Spark ML's convention)", _optional_str, None),
    ("validationMethods", "validation method names: 'top1', 'top5', 'loss', 'mae'", _validation_methods, None),
    ("validationTrigger", "an ember.optim.Trigger for validation (default every_epoch())",
     _instance_of("Trigger", "an ember.optim.Trigger"), None),
    ("logDir", "where TensorBoard summaries go: logDir/appName/train and logDir/appName/validation",
     _optional_str, None),
    ("appName", "the summaries' application name under logDir", TypeConverters.toString, "ember"),
    ("cachingSample", "persist the prepared training data while fitting (the pre-flight check, retries and "
     "CrossValidator folds then read it once)", TypeConverters.toBoolean, True),
    ("numWorkers", "training ranks (barrier tasks); default: the cluster's default parallelism",
     _positive_int, None),
    ("seed", "the seed of the shuffling and of random transforms", TypeConverters.toInt, 1),
    ("logEvery", "the driver shows a progress line every N iterations (0: once per epoch and validation)",
     _non_negative_int, 0),
    ("maxRetries", "times a failed training job is re-run (from the latest checkpoint)", _non_negative_int, 2),
]

_CLASSIFICATION = [
    ("probabilityCol", "class probabilities column (an ML Vector); '' leaves it out", _to_optional_column,
     "probability"),
    ("rawPredictionCol", "the model's raw output column (an ML Vector); '' leaves it out", _to_optional_column,
     "rawPrediction"),
]

OBJECT_PARAMS = {"endWhen", "optimMethod", "criterion", "trainTransform", "validationTrigger", "featureTransform"}


def _declare(cls_name, table):
    """A Params mixin with one Param per row, its default, and getX/setX methods."""
    attrs = {"_ember_params": [row[0] for row in table], "__module__": __name__}
    for name, doc, converter, _ in table:
        attrs[name] = Param(Params._dummy(), name, doc, typeConverter=converter)
        cap = name[0].upper() + name[1:]
        attrs["get" + cap] = (lambda n: lambda self: self.getOrDefault(n) if self.isDefined(n) else None)(name)
        attrs["get" + cap].__doc__ = f"Gets {name} (None when unset): {doc}."

        def setter(n):
            def set_param(self, value):
                return self._set(**{n: value})
            set_param.__doc__ = f"Sets {n}: {doc}. Returns self."
            return set_param
        attrs["set" + cap] = setter(name)
    attrs["_ember_defaults"] = {name: default for name, _, _, default in table if default is not None}
    return type(cls_name, (Params,), attrs)


def set_defaults(instance):
    """Sets the defaults of every Params table the instance's class mixes in."""
    for cls in type(instance).__mro__:
        defaults = cls.__dict__.get("_ember_defaults")
        if defaults:
            instance._setDefault(**defaults)


ModelParams = _declare("ModelParams", _COMMON)
EstimatorParams = _declare("EstimatorParams", _TRAINING)
# A Classifier declares the output columns of the model it makes, as Spark's classifiers do.
ClassificationModelParams = _declare("ClassificationModelParams", _CLASSIFICATION)
