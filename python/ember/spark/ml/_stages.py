"""ember.spark.ml's Estimator, Classifier, Model and ClassificationModel (see the package docstring)."""

__all__ = ["Estimator", "Classifier", "Model", "ClassificationModel"]

import re
import threading

from pyspark.ml import Estimator as _SparkEstimator
from pyspark.ml import Model as _SparkModel
from pyspark.ml.base import _FitMultipleIterator
from pyspark.ml.util import MLReadable, MLWritable

from ._params import ClassificationModelParams, EstimatorParams, ModelParams, set_defaults
from ._persist import StageReader, StageWriter

# Criteria that take class indices (int64 labels); every other criterion gets labels in the model's dtype.
_CLASS_INDEX_CRITERIA = ("ClassNLLCriterion", "CrossEntropyCriterion", "MultiMarginCriterion")


def _where(obj, method=""):
    return f"ember.spark.ml.{type(obj).__name__}{'.' + method if method else ''}"


class _Stage(MLWritable, MLReadable):
    """What every ember.spark.ml stage has: an Ember module, and save/load in Spark ML's layout."""

    _module = None

    def _init_stage(self, module, params):
        from ember import nn

        set_defaults(self)
        if module is not None and not isinstance(module, nn.Module):
            raise TypeError(f"[{_where(self)}] module: expected an ember.nn.Module, got {type(module).__name__}")
        self._module = module
        unknown = sorted(k for k in params if not self.hasParam(k))
        if unknown:
            names = sorted(p.name for p in self.params)
            raise TypeError(f"[{_where(self)}] unknown params {unknown}; the params are: {names}")
        try:
            self._set(**params)
        except TypeError as e:
            raise TypeError(f"[{_where(self)}] {e}") from None

    def getModule(self):
        """The Ember module (a fitted model's trained module; an estimator's initial one)."""
        return self._module

    def write(self):
        """A writer: ``stage.write().overwrite().save(path)``; see ember.spark.ml._persist for the layout."""
        return StageWriter(self)

    @classmethod
    def read(cls):
        return StageReader(cls)

    def _set(self, **kwargs):
        for name, value in kwargs.items():
            try:
                super()._set(**{name: value})
            except TypeError as e:
                why = re.sub(r'^Invalid param value given for param "\w+"\. ', "", str(e))
                raise TypeError(f"[{_where(self)}] param {name}: {why}") from None
        return self


# ---- models ----------------------------------------------------------------------------------------------

class Model(_Stage, _SparkModel, ModelParams, EstimatorParams):
    """An Ember module as a Spark ML transformer: ``transform(df)`` adds ``predictionCol``, the module's output
    for each row's features (a double when the module gives one value per row, else array<double>).

    A fitted model carries the estimator's Params as they were for its fit (as Spark's models do), so
    ``cvModel.bestModel.getLearningRate()`` says which learning rate won.

    Made by :class:`Estimator`.fit, or around a pretrained module for inference or transfer learning:
    ``Model(module, featuresCol="features", featureShape=[1, 28, 28])``. The module travels to each executor
    once (a broadcast of its native model file) and runs in evaluation mode in batches of ``batchSize``.
    """

    def __init__(self, module=None, **params):
        super().__init__()
        self._history, self._validation_history = [], []
        self._init_stage(module, params)

    @property
    def history(self):
        """Training history, one dict per iteration: epoch, iteration, loss, throughput, learning_rate."""
        return list(self._history)

    @property
    def validationHistory(self):  # noqa: N802 (Spark ML's names)
        """One dict per validation run: epoch, iteration, and each method's score by name."""
        return list(self._validation_history)

    def _history_json(self):
        return {"history": self._history, "validation": self._validation_history} if self._history else None

    def _load_history_json(self, h):
        self._history, self._validation_history = h["history"], h["validation"]

    def _outputs(self, width):
        """[(column, kind)] this model appends: kind 'scalar', 'array', 'vector', 'probability', 'class'."""
        return [(self.getPredictionCol(), "scalar" if width == 1 else "array")]

    def _transform(self, dataset):
        from . import _transform
        if self._module is None:
            raise ValueError(f"[{_where(self, 'transform')}] no module: make the model with Model(module, ...) or "
                             "Estimator.fit")
        return _transform.transform(self, dataset)


class ClassificationModel(Model, ClassificationModelParams):
    """A classifier's fitted model: ``transform(df)`` adds ``predictionCol`` (double: the class index, counted
    from 0 like Spark ML's labels), ``probabilityCol`` (an ML Vector: softmax of the output, or the output
    itself when the module ends in SoftMax) and ``rawPredictionCol`` (an ML Vector: the module's output).
    Set probabilityCol or rawPredictionCol to '' to leave that column out."""

    def _outputs(self, width):
        out = []
        if self.getRawPredictionCol():
            out.append((self.getRawPredictionCol(), "vector"))
        if self.getProbabilityCol():
            out.append((self.getProbabilityCol(), "probability"))
        out.append((self.getPredictionCol(), "class"))
        return out

    @property
    def numClasses(self):  # noqa: N802
        """The width of the module's output."""
        from . import _transform
        return _transform.output_width(self._module, self.getFeatureShape(), _where(self))


# ---- estimators ------------------------------------------------------------------------------------------

class Estimator(_Stage, _SparkEstimator, ModelParams, EstimatorParams):
    """Trains an Ember module on a DataFrame with ember.spark.Optimizer (synchronous data-parallel, one
    barrier stage) and returns a :class:`Model`. The module given is never changed: each fit trains a copy.

    ``Estimator(module, criterion, **params)``; every Param has getX/setX; see ``explainParams()``.
    Before any training starts, the driver checks the columns, their types, the feature lengths against
    featureShape, nulls and the labels, and raises an error naming the column, the expected and the found.
    """

    _model_class = Model

    def __init__(self, module=None, criterion=None, **params):
        super().__init__()
        self._validation = None  # (DataFrame, batch size) from setValidation
        if criterion is not None:
            params["criterion"] = criterion
        self._init_stage(module, params)

    def setValidation(self, trigger, df, methods=None, batchSize=0):  # noqa: N802, N803 (BigDL's names)
        """Validates on ``df`` (a DataFrame with the training columns) when ``trigger`` fires, with ``methods``
        (names like 'top1', 'loss'). Not saved with the estimator; validationIndicatorCol is the Pipeline-friendly
        way. Returns self."""
        from .._compat import is_dataframe
        if not is_dataframe(df):
            raise TypeError(f"[{_where(self, 'setValidation')}] df: expected a DataFrame, got {type(df).__name__}")
        self._set(validationTrigger=trigger)
        if methods is not None:
            self._set(validationMethods=methods)
        self._validation = (df, int(batchSize))
        return self

    def setTrainSummary(self, summary):  # noqa: N802
        """BigDL's: takes an ember.summary.TrainSummary's log directory and app name. Returns self."""
        return self._set(logDir=str(summary.log_dir), appName=summary.app_name)

    setValidationSummary = setTrainSummary

    def _default_criterion(self):
        raise ValueError(f"[{_where(self)}] criterion is not set: Estimator(module, criterion) or setCriterion()")

    def _default_methods(self):
        return ["loss"]

    def _fit(self, dataset):
        from . import _fit
        return _fit.fit(self, dataset)

    def fitMultiple(self, dataset, paramMaps):  # noqa: N802, N803 (Spark's names)
        """Fits one model per param map (CrossValidator, TrainValidationSplit). The fits run one after another
        even when the caller asks for parallelism: each is a barrier stage that takes every slot of the
        cluster. The data is persisted once for all of them (cachingSample)."""
        estimator = self.copy()
        lock = threading.Lock()
        state = {"left": len(paramMaps), "cached": None}

        def fit_one(index):
            with lock:
                if state["cached"] is None:
                    state["cached"] = dataset.persist() if estimator.getCachingSample() else dataset
                try:
                    return estimator.copy(paramMaps[index])._fit(state["cached"])
                finally:
                    state["left"] -= 1
                    if state["left"] == 0 and state["cached"] is not dataset:
                        state["cached"].unpersist()
        return _FitMultipleIterator(fit_one, len(paramMaps))


class Classifier(Estimator, ClassificationModelParams):
    """An :class:`Estimator` for classification: labels are class indices (0, 1, ...: a StringIndexer's output
    works as it is) and the fitted :class:`ClassificationModel` adds prediction, probability and raw prediction
    columns, so Spark's MulticlassClassificationEvaluator and BinaryClassificationEvaluator read it.

    The criterion defaults to ClassNLLCriterion when the module ends in LogSoftMax, else CrossEntropyCriterion;
    validation methods default to ['top1', 'loss'].

    Example::

        clf = Classifier(models.lenet5(), featureShape=[1, 28, 28], batchSize=128, maxEpoch=2,
                         optimMethod=optim.Adam(learning_rate=1e-3))
        model = clf.fit(train_df)
        model.transform(test_df).select("prediction", "label")
    """

    _model_class = ClassificationModel

    def _default_criterion(self):
        from ember import nn
        last = _last_layer(self._module)
        return nn.ClassNLLCriterion() if last == "LogSoftMax" else nn.CrossEntropyCriterion()

    def _default_methods(self):
        return ["top1", "loss"]


def _last_layer(module):
    """The type name of the module's last layer (a Sequential's last child, recursively), else its own."""
    while type(module).__name__ == "Sequential" and len(module):
        module = module[len(module) - 1]
    return type(module).__name__

