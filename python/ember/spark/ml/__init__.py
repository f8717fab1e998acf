"""ember.spark.ml: Ember models as Spark ML Pipeline stages (BigDL's DLEstimator/DLClassifier, made useful).

* :class:`Estimator` (features -> any output, any criterion) and :class:`Classifier` (class indices) are
  ``pyspark.ml`` Estimators with typed Params (``explainParams()`` lists them). ``fit`` trains a copy of the
  module with :class:`ember.spark.Optimizer` (synchronous data-parallel, one barrier stage), showing rank 0's
  progress on the driver, and returns a :class:`Model` / :class:`ClassificationModel`.
* A fitted model exposes ``getModule()``, ``history`` (loss per iteration) and ``validationHistory``
  (scores per validation run); with ``logDir`` the summaries land where TensorBoard reads them.
* ``Model(module, ...)`` / ``ClassificationModel(module, ...)`` wrap a pretrained module as a transformer.
* They work in ``Pipeline`` next to Spark's stages, with ``CrossValidator``/``TrainValidationSplit`` and
  Spark's evaluators, and save/load in Spark ML's layout with the module in Ember's native file format.
* :func:`read_images`: a folder tree of images (one folder per class) as a DataFrame labelled by folder;
  :func:`image_classes` gives the class names back from the label column.

Example::

    from pyspark.ml import Pipeline
    from pyspark.ml.feature import VectorAssembler, StandardScaler
    from ember import nn, optim
    from ember.spark.ml import Classifier

    net = nn.Sequential().add(nn.Linear(13, 32)).add(nn.ReLU()).add(nn.Linear(32, 3)).add(nn.LogSoftMax())
    pipeline = Pipeline(stages=[
        VectorAssembler(inputCols=feature_columns, outputCol="raw"),
        StandardScaler(inputCol="raw", outputCol="features"),
        Classifier(net, batchSize=32, maxEpoch=20, optimMethod=optim.Adam(learning_rate=0.01)),
    ])
    model = pipeline.fit(train)
    model.transform(test).select("label", "prediction", "probability")

See docs/spark-ml.md.
"""

from ..images import image_classes, read_images
from ._stages import ClassificationModel, Classifier, Estimator, Model

__all__ = ["Estimator", "Classifier", "Model", "ClassificationModel", "read_images", "image_classes"]
