"""DataFrame -> NumPy through real Spark tasks on the cluster: what mapInArrow hands a task, for each
supported column type, becomes exactly the expected arrays; bad data fails with the column and row named;
check_columns rejects bad schemas on the driver; the schema hash agrees between driver and tasks."""

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")

from ember.data import image  # noqa: E402
from ember.spark import check_columns, map_in_arrow, schema_hash, to_numpy  # noqa: E402

N = 12


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    arr = rng.standard_normal((N, 2, 3))
    vec = rng.standard_normal((N, 5))
    vec[1::2, 1:4] = 0  # every other row becomes a sparse vector
    imgs = rng.integers(0, 256, (N, 4, 5, 3), dtype=np.uint8)
    return {
        "arr": arr, "vec": vec, "imgs": imgs, "n1": np.arange(N, dtype=np.int32) * 3, "n2": rng.standard_normal(N),
        "label_i": rng.integers(0, 4, N), "label_d": rng.integers(0, 4, N).astype(np.float64),
    }


@pytest.fixture(scope="module")
def df(spark, data):
    from pyspark.ml.linalg import Vectors
    from pyspark.sql import types as T
    from pyspark.ml.linalg import VectorUDT

    schema = T.StructType([
        T.StructField("id", T.LongType()), T.StructField("arr_f", T.ArrayType(T.FloatType())),
        T.StructField("arr_d", T.ArrayType(T.DoubleType())), T.StructField("vec", VectorUDT()),
        T.StructField("img", T.BinaryType()), T.StructField("n1", T.IntegerType()), T.StructField("n2", T.DoubleType()),
        T.StructField("label_i", T.LongType()), T.StructField("label_d", T.DoubleType()),
    ])
    rows = []
    for i in range(N):
        v = data["vec"][i]
        vector = Vectors.dense(v) if i % 2 == 0 else Vectors.sparse(5, {j: v[j] for j in np.flatnonzero(v)})
        rows.append((i, [float(a) for a in data["arr"][i].reshape(-1)], [float(a) for a in data["arr"][i].reshape(-1)],
                     vector, bytearray(image.encode_png(data["imgs"][i])), int(data["n1"][i]), float(data["n2"][i]),
                     int(data["label_i"][i]), float(data["label_d"][i])))
    return spark.createDataFrame(rows, schema).repartition(2)


def ingest(df, features_col, label_col=None, feature_shape=None, dtype=np.float32):
    """to_numpy in the tasks; (features, labels) back on the driver, in id order."""
    from pyspark.sql import types as T

    def task(batches):
        batches = list(batches)
        if not batches:
            return
        features, labels = to_numpy(batches, features_col, label_col, feature_shape, dtype=dtype)
        n = features.shape[0]
        flat = features.reshape(n, -1)
        yield pa.RecordBatch.from_pydict({
            "id": pa.concat_arrays([b.column(b.schema.get_field_index("id")) for b in batches]),
            "features": pa.array(list(flat), pa.list_(pa.float64())),
            "shape": pa.array([list(features.shape[1:])] * n, pa.list_(pa.int64())),
            "dtype": pa.array([str(features.dtype)] * n),
            "label": pa.array(labels.astype(np.float64) if labels is not None else [None] * n, pa.float64()),
            "label_dtype": pa.array([str(labels.dtype) if labels is not None else ""] * n),
        })

    schema = T.StructType([T.StructField("id", T.LongType()), T.StructField("features", T.ArrayType(T.DoubleType())),
                           T.StructField("shape", T.ArrayType(T.LongType())), T.StructField("dtype", T.StringType()),
                           T.StructField("label", T.DoubleType()), T.StructField("label_dtype", T.StringType())])
    rows = sorted(map_in_arrow(df, task, schema).collect(), key=lambda r: r["id"])
    assert [r["id"] for r in rows] == list(range(len(rows)))
    assert len({r["dtype"] for r in rows}) == 1 and len({tuple(r["shape"]) for r in rows}) == 1
    features = np.array([r["features"] for r in rows]).reshape((len(rows),) + tuple(rows[0]["shape"]))
    assert str(features.astype(rows[0]["dtype"]).dtype) == str(np.dtype(dtype)) == rows[0]["dtype"]
    labels = np.array([r["label"] for r in rows]) if label_col else None
    return features, labels, rows[0]["label_dtype"]


def test_array_of_float_and_double(df, data):
    f, y, ydt = ingest(df, "arr_f", "label_i", feature_shape=(2, 3))
    np.testing.assert_array_equal(f, data["arr"].astype(np.float32))
    np.testing.assert_array_equal(y, data["label_i"])
    assert ydt == "int64"
    f, y, ydt = ingest(df, "arr_d", "label_d", dtype=np.float64)
    np.testing.assert_array_equal(f, data["arr"].reshape(N, 6))
    np.testing.assert_array_equal(y, data["label_d"])
    assert ydt == "float64"


def test_ml_vectors_dense_and_sparse(df, data):
    f, _, _ = ingest(df, "vec", dtype=np.float64)
    np.testing.assert_array_equal(f, data["vec"])
    f, _, _ = ingest(df, "vec", feature_shape=(5, 1))
    np.testing.assert_array_equal(f, data["vec"].astype(np.float32).reshape(N, 5, 1))


def test_png_image_bytes(df, data):
    f, y, _ = ingest(df, "img", "label_i")
    np.testing.assert_array_equal(f, data["imgs"].transpose(0, 3, 1, 2).astype(np.float32) / 255)
    np.testing.assert_array_equal(y, data["label_i"])


def test_numeric_columns(df, data):
    f, _, _ = ingest(df, ["n1", "n2"], dtype=np.float64)
    np.testing.assert_array_equal(f, np.stack([data["n1"], data["n2"]], axis=1))


def test_schema_hash_agrees_between_driver_and_tasks(df):
    from pyspark.sql import types as T

    columns = ["arr_f", "arr_d", "vec", "img", "n1", "n2", "label_i", "label_d"]

    def task(batches):
        for b in batches:
            yield pa.RecordBatch.from_pydict({"h": [schema_hash(b.schema, columns)]})
            return

    hashes = {r["h"] for r in map_in_arrow(df, task, T.StructType([T.StructField("h", T.StringType())])).collect()}
    assert hashes == {schema_hash(df.schema, columns)}
    assert schema_hash(df.schema, ["arr_f"]) != schema_hash(df.schema, ["arr_d"])


def _task_error(df, match, **kwargs):
    from pyspark.errors import PythonException

    with pytest.raises(PythonException, match=match):
        ingest(df.coalesce(1), **kwargs)


def test_bad_rows_fail_the_task_naming_column_and_row(spark):
    from pyspark.sql import types as T

    schema = T.StructType([T.StructField("id", T.LongType()), T.StructField("f", T.ArrayType(T.FloatType())),
                           T.StructField("y", T.DoubleType())])
    good = [(0, [1.0, 2.0], 0.0), (1, [3.0, 4.0], 1.0)]
    bad_length = spark.createDataFrame(good + [(2, [5.0], 0.0)], schema)
    _task_error(bad_length, r"\[spark\] column 'f' row 2 has 1 values, expected 2", features_col="f")
    null_row = spark.createDataFrame(good + [(2, None, 0.0)], schema)
    _task_error(null_row, r"column 'f' row 2 is null: expected a value in every row", features_col="f")
    nan_label = spark.createDataFrame(good + [(2, [5.0, 6.0], float("nan"))], schema)
    _task_error(nan_label, r"label column 'y' row 2 is NaN", features_col="f", label_col="y")
    null_label = spark.createDataFrame([(0, [1.0, 2.0], None)] + good, schema)
    _task_error(null_label, r"column 'y' row 0 is null", features_col="f", label_col="y")


def test_check_columns_on_the_driver(df):
    assert check_columns(df, "arr_f", "label_i", (2, 3)) == (["arr_f"], "array")
    assert check_columns(df, "vec")[1] == "vector"
    assert check_columns(df, "img", "label_d", (3, 4, 5))[1] == "image"
    assert check_columns(df, ["n1", "n2"], "label_i") == (["n1", "n2"], "number")
    with pytest.raises(ValueError, match=r"\[spark.check_columns\] features column 'pixels' not found; the DataFrame "
                                         r"has columns: \['id', 'arr_f', 'arr_d', 'vec', 'img', 'n1', 'n2', "
                                         r"'label_i', 'label_d'\]"):
        check_columns(df, "pixels")
    with pytest.raises(ValueError, match=r"label column 'target' not found"):
        check_columns(df, "arr_f", "target")
    assert check_columns(df, "arr_f", "vec")[1] == "array"  # vector (and array) labels: several targets a row
    with pytest.raises(TypeError, match=r"label column 'img' has type binary, expected a numeric column \(int, long, "
                                        r"float, double\), an array of numbers or an ML Vector"):
        check_columns(df, "arr_f", "img")
    with pytest.raises(TypeError, match=r"features column 'id' has type bigint: a list of feature columns|"
                                        r"features column 'arr_f' has type array<float>: a list of feature columns"):
        check_columns(df, ["id", "arr_f"])
    with pytest.raises(ValueError, match=r"feature_shape \(12,\) for image column 'img': expected \(C, H, W\)"):
        check_columns(df, "img", feature_shape=12)
    with pytest.raises(ValueError, match=r"feature_shape \(3,\) holds 3 values but the 2 feature columns"):
        check_columns(df, ["n1", "n2"], feature_shape=(3,))


def test_check_columns_rejects_strings(spark):
    df = spark.createDataFrame([("a", 1)], "s string, y int")
    with pytest.raises(TypeError, match=r"features column 's' has type string, expected array<float>, array<double>"):
        check_columns(df, "s", "y")
