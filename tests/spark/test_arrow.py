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


IMAGE = pa.struct([("origin", pa.string()), ("height", pa.int32()), ("width", pa.int32()),
                   ("nChannels", pa.int32()), ("mode", pa.int32()), ("data", pa.binary())])


def image_struct(rgb, origin="file:/x.png"):
    """A Spark image-source row for an RGB(A) or gray uint8 [H, W, C] image: pixels in OpenCV's BGR(A) order."""
    h, w, c = rgb.shape
    bgr = rgb[..., [2, 1, 0] + ([3] if c == 4 else [])] if c >= 3 else rgb
    return {"origin": origin, "height": h, "width": w, "nChannels": c, "mode": {1: 0, 3: 16, 4: 24}[c],
            "data": np.ascontiguousarray(bgr).tobytes()}


def test_image_structs_read_as_rgb_or_gray(rng):
    imgs = [rng.integers(0, 256, size=(3, 4, 3), dtype=np.uint8) for _ in range(3)]
    rgba = np.concatenate([imgs[2], np.full((3, 4, 1), 9, np.uint8)], axis=2)
    b = batch(f=pa.array([image_struct(imgs[0]), image_struct(imgs[1]), image_struct(rgba)], IMAGE))
    features, _ = to_numpy(b.slice(1), "f")  # a slice: the struct's children must follow it
    assert features.shape == (2, 3, 3, 4)
    np.testing.assert_array_equal(features[0], np.asarray(image.to_tensor(imgs[1])))
    np.testing.assert_array_equal(features[1], np.asarray(image.to_tensor(imgs[2])))  # alpha dropped
    # Gray, with ember.data.image's own luma (what decode_image(png, 1) gives for the same pixels).
    gray, _ = to_numpy(b, "f", feature_shape=(1, 3, 4))
    via_png = image.decode_image(image.encode_png(imgs[0]), 1)
    np.testing.assert_array_equal(gray[0], np.asarray(image.to_tensor(via_png)))
    # A gray struct becomes 3 channels when the shape asks for them.
    g = rng.integers(0, 256, size=(3, 4, 1), dtype=np.uint8)
    color, _ = to_numpy(batch(f=pa.array([image_struct(g)], IMAGE)), "f", feature_shape=(3, 3, 4))
    np.testing.assert_array_equal(color[0], np.repeat(np.asarray(image.to_tensor(g)), 3, axis=0))


def test_image_struct_errors_name_row_and_file():
    good = image_struct(np.zeros((2, 2, 3), np.uint8))
    invalid = {"origin": "file:/d/broken.jpg", "height": -1, "width": -1, "nChannels": -1, "mode": -1, "data": b""}
    with pytest.raises(ValueError, match=r"column 'f' row 11 \(file:/d/broken.jpg\): an invalid image"):
        to_numpy(batch(f=pa.array([good, invalid], IMAGE)), "f", row_offset=10)
    short = dict(good, data=b"\0" * 5, origin="file:/d/short.png")
    with pytest.raises(ValueError, match=r"row 1 \(file:/d/short.png\): 5 bytes of pixels, expected height x width "
                                         r"x nChannels = 2 x 2 x 3"):
        to_numpy(batch(f=pa.array([good, short], IMAGE)), "f")
    odd = dict(good, mode=5)
    with pytest.raises(ValueError, match=r"image mode 5 with 3 channels: expected an 8-bit image"):
        to_numpy(batch(f=pa.array([odd], IMAGE)), "f")


def test_transform_on_images_of_any_size_and_on_arrays(rng):
    from ember import data
    imgs = [rng.integers(0, 256, size=(5 + i, 7 - i, 3), dtype=np.uint8) for i in range(3)]
    b = batch(f=pa.array([bytes(image.encode_png(i)) for i in imgs], pa.binary()), y=pa.array([0, 1, 2]))
    t = data.Resize(4, 4) >> data.ToTensor() >> data.Normalize([0.5], [0.25])
    features, labels = to_numpy([b.slice(0, 1), b.slice(1)], "f", "y", transform=t)
    assert features.shape == (3, 3, 4, 4) and labels.tolist() == [0, 1, 2]
    for got, img in zip(features, imgs):
        np.testing.assert_array_equal(got, np.asarray(t(img)))
    # Gray when the shape asks for one channel.
    gray, _ = to_numpy(b, "f", feature_shape=(1, 4, 4), transform=t)
    np.testing.assert_array_equal(gray[2], np.asarray(t(image.decode_image(image.encode_png(imgs[2]), 1))))
    # On arrays: the row's 1-D values in, any shape out (here [2, 3]).
    x = rng.standard_normal((4, 6)).astype(np.float32)
    scale = data.Lambda("Reshape", lambda s: (np.asarray(s.feature).reshape(2, 3) * 2, s.labels))
    out, _ = to_numpy(batch(f=pa.array(list(x), pa.list_(pa.float32()))), "f", transform=scale)
    np.testing.assert_array_equal(out, x.reshape(4, 2, 3) * 2)
    # A transform whose shapes differ between rows is refused, naming the row.
    ragged = data.Lambda("Ragged", lambda s: (np.asarray(s.feature)[: 3 + int(np.asarray(s.feature)[0] > 0)],
                                              s.labels))
    z = np.array([[-1.0] * 6, [1.0] * 6], np.float32)
    with pytest.raises(ValueError, match=r"column 'f' row 1: Ragged gives \[4\], expected \[3\] \(every row must give "
                                         r"the same shape\)"):
        to_numpy(batch(f=pa.array(list(z), pa.list_(pa.float32()))), "f", transform=ragged)


def test_array_and_vector_labels(rng):
    x = rng.standard_normal((3, 2))
    y = rng.standard_normal((3, 4))
    b = batch(f=pa.array(list(x), pa.list_(pa.float64())), y=pa.array(list(y), pa.list_(pa.float64())),
              v=pa.array([dense(r) for r in y[:2]] + [sparse(4, [1], [y[2, 1]])], VECTOR))
    _, labels = to_numpy([b.slice(0, 2), b.slice(2)], "f", "y")
    assert labels.dtype == np.float32 and labels.shape == (3, 4)
    np.testing.assert_array_equal(labels, y.astype(np.float32))
    _, vlabels = to_numpy(b, "f", "v", dtype=np.float64)
    np.testing.assert_array_equal(vlabels[:2], y[:2])
    np.testing.assert_array_equal(vlabels[2], [0, y[2, 1], 0, 0])
    ragged = batch(f=pa.array(list(x[:2]), pa.list_(pa.float64())), y=pa.array([[1.0, 2.0], [1.0]]))
    with pytest.raises(ValueError, match=r"column 'y' row 1 has 1 values, expected 2"):
        to_numpy(ragged, "f", "y")


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
    with pytest.raises(TypeError, match=r"label column 's' has type string, expected a numeric column \(int, long, "
                                        r"float, double\), an array of numbers or an ML Vector"):
        to_numpy(b, "n", "s")
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
