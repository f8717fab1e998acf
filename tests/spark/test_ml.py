"""ember.spark.ml on the real standalone cluster: Pipeline fit/transform, persistence, CrossValidator,
evaluators, wrapped and frozen modules, history and summaries, and the driver's errors before training."""

import json

import numpy as np
import pytest

pytest.importorskip("pyspark")

import ember  # noqa: E402
from ember import io, nn, optim  # noqa: E402

FEATURES = ["f0", "f1", "f2", "f3"]


def _blobs(rng, n, classes=3):
    """Gaussian blobs in 4 dimensions, centres far apart: a small net separates them."""
    centres = rng.normal(0, 4, size=(classes, 4))
    labels = rng.integers(0, classes, size=n)
    x = centres[labels] + rng.normal(0, 1, size=(n, 4))
    return x, labels


@pytest.fixture(scope="module")
def blobs(spark):
    rng = np.random.default_rng(7)
    x, y = _blobs(rng, 240)
    rows = [(i,) + tuple(float(v) for v in xi) + (f"c{yi}",) for i, (xi, yi) in enumerate(zip(x, y))]
    # After the shuffle, rows come in the order the shuffle blocks arrive: compare results by id.
    df = spark.createDataFrame(rows, ["id"] + FEATURES + ["kind"]).repartition(2)
    return df, x, y


def _net(seed=3):
    ember.manual_seed(seed)
    return nn.Sequential().add(nn.Linear(4, 16)).add(nn.ReLU()).add(nn.Linear(16, 3)).add(nn.LogSoftMax())


def _pipeline(**params):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import StandardScaler, StringIndexer, VectorAssembler

    from ember.spark.ml import Classifier

    clf = Classifier(_net(), **{"batchSize": 24, "maxEpoch": 8, "optimMethod": optim.Adam(learning_rate=0.02),
                                **params})
    return Pipeline(stages=[StringIndexer(inputCol="kind", outputCol="label"),
                            VectorAssembler(inputCols=FEATURES, outputCol="raw"),
                            StandardScaler(inputCol="raw", outputCol="features"), clf]), clf


@pytest.fixture(scope="module")
def fitted(blobs):
    df, _, _ = blobs
    pipeline, _ = _pipeline()
    return pipeline.fit(df)


def test_pipeline_fits_and_transforms(blobs, fitted):
    from pyspark.ml.evaluation import MulticlassClassificationEvaluator
    from pyspark.ml.linalg import DenseVector, VectorUDT
    from pyspark.sql import types as T

    from ember.spark.ml import ClassificationModel

    df, _, _ = blobs
    out = fitted.transform(df)
    schema = {f.name: f.dataType for f in out.schema.fields}
    assert isinstance(schema["prediction"], T.DoubleType)
    assert isinstance(schema["probability"], VectorUDT) and isinstance(schema["rawPrediction"], VectorUDT)
    rows = out.select("label", "prediction", "probability", "rawPrediction").collect()
    assert len(rows) == 240
    for r in rows[:20]:
        p, raw = r["probability"], r["rawPrediction"]
        assert isinstance(p, DenseVector) and len(p) == 3
        assert abs(sum(p) - 1) < 1e-6
        np.testing.assert_allclose(np.exp(raw.toArray()), p.toArray(), rtol=1e-5)  # LogSoftMax output
        assert r["prediction"] == float(np.argmax(p.toArray()))
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(out)
    assert accuracy > 0.9
    model = fitted.stages[-1]
    assert isinstance(model, ClassificationModel)
    assert model.getFeatureShape() == [4] and model.numClasses == 3
    history = model.history
    assert len(history) == 8 * 10  # 8 epochs of ceil(240 / 24) iterations
    assert history[-1]["loss"] < history[0]["loss"]
    assert {"epoch", "iteration", "loss"} <= set(history[0])


def test_transform_equals_the_module_locally(blobs, fitted):
    from pyspark.ml.functions import vector_to_array

    df, _, _ = blobs
    model = fitted.stages[-1]
    scaled = fitted.transform(df).select(vector_to_array("features").alias("x"), "rawPrediction").collect()
    x = np.array([r["x"] for r in scaled], dtype=np.float32)
    expected = np.asarray(model.getModule().evaluate().predict(x))
    np.testing.assert_allclose(np.array([r["rawPrediction"].toArray() for r in scaled]), expected, rtol=1e-5,
                               atol=1e-6)


def test_fit_leaves_the_estimators_module_alone(blobs):
    df, _, _ = blobs
    pipeline, clf = _pipeline(maxEpoch=1)
    before = np.array(clf.getModule().get_parameters()[0], copy=True)
    model = pipeline.fit(df).stages[-1]
    np.testing.assert_array_equal(np.asarray(clf.getModule().get_parameters()[0]), before)
    assert not np.array_equal(np.asarray(model.getModule().get_parameters()[0]), before)


def test_pipeline_model_save_load_gives_identical_predictions(spark, blobs, fitted, tmp_path):
    from pyspark.ml import PipelineModel

    from ember.spark.ml import ClassificationModel

    df, _, _ = blobs
    path = str(tmp_path / "pipeline")
    fitted.write().save(path)
    loaded = PipelineModel.load(path)
    assert isinstance(loaded.stages[-1], ClassificationModel)
    a = fitted.transform(df).select("id", "prediction", "probability").orderBy("id").collect()
    b = loaded.transform(df).select("id", "prediction", "probability").orderBy("id").collect()
    assert [r["prediction"] for r in a] == [r["prediction"] for r in b]
    np.testing.assert_array_equal(np.array([r["probability"].toArray() for r in a]),
                                  np.array([r["probability"].toArray() for r in b]))
    # The layout: Spark ML's metadata, Ember's native model file, the history.
    stage_dir = next(p for p in (tmp_path / "pipeline" / "stages").iterdir() if "Classifier" in p.name or
                     "ClassificationModel" in p.name)
    meta = json.loads(next((stage_dir / "metadata").glob("part-*")).read_text())
    assert meta["class"] == "ember.spark.ml._stages.ClassificationModel"
    assert meta["paramMap"]["featureShape"] == [4] and meta["emberVersion"] == ember.__version__
    info = io.read_model_info(str(stage_dir / "data" / "model.ember"))
    assert info is not None
    restored = loaded.stages[-1]
    assert restored.history == fitted.stages[-1].history
    # No stray temporary file from the atomic write.
    assert sorted(p.name for p in (stage_dir / "data").iterdir()) == ["history.json", "model.ember", "params.pkl"]
    # The training Params came with the fit, the object ones pickled beside the metadata.
    assert meta["objectParams"] == ["optimMethod"] and meta["paramMap"]["maxEpoch"] == 8
    assert repr(restored.getOptimMethod()) == repr(fitted.stages[-1].getOptimMethod())
    assert io.load_model(str(stage_dir / "data" / "model.ember")) is not None


def test_save_refuses_an_existing_path_unless_overwrite(blobs, fitted, tmp_path):
    path = str(tmp_path / "model")
    model = fitted.stages[-1]
    model.write().save(path)
    with pytest.raises(Exception, match="already exists"):
        model.write().save(path)
    model.write().overwrite().save(path)
    assert type(model).load(path).getFeatureShape() == [4]


def test_unfitted_estimator_saves_its_objects(tmp_path):
    from ember.spark.ml import Classifier

    clf = Classifier(_net(), criterion=nn.ClassNLLCriterion(), optimMethod=optim.Adam(learning_rate=0.03),
                     endWhen=optim.max_iteration(7), batchSize=12, featureShape=[4])
    path = str(tmp_path / "clf")
    clf.save(path)
    back = Classifier.load(path)
    assert back.uid == clf.uid
    assert back.getBatchSize() == 12 and back.getFeatureShape() == [4]
    assert repr(back.getOptimMethod()) == repr(clf.getOptimMethod())
    assert repr(back.getEndWhen()) == "max_iteration(7)"
    np.testing.assert_array_equal(np.asarray(back.getModule().get_parameters()[0]),
                                  np.asarray(clf.getModule().get_parameters()[0]))
    with pytest.raises(TypeError, match="holds a ember.spark.ml._stages.Classifier"):
        __import__("ember.spark.ml", fromlist=["Model"]).Model.load(path)
    # Inside an unfitted Pipeline, next to Spark's own stages.
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import VectorAssembler
    pipeline = Pipeline(stages=[VectorAssembler(inputCols=FEATURES, outputCol="features"), clf])
    pipeline.write().save(str(tmp_path / "pipeline"))
    stages = Pipeline.load(str(tmp_path / "pipeline")).getStages()
    assert [type(s).__name__ for s in stages] == ["VectorAssembler", "Classifier"]
    assert stages[1].uid == clf.uid and repr(stages[1].getEndWhen()) == "max_iteration(7)"


def test_cross_validator_picks_a_model(spark, blobs):
    from pyspark.ml.evaluation import MulticlassClassificationEvaluator
    from pyspark.ml.tuning import CrossValidator, ParamGridBuilder

    df, _, _ = blobs
    pipeline, clf = _pipeline(maxEpoch=3, optimMethod=optim.SGD(learning_rate=0.1))
    grid = ParamGridBuilder().addGrid(clf.learningRate, [1e-5, 0.2]).build()
    cv = CrossValidator(estimator=pipeline, estimatorParamMaps=grid, numFolds=2, parallelism=2,
                        evaluator=MulticlassClassificationEvaluator(metricName="accuracy"))
    model = cv.fit(df)
    assert len(model.avgMetrics) == 2
    assert model.avgMetrics[1] > model.avgMetrics[0]  # a learning rate of 1e-5 barely moves in 3 epochs
    best = model.bestModel.stages[-1]
    assert best.getLearningRate() == 0.2 and best.getMaxEpoch() == 3


def test_fit_multiple_returns_every_index(blobs):
    df, _, _ = blobs
    pipeline, clf = _pipeline(maxEpoch=1)
    prepared = pipeline.getStages()[:-1]
    from pyspark.ml import Pipeline
    data = Pipeline(stages=prepared).fit(df).transform(df)
    maps = [{clf.learningRate: 0.01}, {clf.learningRate: 0.1}, {clf.batchSize: 40}]
    got = dict(clf.fitMultiple(data, maps))
    assert sorted(got) == [0, 1, 2]
    assert got[2].getBatchSize() == 40 and len(got[2].history) == 6  # ceil(240 / 40) iterations


def test_regression_with_train_validation_split_and_regression_evaluator(spark):
    from pyspark.ml.evaluation import RegressionEvaluator
    from pyspark.ml.tuning import ParamGridBuilder, TrainValidationSplit
    from pyspark.sql import types as T

    from ember.spark.ml import Estimator, Model

    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 3))
    y = x @ np.array([1.5, -2.0, 0.5]) + 0.3
    df = spark.createDataFrame([(xi.tolist(), float(yi)) for xi, yi in zip(x, y)], ["features", "label"])
    ember.manual_seed(1)
    est = Estimator(nn.Sequential().add(nn.Linear(3, 1)), nn.MSECriterion(), batchSize=20, maxEpoch=30,
                    optimMethod=optim.SGD(learning_rate=0.1))
    evaluator = RegressionEvaluator(metricName="rmse")
    grid = ParamGridBuilder().addGrid(est.learningRate, [1e-4, 0.1]).build()
    tvs = TrainValidationSplit(estimator=est, estimatorParamMaps=grid, evaluator=evaluator, trainRatio=0.75, seed=2)
    fitted = tvs.fit(df)
    assert fitted.validationMetrics[1] < fitted.validationMetrics[0]  # rmse: the larger rate wins
    model = fitted.bestModel
    assert isinstance(model, Model) and model.getLearningRate() == 0.1
    out = model.transform(df)
    assert isinstance(out.schema["prediction"].dataType, T.DoubleType)  # one output per row: a double
    assert evaluator.evaluate(out) < 0.05


def test_array_labels_train_a_model_with_several_outputs(spark):
    """An array<double> label column: two regression targets per row, a model with two outputs."""
    from pyspark.sql import types as T

    from ember.spark.ml import Estimator

    rng = np.random.default_rng(5)
    x = rng.normal(size=(160, 3))
    w = np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.0]])
    y = x @ w
    df = spark.createDataFrame([(xi.tolist(), yi.tolist()) for xi, yi in zip(x, y)], ["features", "targets"])
    ember.manual_seed(2)
    est = Estimator(nn.Sequential().add(nn.Linear(3, 2)), nn.MSECriterion(), labelCol="targets", batchSize=16,
                    maxEpoch=25, optimMethod=optim.SGD(learning_rate=0.1))
    model = est.fit(df)
    out = model.transform(df)
    assert isinstance(out.schema["prediction"].dataType, T.ArrayType)
    got = np.array([r.prediction for r in out.select("prediction").collect()])
    want = np.array([r.targets for r in out.select("targets").collect()])
    assert np.sqrt(np.mean((got - want) ** 2)) < 0.05
    np.testing.assert_allclose(np.asarray(model.getModule().get_parameters()[0])[:6].reshape(2, 3), w.T, atol=0.05)
    with pytest.raises(TypeError, match=r"label column 'targets' is an array, but ClassNLLCriterion takes class "
                                        r"indices: expected a numeric column"):
        Estimator(nn.Sequential().add(nn.Linear(3, 2)).add(nn.LogSoftMax()), nn.ClassNLLCriterion(),
                  labelCol="targets").fit(df)


def test_wrapped_pretrained_module_predicts_like_the_module(spark, rng):
    from ember.spark.ml import ClassificationModel, Model

    net = _net(5)
    x = rng.normal(size=(30, 4)).astype(np.float32)
    df = spark.createDataFrame([(r.tolist(),) for r in x], ["features"])
    expected = np.asarray(net.evaluate().predict(x))
    got = Model(net).transform(df).select("prediction").collect()
    np.testing.assert_allclose(np.array([r[0] for r in got]), expected, rtol=1e-5, atol=1e-6)
    classes = ClassificationModel(net, probabilityCol="", rawPredictionCol="").transform(df)
    assert classes.columns == ["features", "prediction"]
    assert [r[0] for r in classes.select("prediction").collect()] == expected.argmax(axis=1).astype(float).tolist()


def test_transfer_learning_freezes_layers(blobs):
    from pyspark.ml import Pipeline

    df, _, _ = blobs
    pipeline, _ = _pipeline()
    prep = Pipeline(stages=pipeline.getStages()[:-1]).fit(df)
    data = prep.transform(df)
    from ember.spark.ml import Classifier
    net = _net(9)
    net.freeze(["0"])
    before = [np.array(np.asarray(p), copy=True) for p in net.parameters()]
    model = Classifier(net, batchSize=24, maxEpoch=2, optimMethod=optim.Adam(learning_rate=0.02)).fit(data)
    after = [np.asarray(p) for p in model.getModule().parameters()]
    np.testing.assert_array_equal(after[0], before[0])  # the frozen layer
    np.testing.assert_array_equal(after[1], before[1])
    assert not np.array_equal(after[2], before[2])  # the trained head


def test_validation_history_and_summaries(blobs, tmp_path):
    from pyspark.sql import functions as F

    df, _, _ = blobs
    data = df.withColumn("isVal", F.rand(seed=1) < 0.25)
    pipeline, clf = _pipeline(maxEpoch=3, validationIndicatorCol="isVal", logDir=str(tmp_path / "tb"), appName="cls")
    model = pipeline.fit(data).stages[-1]
    hist = model.validationHistory
    assert [h["epoch"] for h in hist] == [1, 2, 3]
    assert {"Top1Accuracy", "Loss"} <= set(hist[-1])
    assert 0 <= hist[-1]["Top1Accuracy"] <= 1
    files = [p for p in (tmp_path / "tb" / "cls").rglob("*") if p.is_file()]
    dirs = {p.parent.name for p in files}
    assert {"train", "validation"} <= dirs


# ---- errors on the driver, before training --------------------------------------------------------------

@pytest.fixture(scope="module")
def arrays(spark):
    rows = [([float(i), 1.0, 2.0, 3.0], float(i % 3)) for i in range(12)]
    return spark.createDataFrame(rows, ["features", "label"])


def _clf(**params):
    from ember.spark.ml import Classifier
    return Classifier(_net(), **{"batchSize": 4, "maxEpoch": 1, **params})


def test_error_missing_column(arrays):
    with pytest.raises(ValueError, match=r"features column 'pixels' not found; the DataFrame has columns: "
                                         r"\['features', 'label'\]"):
        _clf(featuresCol="pixels").fit(arrays)


def test_error_wrong_feature_type(spark):
    df = spark.createDataFrame([("a", 1.0)], ["features", "label"])
    with pytest.raises(TypeError, match="features column 'features' has type string, expected"):
        _clf().fit(df)


def test_error_wrong_label_type(spark):
    df = spark.createDataFrame([([1.0, 2.0, 3.0, 4.0], "cat")], ["features", "label"])
    with pytest.raises(TypeError, match="label column 'label' has type string, expected a numeric column"):
        _clf().fit(df)


def test_error_feature_length_against_feature_shape(arrays):
    with pytest.raises(ValueError, match=r"features column 'features' \(array\) holds 4 values per training row, "
                                         r"expected 6 \(featureShape \[2, 3\]\)"):
        _clf(featureShape=[2, 3]).fit(arrays)


def test_error_ragged_rows(spark):
    df = spark.createDataFrame([([1.0, 2.0, 3.0, 4.0], 0.0), ([1.0, 2.0, 3.0], 1.0)], ["features", "label"])
    with pytest.raises(ValueError, match="holds 3 to 4 values per training row, expected the same length"):
        _clf().fit(df)


def test_error_nulls(spark):
    from pyspark.sql import types as T
    schema = T.StructType([T.StructField("features", T.ArrayType(T.DoubleType())),
                           T.StructField("label", T.DoubleType())])
    df = spark.createDataFrame([([1.0, 2.0, 3.0, 4.0], 0.0), (None, 1.0), ([1.0, 2.0, 3.0, 4.0], None)], schema)
    with pytest.raises(ValueError, match=r"features column 'features' is null in 1 of 3 training rows"):
        _clf().fit(df)
    with pytest.raises(ValueError, match=r"label column 'label' is null in 1 of 2 training rows"):
        _clf().fit(df.na.drop(subset=["features"]))


def test_error_label_outside_the_classes(spark):
    df = spark.createDataFrame([([1.0, 2.0, 3.0, 4.0], float(i)) for i in range(5)], ["features", "label"])
    with pytest.raises(ValueError, match=r"class indices 0 to 4 in the training data, but the module outputs 3 "
                                         r"classes: expected 0 to 2"):
        _clf().fit(df)


def test_error_fractional_label(spark):
    df = spark.createDataFrame([([1.0, 2.0, 3.0, 4.0], 0.5)], ["features", "label"])
    with pytest.raises(ValueError, match="holds 1 non-integer values in the training data: expected class indices"):
        _clf().fit(df)


def test_error_module_does_not_take_the_features(spark):
    df = spark.createDataFrame([([1.0, 2.0, 3.0], 0.0)], ["features", "label"])
    with pytest.raises(ValueError, match=r"the module does not take features of shape \[3\]"):
        _clf().fit(df)


def test_error_bad_param_values():
    from ember.spark.ml import Classifier
    with pytest.raises(TypeError, match="param batchSize: expected a positive int, got 0"):
        Classifier(_net(), batchSize=0)
    with pytest.raises(TypeError, match="param optimMethod: expected an ember.optim.OptimMethod, got str"):
        Classifier(_net()).setOptimMethod("adam")
    with pytest.raises(TypeError, match=r"unknown params \['batchsize'\]"):
        Classifier(_net(), batchsize=3)


def test_model_refuses_an_existing_output_column(spark):
    from ember.spark.ml import ClassificationModel
    df = spark.createDataFrame([([1.0, 2.0, 3.0, 4.0], 1.0)], ["features", "prediction"])
    with pytest.raises(ValueError, match="output column 'prediction' already exists"):
        ClassificationModel(_net(), featureShape=[4]).transform(df)

