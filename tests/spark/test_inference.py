"""Distributed predict / predict_class / evaluate on DataFrames equal the local results; the model is loaded
once per Python worker; Module methods dispatch on DataFrames."""

import numpy as np
import pytest

import ember
from ember import nn, optim

pytest.importorskip("pyarrow")
from ember.spark import evaluate, inference, predict, predict_class  # noqa: E402

N, D, C = 40, 6, 4


@pytest.fixture(scope="module")
def model():
    ember.manual_seed(7)
    m = nn.Sequential(nn.Linear(D, 8), nn.Tanh(), nn.Linear(8, C), nn.LogSoftMax())
    return m.to(ember.float64)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    return rng.standard_normal((N, D)), rng.integers(0, C, N)


@pytest.fixture(scope="module")
def df(spark, data):
    x, y = data
    rows = [(i, [float(v) for v in x[i]], int(y[i])) for i in range(N)]
    return spark.createDataFrame(rows, "id long, features array<double>, label long").repartition(3)


def by_id(rows):
    return sorted(rows, key=lambda r: r["id"])


def test_predict_equals_local(model, data, df):
    x, _ = data
    out = predict(model, df, batch_size=7)
    assert out.columns == ["id", "features", "label", "prediction"]
    assert out.schema["prediction"].dataType.simpleString() == "array<double>"
    got = np.array([r["prediction"] for r in by_id(out.collect())])
    np.testing.assert_allclose(got, model.predict(x), rtol=1e-12, atol=1e-14)


def test_predict_float32_model_and_feature_shape(spark, data):
    x, _ = data
    m = nn.Sequential(nn.Reshape([D]), nn.Linear(D, 3))
    df = spark.createDataFrame([(i, [float(v) for v in x[i]]) for i in range(N)], "id long, pixels array<float>")
    out = m.predict(df, features_col="pixels", feature_shape=(2, 3), output_col="scores")
    assert out.schema["scores"].dataType.simpleString() == "array<float>"
    got = np.array([r["scores"] for r in by_id(out.collect())], dtype=np.float32)
    np.testing.assert_allclose(got, m.predict(x.astype(np.float32).reshape(N, 2, 3)), rtol=1e-5, atol=1e-6)


def test_predict_class_equals_local_and_counts_from_zero(model, data, df):
    x, _ = data
    out = predict_class(model, df)
    assert out.schema["prediction"].dataType.simpleString() == "bigint"
    got = [r["prediction"] for r in by_id(out.collect())]
    assert got == model.predict_class(x).tolist()
    assert min(got) >= 0 and max(got) < C


def test_evaluate_equals_local(model, data, df):
    x, y = data
    methods = [optim.Top1Accuracy(), optim.TopKAccuracy(2), optim.Loss(nn.ClassNLLCriterion()), "top5"]
    local = optim.evaluate(model, x, y, methods, batch_size=8)
    dist = evaluate(model, df, methods, batch_size=8)
    assert [r.name for r in dist] == [r.name for r in local]
    for d, l in zip(dist, local):
        assert d.count == l.count == N
        assert d.total == pytest.approx(l.total, rel=1e-12)
    # Accuracies are exact counts: the same text as the local evaluate.
    assert [repr(r) for r in dist[:2]] + [repr(dist[3])] == [repr(r) for r in local[:2]] + [repr(local[3])]


def test_module_methods_dispatch_on_dataframes(model, data, df):
    x, y = data
    assert model.predict_class(df, output_col="cls").columns[-1] == "cls"
    got = np.array([r["prediction"] for r in by_id(model.predict(df).collect())])
    np.testing.assert_allclose(got, model.predict(x), rtol=1e-12, atol=1e-14)
    [top1] = model.evaluate(df, [optim.Top1Accuracy()])
    assert repr(top1) == repr(optim.evaluate(model, x, y, [optim.Top1Accuracy()])[0])
    # BigDL's order: evaluate(data, batch_size, methods)
    [top1_bigdl] = model.evaluate(df, 16, [optim.Top1Accuracy()])
    assert top1_bigdl == top1
    # and the local forms still work
    assert model.evaluate() is model
    assert model.predict_class(x).shape == (N,)


def test_model_is_loaded_once_per_python_worker(model, df):
    import json

    import pyarrow as pa
    from pyspark.sql import types as T

    from ember.spark import map_in_arrow

    out = predict_class(model, df.repartition(6))
    out.collect()
    out.collect()  # 12 tasks on 2 executors of 1 core, each with its one reused Python worker

    def loads(batches):
        import os

        for _ in batches:
            pass
        yield pa.RecordBatch.from_pydict({"pid": [os.getpid()], "loads": [json.dumps(inference._LOADS)]})

    schema = T.StructType([T.StructField("pid", T.LongType()), T.StructField("loads", T.StringType())])
    reports = {r["pid"]: {int(k): v for k, v in json.loads(r["loads"]).items()}
               for r in map_in_arrow(df.repartition(2), loads, schema).collect()}
    latest = max(k for counts in reports.values() for k in counts)  # this test's broadcast (ids only grow)
    # Every worker loaded every model once, however many tasks it ran ...
    assert all(v == 1 for counts in reports.values() for v in counts.values()), reports
    # ... so this model was loaded at most once per executor, not once per task.
    assert 1 <= sum(counts.get(latest, 0) for counts in reports.values()) <= 2


def test_errors_before_any_job(model, df, spark):
    with pytest.raises(ValueError, match=r"\[spark.predict\] features column 'pixels' not found"):
        predict(model, df, features_col="pixels")
    with pytest.raises(ValueError, match=r"\[spark.predict_class\] output column 'label' already exists"):
        predict_class(model, df, output_col="label")
    with pytest.raises(ValueError, match=r"\[spark.evaluate\] batch_size: expected a positive int, got 0"):
        evaluate(model, df, batch_size=0)
    with pytest.raises(TypeError, match=r"\[spark.evaluate\] validation methods: expected ember.optim.ValidationMethod"):
        evaluate(model, df, [42])

    class Double(nn.Module):
        def update_output(self, x):
            return 2 * x

    with pytest.raises(TypeError, match=r"\[spark.predict\] the model cannot be sent to the executors: .*py.Double"):
        predict(nn.Sequential(Double()), df)


def test_task_errors_reach_evaluate_with_their_type(model, spark):
    df = spark.createDataFrame([(0, [1.0] * D, 0), (1, [1.0] * (D - 1), 1)], "id long, features array<double>, "
                               "label long").coalesce(1)
    with pytest.raises(ValueError, match=rf"\[spark\] column 'features' row 1 has {D - 1} values, expected {D}"):
        evaluate(model, df, feature_shape=(D,))


def test_evaluate_on_an_empty_dataframe_counts_nothing(model, df):
    [top1, loss] = evaluate(model, df.limit(0), [optim.Top1Accuracy(), optim.Loss(nn.ClassNLLCriterion())])
    assert (top1.name, top1.count, loss.name, loss.count) == ("Top1Accuracy", 0, "Loss", 0)


def test_importing_ember_and_ember_spark_does_not_import_pyspark_or_pyarrow():
    import subprocess
    import sys

    code = ("import sys, ember, ember.spark, numpy as np; from ember import nn; "
            "nn.Linear(2, 1).predict(np.ones((1, 2), np.float32)); "
            "print(sorted(m for m in ('pyspark', 'pyarrow', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_predict_on_ml_vectors_keeps_every_input_column(spark):
    from pyspark.ml.linalg import Vectors, VectorUDT
    from pyspark.sql import types as T

    schema = T.StructType([T.StructField("id", T.LongType()), T.StructField("v", VectorUDT()),
                           T.StructField("raw", T.BinaryType())])
    vectors = [Vectors.dense([1.0, 2.0]), Vectors.sparse(2, [1], [3.0]), Vectors.sparse(2, [], [])]
    df = spark.createDataFrame([(i, v, bytearray([i])) for i, v in enumerate(vectors)], schema)
    m = nn.Sequential(nn.Linear(2, 3), nn.LogSoftMax())
    rows = by_id(predict(m, df, features_col="v").collect())
    assert [r["v"] for r in rows] == vectors and [r["raw"] for r in rows] == [bytearray([i]) for i in range(3)]
    x = np.array([v.toArray() for v in vectors], np.float32)
    np.testing.assert_allclose(np.array([r["prediction"] for r in rows], np.float32), m.predict(x), rtol=1e-6)
