"""Arrow -> NumPy ingestion (ember.spark.to_numpy) on hand-built Arrow batches shaped like Spark's: every
column type, slices, and the error messages. No cluster needed (tests/spark/test_ingest.py does the same
through real Spark tasks)."""

import subprocess
import sys

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")

from ember.data import image  # noqa: E402
from ember.spark import schema_hash, to_numpy  # noqa: E402

# What Spark sends for an ML Vector column (VectorUDT's sqlType) and for array<double>.
VECTOR = pa.struct([pa.field("type", pa.int8(), False), pa.field("size", pa.int32()),
                    pa.field("indices", pa.list_(pa.field("element", pa.int32(), False))),
                    pa.field("values", pa.list_(pa.field("element", pa.float64(), False)))])


def dense(values):
    return {"type": 1, "size": None, "indices": None, "values": list(values)}


def sparse(size, indices, values):
    return {"type": 0, "size": size, "indices": list(indices), "values": list(values)}


def batch(**columns):
    return pa.RecordBatch.from_pydict(columns)


def test_array_columns_float_and_double_with_labels(rng):
    x = rng.standard_normal((7, 6))
    y = rng.integers(0, 5, 7)
    for arrow_type in (pa.list_(pa.float32()), pa.list_(pa.float64()), pa.large_list(pa.float64())):
        b = batch(f=pa.array(list(x), arrow_type), y=pa.array(y, pa.int64()))
        features, labels = to_numpy([b.slice(0, 3), b.slice(3)], "f", "y", feature_shape=(2, 3))
        assert features.dtype == np.float32 and features.shape == (7, 2, 3)
        np.testing.assert_array_equal(features, x.astype(np.float32).reshape(7, 2, 3))
        assert labels.dtype == np.int64
        np.testing.assert_array_equal(labels, y)


def test_array_column_inferred_length_float64_output_and_sliced_input(rng):
    x = rng.standard_normal((10, 4))
    b = batch(f=pa.array(list(x), pa.list_(pa.float64())), y=pa.array(x[:, 0] * 0 + 1.5))
    sliced = b.slice(2, 5)  # offsets start at 8, not 0: the values must come from the slice
    features, labels = to_numpy(sliced, "f", "y", dtype=np.float64)
    np.testing.assert_array_equal(features, x[2:7])
    assert labels.dtype == np.float64 and labels.tolist() == [1.5] * 5
    fixed = batch(f=pa.FixedSizeListArray.from_arrays(pa.array(x.reshape(-1)), 4))
    np.testing.assert_array_equal(to_numpy(fixed, "f", dtype=np.float64)[0], x)


def test_ml_vectors_dense_sparse_and_mixed():
    rows = [dense([1, 2, 3, 4]), sparse(4, [1, 3], [5, 6]), sparse(4, [], []), dense([7, 8, 9, 10]),
            sparse(4, [0], [-1])]
    expected = np.array([[1, 2, 3, 4], [0, 5, 0, 6], [0, 0, 0, 0], [7, 8, 9, 10], [-1, 0, 0, 0]], np.float32)
    b = batch(v=pa.array(rows, VECTOR))
    np.testing.assert_array_equal(to_numpy(b, "v")[0], expected)
    # all dense, all sparse, and a slice of the struct array
    np.testing.assert_array_equal(to_numpy(b.slice(3, 1), "v")[0], expected[3:4])
    np.testing.assert_array_equal(to_numpy(b.slice(1, 2), "v", feature_shape=(2, 2))[0], expected[1:3].reshape(2, 2, 2))
    np.testing.assert_array_equal(to_numpy([b.slice(0, 2), b.slice(2)], "v")[0], expected)


def test_numeric_columns_side_by_side():
    b = batch(a=pa.array([1, 2, 3], pa.int32()), b=pa.array([0.5, 1.5, 2.5]), y=pa.array([True, False, True]))
    features, labels = to_numpy(b, ["a", "b"], "y")
    np.testing.assert_array_equal(features, [[1, 0.5], [2, 1.5], [3, 2.5]])
    np.testing.assert_array_equal(labels, [1, 0, 1])
    np.testing.assert_array_equal(to_numpy(b, "b")[0], [[0.5], [1.5], [2.5]])


def test_png_and_jpeg_images_decode_like_ember_data(rng):
    imgs = [rng.integers(0, 256, (5, 4, 3), dtype=np.uint8) for _ in range(3)]
    png = [bytes(image.encode_png(i)) for i in imgs]
    jpg = bytes(image.encode_jpeg(imgs[0]))
    b = batch(img=pa.array(png + [jpg], pa.binary()))
    features, _ = to_numpy(b, "img")
    assert features.shape == (4, 3, 5, 4) and features.dtype == np.float32
    for i in range(3):  # PNG is lossless: exactly the pixels / 255 in [C, H, W]
        np.testing.assert_array_equal(features[i], imgs[i].transpose(2, 0, 1).astype(np.float32) / 255)
    np.testing.assert_array_equal(features[3], np.asarray(image.to_tensor(image.decode_image(jpg))))
    # feature_shape with 1 channel decodes as gray
    gray, _ = to_numpy(b.slice(0, 1), "img", feature_shape=(1, 5, 4))
    np.testing.assert_array_equal(gray[0], np.asarray(image.to_tensor(image.decode_image(png[0], 1))))


def test_empty_input():
    features, labels = to_numpy([], "f", "y", feature_shape=(2, 3))
    assert features.shape == (0, 2, 3) and labels.shape == (0,)


@pytest.mark.parametrize("make, kwargs, message", [
    (lambda: batch(f=pa.array([[1.0, 2.0], [1.0, 2.0], [1.0]], pa.list_(pa.float32()))), {},
     r"\[spark\] column 'f' row 12 has 1 values, expected 2 \(every row the same length"),
    (lambda: batch(f=pa.array([[1.0, 2.0], None, [3.0, 4.0]], pa.list_(pa.float32()))), {},
     r"column 'f' row 11 is null: expected a value in every row"),
    (lambda: batch(f=pa.array([[1.0, 2.0], [3.0, None], [3.0, 4.0]], pa.list_(pa.float32()))), {},
     r"column 'f' row 11 holds a null value"),
    (lambda: batch(f=pa.array([[1.0, 2.0]] * 3, pa.list_(pa.float32())), y=pa.array([0.0, 1.0, float("nan")])),
     {"label_col": "y"}, r"label column 'y' row 12 is NaN"),
    (lambda: batch(f=pa.array([[1.0, 2.0]] * 3, pa.list_(pa.float32())), y=pa.array([0, None, 1])),
     {"label_col": "y"}, r"column 'y' row 11 is null"),
    (lambda: batch(f=pa.array([dense([1, 2]), sparse(3, [0], [1]), dense([1, 2])], VECTOR)), {},
     r"column 'f' row 11: sparse vector of size 3, expected 2"),
    (lambda: batch(f=pa.array([dense([1, 2]), dense([1, 2, 3])], VECTOR)), {},
     r"column 'f' row 11: dense vector of size 3, expected 2"),
    (lambda: batch(f=pa.array([dense([1, 2]), sparse(2, [2], [1.0])], VECTOR)), {},
     r"column 'f' row 11: sparse vector index 2 out of range \[0, 2\)"),
    (lambda: batch(f=pa.array([[1.0, 2.0]], pa.list_(pa.float32()))), {"feature_shape": (3,)},
     r"column 'f' row 10 has 2 values, expected 3"),
    (lambda: batch(f=pa.array([b"not an image"], pa.binary())), {"feature_shape": (3, 2, 2)},
     r"column 'f' row 10: "),
])
def test_error_messages_name_column_and_row(make, kwargs, message):
    with pytest.raises(ValueError, match=message):
        to_numpy(make(), "f", row_offset=10, **kwargs)


def test_type_errors_name_column_and_types():
    b = batch(s=pa.array(["a"]), f=pa.array([[1.0]], pa.list_(pa.float32())), n=pa.array([1]))
    with pytest.raises(TypeError, match=r"features column 's' has type string, expected array<float>, array<double>"):
        to_numpy(b, "s")
    with pytest.raises(TypeError, match=r"label column 'f' has type array<float>, expected a numeric column"):
        to_numpy(b, "n", "f")
    with pytest.raises(TypeError, match=r"features column 'f' has type array<float>: a list of feature columns"):
        to_numpy(b, ["n", "f"])
    with pytest.raises(ValueError, match=r"features column 'x' not found; the data has columns: \['s', 'f', 'n'\]"):
        to_numpy(b, "x")
    with pytest.raises(ValueError, match=r"feature_shape: expected a tuple of positive ints"):
        to_numpy(b, "f", feature_shape=(0, 2))


def test_schema_hash_is_stable_across_processes_and_sees_types():
    s = pa.schema([("features", pa.list_(pa.float32())), ("label", pa.int64()), ("v", VECTOR)])
    h = schema_hash(s, ["features", "label"])
    code = ("import pyarrow as pa; from ember.spark import schema_hash; "
            "print(schema_hash(pa.schema([('features', pa.list_(pa.float32())), ('label', pa.int64())])))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert other == h
    assert schema_hash(pa.schema([("features", pa.list_(pa.float64())), ("label", pa.int64())])) != h
    assert schema_hash(s, ["label", "features"]) != h  # column order matters (it is the rank's input order)
    with pytest.raises(ValueError, match=r"columns \['nope'\] not in the schema"):
        schema_hash(s, ["nope"])
