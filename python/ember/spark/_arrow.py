"""Spark's Arrow batches -> NumPy arrays for Ember, and the driver-side column checks.

A ``mapInArrow`` task receives an iterator of ``pyarrow.RecordBatch``; :func:`to_numpy` turns the
feature and label columns into ``features`` [N, *feature_shape] (float32 by default) and ``labels`` [N],
copying each value once from the Arrow buffers into one preallocated array (vectorised: no pandas, no
Python loop per row; only images are decoded one at a time, and a batch mixing dense and sparse ML
Vectors gathers its dense rows through one temporary). Feature columns:

==========================================  =====================================================
Spark type                                  features row
==========================================  =====================================================
``array<float>``, ``array<double>``, ...    the array's values (every row the same length)
ML ``Vector`` (``pyspark.ml.linalg``)       the dense values; sparse vectors are scattered
``binary`` (JPEG/PNG bytes)                 decoded (``ember.data.image``), float [C, H, W] / 255
image struct (``spark.read.format("image")``)  the BGR pixels as RGB, float [C, H, W] / 255
numeric column(s) (a list of names)         the columns' values side by side
==========================================  =====================================================

``feature_shape`` reshapes each row (``(1, 28, 28)`` for MNIST arrays); by default it is the length of
the first row (the first image's shape for images). A ``transform`` (an ``ember.data.Transformer``) is
applied to every row instead of the plain conversion: it receives an image as uint8 [H, W, C] (RGB, or
gray when ``feature_shape`` has 1 channel) and any other row as its 1-D values, and ``feature_shape`` is
then the shape it returns (by default the first row's). Labels come from a numeric column (integer labels
become int64: 0-based class indices for ClassNLLCriterion; floating ones ``dtype``), or from an array or
ML Vector column (``dtype`` [N, L]). Nulls, NaN labels and rows of the wrong length raise ValueError
naming the column and the row (counted from the first row given, plus ``row_offset``).
"""

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["to_numpy", "check_columns", "schema_hash", "feature_kind"]

_WHERE = "[spark]"
_VECTOR_FIELDS = ("type", "size", "indices", "values")
# Spark's image data source (ImageSchema.columnSchema): pixels in OpenCV's order (BGR, BGRA or gray), row by row.
_IMAGE_FIELDS = ("origin", "height", "width", "nChannels", "mode", "data")
_IMAGE_MODES = {0: 1, 16: 3, 24: 4}  # OpenCV's CV_8UC1, CV_8UC3, CV_8UC4 -> channels


# ---- Arrow types ---------------------------------------------------------------------------------------

def _is_list(t):
    return pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t)


def _is_number(t):
    return pa.types.is_integer(t) or pa.types.is_floating(t)


def _is_vector(t):
    # Spark ML's VectorUDT reaches Arrow as its sqlType: struct<type: int8, size: int32,
    # indices: array<int32>, values: array<double>> (type 0 sparse, 1 dense).
    return pa.types.is_struct(t) and tuple(t.field(i).name for i in range(t.num_fields)) == _VECTOR_FIELDS


def _is_image_struct(t):
    return pa.types.is_struct(t) and tuple(t.field(i).name for i in range(t.num_fields)) == _IMAGE_FIELDS


def feature_kind(arrow_type):
    """'array', 'vector', 'image' (encoded bytes), 'imagestruct' (Spark's image source) or 'number' for an
    Arrow column type, None when unsupported."""
    if _is_list(arrow_type) and _is_number(arrow_type.value_type):
        return "array"
    if _is_vector(arrow_type):
        return "vector"
    if _is_image_struct(arrow_type):
        return "imagestruct"
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return "image"
    if _is_number(arrow_type) or pa.types.is_boolean(arrow_type):
        return "number"
    return None


_SUPPORTED_FEATURES = ("array<float>, array<double> (any numeric array), an ML Vector, binary (JPEG/PNG bytes), "
                       "an image struct (spark.read.format('image')) or numeric columns")
_SUPPORTED_LABELS = "a numeric column (int, long, float, double), an array of numbers or an ML Vector"


def _shape_arg(feature_shape, where):
    if feature_shape is None:
        return None
    if isinstance(feature_shape, (int, np.integer)) and not isinstance(feature_shape, bool):
        feature_shape = (int(feature_shape),)
    try:
        shape = tuple(int(d) for d in feature_shape)
        ok = all(float(d) == int(d) for d in feature_shape) and all(d > 0 for d in shape)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{where} feature_shape: expected a tuple of positive ints like (1, 28, 28), got "
                         f"{feature_shape!r}")
    return shape


def _columns_arg(features_col, where):
    if isinstance(features_col, str):
        return [features_col]
    if isinstance(features_col, (list, tuple)) and features_col and all(isinstance(c, str) for c in features_col):
        return list(features_col)
    raise TypeError(f"{where} features_col: expected a column name or a list of numeric column names, got "
                    f"{features_col!r}")


# ---- ingestion ------------------------------------------------------------------------------------------

def _first_index(mask):
    return int(np.flatnonzero(mask)[0])


def _check_no_nulls(arr, name, row0, what="is null"):
    if arr.null_count:
        i = _first_index(np.asarray(arr.is_null(), dtype=bool))
        raise ValueError(f"{_WHERE} column '{name}' row {row0 + i} {what}: expected a value in every row")


def _flat_values(list_arr):
    """(offsets relative to the first row [n + 1], the list's values for these rows) of a (Large)ListArray,
    honouring a slice of it."""
    offsets = np.asarray(list_arr.offsets)
    start, stop = int(offsets[0]), int(offsets[-1])
    return offsets - start, list_arr.values.slice(start, stop - start)


def _row_of_value(offsets, index):
    return int(np.searchsorted(offsets, index, side="right") - 1)


def _fill_array(col, out, length, name, row0):
    _check_no_nulls(col, name, row0)
    n = len(col)
    if pa.types.is_fixed_size_list(col.type):
        if col.type.list_size != length:
            raise ValueError(f"{_WHERE} column '{name}' row {row0} has {col.type.list_size} values, expected {length}")
        values = col.flatten()
        offsets = np.arange(n + 1, dtype=np.int64) * length
    else:
        offsets, values = _flat_values(col)
        lengths = np.diff(offsets)
        bad = lengths != length
        if bad.any():
            i = _first_index(bad)
            raise ValueError(f"{_WHERE} column '{name}' row {row0 + i} has {int(lengths[i])} values, expected "
                             f"{length} (every row the same length: the feature shape's size)")
    if values.null_count:
        j = _first_index(np.asarray(values.is_null(), dtype=bool))
        raise ValueError(f"{_WHERE} column '{name}' row {row0 + _row_of_value(offsets, j)} holds a null value: "
                         "expected numbers only")
    # Zero-copy view of the Arrow buffer; the one copy (and the dtype conversion) is this assignment.
    out[...] = values.to_numpy(zero_copy_only=False).reshape(n, length)


def _ranges(starts, counts):
    """Concatenated [s, s + c) for each (s, c): the positions of the selected rows' values."""
    total = int(counts.sum())
    return np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)


def _fill_vector(col, out, length, name, row0):
    _check_no_nulls(col, name, row0)
    n = len(col)
    typ, size, indices, values = col.flatten()  # flatten() honours a slice of the struct array
    dense = np.asarray(typ.to_numpy(zero_copy_only=False)) == 1
    voffsets, vflat = _flat_values(values)
    vlen = np.diff(voffsets)
    v = vflat.to_numpy(zero_copy_only=False)
    if dense.all():
        bad = vlen != length
        if bad.any():
            i = _first_index(bad)
            raise ValueError(f"{_WHERE} column '{name}' row {row0 + i}: dense vector of size {int(vlen[i])}, "
                             f"expected {length}")
        out[...] = v.reshape(n, length)
        return
    sizes = np.asarray(pc.fill_null(size, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
    sizes = np.where(dense, vlen, sizes)
    bad = sizes != length
    if bad.any():
        i = _first_index(bad)
        kind = "dense" if dense[i] else "sparse"
        raise ValueError(f"{_WHERE} column '{name}' row {row0 + i}: {kind} vector of size {int(sizes[i])}, "
                         f"expected {length}")
    rows = np.flatnonzero(dense)
    if rows.size:
        out[rows] = v[voffsets[rows][:, None] + np.arange(length)]
    rows = np.flatnonzero(~dense)
    ioffsets, iflat = _flat_values(indices)
    counts = np.diff(ioffsets)[rows]
    idx = iflat.to_numpy(zero_copy_only=False)[_ranges(ioffsets[rows], counts)]
    if idx.size and (idx.min() < 0 or idx.max() >= length):
        j = _first_index((idx < 0) | (idx >= length))
        i = int(np.repeat(rows, counts)[j])
        raise ValueError(f"{_WHERE} column '{name}' row {row0 + i}: sparse vector index {int(idx[j])} out of "
                         f"range [0, {length})")
    out[rows] = 0
    out[np.repeat(rows, counts), idx] = v[_ranges(voffsets[rows], counts)]


def _image_channels(shape):
    """The channels images are converted to: feature_shape's (1 or 3) when it is [C, H, W], else as stored."""
    return shape[0] if shape is not None and len(shape) == 3 and shape[0] in (1, 3) else 0


def _to_gray(rgb):
    # PIL's convert("L") weights in fixed point, as ember.data.image.decode_image converts.
    r, g, b = (rgb[..., i].astype(np.uint32) for i in range(3))
    return ((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16).astype(np.uint8)[..., None]


def _struct_image(fields, i, channels):
    """Row i of a Spark image struct as uint8 [H, W, C] RGB (or gray); ValueError for an invalid row."""
    h, w, c, mode = (int(fields[k][i]) for k in ("height", "width", "nChannels", "mode"))
    data = fields["data"][i]
    if h <= 0 or w <= 0 or c <= 0 or data is None:
        raise ValueError("an invalid image (the image source could not decode the file; read with "
                         "dropInvalid=True to leave such files out)")
    if _IMAGE_MODES.get(mode) != c:
        raise ValueError(f"image mode {mode} with {c} channels: expected an 8-bit image (OpenCV mode 0, 16 or 24 "
                         "with 1, 3 or 4 channels)")
    buf = np.frombuffer(data.as_buffer(), dtype=np.uint8)
    if buf.size != h * w * c:
        raise ValueError(f"{buf.size} bytes of pixels, expected height x width x nChannels = {h} x {w} x {c}")
    img = buf.reshape(h, w, c)
    img = img[..., 2::-1] if c >= 3 else img  # BGR(A) -> RGB, alpha dropped
    if channels == 1 and img.shape[2] == 3:
        return _to_gray(img)
    if channels == 3 and img.shape[2] == 1:
        return np.repeat(img, 3, axis=2)
    return np.ascontiguousarray(img)


def _row_names(kind, col, row0):
    """i -> "row N" for error messages; "row N (file:/...)" for the image source's structs."""
    if kind != "imagestruct":
        return lambda i: f"row {row0 + i}"
    origins = col.flatten()[0]
    return lambda i: f"row {row0 + i} ({origins[i].as_py()})"


def _image_rows(kind, col, name, row0, channels):
    """The rows of an image column as uint8 [H, W, C] images, one at a time; errors name the row (and the
    file, for the image source's structs)."""
    from ember.data import image

    _check_no_nulls(col, name, row0)
    row = _row_names(kind, col, row0)
    if kind == "imagestruct":
        fields = dict(zip(_IMAGE_FIELDS, col.flatten()))  # flatten() honours a slice of the struct array
        fields.update({k: fields[k].to_numpy(zero_copy_only=False) for k in ("height", "width", "nChannels", "mode")})
    for i in range(len(col)):
        try:
            if kind == "image":
                yield np.asarray(image.decode_image(np.frombuffer(col[i].as_buffer(), dtype=np.uint8), channels))
            else:
                yield _struct_image(fields, i, channels)
        except Exception as e:  # noqa: BLE001 (the codec's own error, with the row added)
            raise type(e)(f"{_WHERE} column '{name}' {row(i)}: {e}") from None


def _convert_row(x, transform):
    """One row as features: the transform's result, or (no transform) a uint8 image as float [C, H, W] / 255."""
    if transform is not None:
        return np.asarray(transform(x))
    from ember.data import image
    return np.asarray(image.to_tensor(x))


def _fill_rows(rows, out, shape, name, row, transform, what):
    """Converts each row (see _convert_row) into out[i], which must have ``shape``; ``row(i)`` names row i."""
    for i, x in enumerate(rows):
        try:
            y = _convert_row(x, transform)
        except Exception as e:  # noqa: BLE001 (the transformer's own error, with the row added)
            raise type(e)(f"{_WHERE} column '{name}' {row(i)}: {transform!r}: {e}") from None
        if y.shape != shape:
            hint = ("every row must give the same shape" if transform is not None else
                    "resize the images (featureTransform Resize) or set feature_shape")
            raise ValueError(f"{_WHERE} column '{name}' {row(i)}: {what} {list(y.shape)}, expected {list(shape)} "
                             f"({hint})")
        out[i] = y


def _fill_numbers(cols, names, out, row0):
    for j, (col, name) in enumerate(zip(cols, names)):
        _check_no_nulls(col, name, row0)
        out[:, j] = col.to_numpy(zero_copy_only=False)


def _column(batch, name, role):
    idx = batch.schema.get_field_index(name)
    if idx < 0:
        raise ValueError(f"{_WHERE} {role} column '{name}' not found; the data has columns: {batch.schema.names}")
    return batch.column(idx)


def _first_row_length(kind, col, name, row0):
    head = col.slice(0, 1)
    _check_no_nulls(head, name, row0)
    if pa.types.is_fixed_size_list(head.type):
        return head.type.list_size
    if kind == "array":
        return int(_flat_values(head)[0][-1])
    typ, size, _, values = head.flatten()
    if typ[0].as_py() == 1:
        return int(_flat_values(values)[0][-1])
    return int(size[0].as_py())


def _label_kind(t):
    if _is_number(t) or pa.types.is_boolean(t):
        return "number"
    if _is_list(t) and _is_number(t.value_type):
        return "array"
    return "vector" if _is_vector(t) else None


def _fill_labels(lab, kind, out, name, row0):
    if kind == "array":
        _fill_array(lab, out, out.shape[1], name, row0)
        return
    if kind == "vector":
        _fill_vector(lab, out, out.shape[1], name, row0)
        return
    _check_no_nulls(lab, name, row0)
    values = lab.to_numpy(zero_copy_only=False)
    if values.dtype.kind == "f":
        nan = np.isnan(values)
        if nan.any():
            raise ValueError(f"{_WHERE} label column '{name}' row {row0 + _first_index(nan)} is NaN: "
                             "expected a number in every row")
    out[...] = values


def to_numpy(batches, features_col="features", label_col=None, feature_shape=None, dtype=np.float32,
             label_dtype=None, row_offset=0, transform=None):
    """Arrow record batches (an iterable of ``pyarrow.RecordBatch``, one batch or a Table) -> ``(features,
    labels)``: features ``dtype`` [N, *feature_shape] and labels [N] or [N, L] (None without ``label_col``).
    One copy from Arrow into the result, or one ``transform`` call per row; see the module docstring."""
    names = _columns_arg(features_col, f"{_WHERE} to_numpy:")
    shape = _shape_arg(feature_shape, f"{_WHERE} to_numpy:")
    dtype = np.dtype(dtype)
    if isinstance(batches, pa.Table):
        batches = batches.to_batches()
    elif isinstance(batches, pa.RecordBatch):
        batches = [batches]
    batches = [b for b in batches if b.num_rows]
    n = sum(b.num_rows for b in batches)
    if n == 0:
        features = np.empty((0,) + (shape or ()), dtype)
        return features, (np.empty((0,), np.int64) if label_col is not None else None)

    first = batches[0]
    cols0 = [_column(first, c, "features") for c in names]
    if len(names) > 1:
        kinds = [feature_kind(c.type) for c in cols0]
        for c, name, k in zip(cols0, names, kinds):
            if k != "number":
                raise TypeError(f"{_WHERE} features column '{name}' has type {_canonical_arrow(c.type)}: a list of "
                                "feature columns must all be numeric columns")
        kind = "number"
    else:
        kind = feature_kind(cols0[0].type)
        if kind is None:
            raise TypeError(f"{_WHERE} features column '{names[0]}' has type {_canonical_arrow(cols0[0].type)}, "
                            f"expected {_SUPPORTED_FEATURES}")

    images = kind in ("image", "imagestruct")
    if transform is not None and not images:
        # The rows as read, then the transform on each: the raw values are one temporary array.
        raw, labels = to_numpy(batches, features_col, label_col, None, dtype, label_dtype, row_offset)
        if shape is None:
            shape = _convert_row(raw[0], transform).shape
        features = np.empty((n,) + tuple(shape), dtype)
        _fill_rows(iter(raw), features, tuple(shape), names[0], lambda i: f"row {row_offset + i}", transform,
                   f"{transform!r} gives")
        return features, labels

    channels = 0
    if images:
        channels = _image_channels(shape)
        if shape is None:
            head = next(_image_rows(kind, cols0[0].slice(0, 1), names[0], row_offset, channels))
            shape = _convert_row(head, transform).shape
        elif len(shape) != 3 and transform is None:
            raise ValueError(f"{_WHERE} feature_shape {shape} for image column '{names[0]}': expected (C, H, W)")
        length = int(np.prod(shape))
    elif kind == "number":
        length = len(names)
        shape = shape or (length,)
        if int(np.prod(shape)) != length:
            raise ValueError(f"{_WHERE} feature_shape {shape} holds {int(np.prod(shape))} values but {length} "
                             f"numeric feature column(s) {names} give {length}")
    else:
        length = int(np.prod(shape)) if shape is not None else _first_row_length(kind, cols0[0], names[0], row_offset)
        shape = shape or (length,)

    features = np.empty((n,) + tuple(shape), dtype)
    flat = features.reshape(n, length)
    labels, label_kind = None, None
    if label_col is not None:
        lab0 = _column(first, label_col, "label")
        label_kind = _label_kind(lab0.type)
        if label_kind is None:
            raise TypeError(f"{_WHERE} label column '{label_col}' has type {_canonical_arrow(lab0.type)}, expected "
                            f"{_SUPPORTED_LABELS}")
        if label_kind == "number":
            if label_dtype is None:
                label_dtype = dtype if pa.types.is_floating(lab0.type) else np.int64
            labels = np.empty((n,), label_dtype)
        else:
            width = _first_row_length(label_kind, lab0, label_col, row_offset)
            labels = np.empty((n, width), label_dtype or dtype)

    start = 0
    for b in batches:
        rows = b.num_rows
        row0 = row_offset + start
        cols = [_column(b, c, "features") for c in names]
        if any(c.type != c0.type for c, c0 in zip(cols, cols0)):
            raise TypeError(f"{_WHERE} features column type changed between batches: "
                            f"{_canonical_arrow(cols0[0].type)} then {_canonical_arrow(cols[0].type)}")
        part = flat[start:start + rows]
        if kind == "array":
            _fill_array(cols[0], part, length, names[0], row0)
        elif kind == "vector":
            _fill_vector(cols[0], part, length, names[0], row0)
        elif images:
            what = f"{transform!r} gives" if transform is not None else "image decodes to [C, H, W] ="
            _fill_rows(_image_rows(kind, cols[0], names[0], row0, channels), features[start:start + rows],
                       tuple(shape), names[0], _row_names(kind, cols[0], row0), transform, what)
        else:
            _fill_numbers(cols, names, part, row0)
        if labels is not None:
            _fill_labels(_column(b, label_col, "label"), label_kind, labels[start:start + rows], label_col, row0)
        start += rows
    return features, labels


# ---- driver side ----------------------------------------------------------------------------------------

def _spark_kind(dt):
    from pyspark.sql import types as T

    if isinstance(dt, T.UserDefinedType):
        sql = dt.sqlType()
        if isinstance(sql, T.StructType) and tuple(f.name for f in sql.fields) == _VECTOR_FIELDS:
            return "vector"
        return None
    if isinstance(dt, T.ArrayType) and isinstance(dt.elementType, (T.IntegralType, T.FloatType, T.DoubleType)):
        return "array"
    if isinstance(dt, T.BinaryType):
        return "image"
    if isinstance(dt, T.StructType) and tuple(f.name for f in dt.fields) == _IMAGE_FIELDS:
        return "imagestruct"
    if isinstance(dt, (T.IntegralType, T.FloatType, T.DoubleType, T.BooleanType)):
        return "number"
    return None


def check_columns(df, features_col="features", label_col=None, feature_shape=None, where="spark.check_columns",
                  transform=False):
    """Checks on the driver, before any job starts, that ``df`` has the columns and that their types can be
    read (see :func:`to_numpy`). Raises ValueError for a missing column (listing the available ones) or a
    bad ``feature_shape``, TypeError for a column of the wrong type (naming expected and actual types).
    ``transform``: whether a transform is applied (``feature_shape`` is then the shape it gives).
    Returns (the list of feature column names, the feature kind: 'array', 'vector', 'image', 'imagestruct' or
    'number')."""
    w = f"[{where}]"
    names = _columns_arg(features_col, w)
    shape = _shape_arg(feature_shape, w)
    fields = {f.name: f for f in df.schema.fields}

    def field(name, role):
        if name not in fields:
            raise ValueError(f"{w} {role} column '{name}' not found; the DataFrame has columns: {list(fields)}")
        return fields[name]

    kinds = [_spark_kind(field(c, "features").dataType) for c in names]
    if len(names) > 1:
        for c, k in zip(names, kinds):
            if k != "number":
                raise TypeError(f"{w} features column '{c}' has type {fields[c].dataType.simpleString()}: a list "
                                "of feature columns must all be numeric columns (int, long, float, double)")
        if shape is not None and int(np.prod(shape)) != len(names):
            raise ValueError(f"{w} feature_shape {shape} holds {int(np.prod(shape))} values but the {len(names)} "
                             f"feature columns {names} give {len(names)}")
        kind = "number"
    else:
        kind = kinds[0]
        if kind is None:
            raise TypeError(f"{w} features column '{names[0]}' has type {fields[names[0]].dataType.simpleString()}, "
                            f"expected {_SUPPORTED_FEATURES}")
        if kind in ("image", "imagestruct") and shape is not None and len(shape) != 3 and not transform:
            raise ValueError(f"{w} feature_shape {shape} for image column '{names[0]}': expected (C, H, W)")
        if kind == "number" and shape is not None and int(np.prod(shape)) != 1 and not transform:
            raise ValueError(f"{w} feature_shape {shape} holds {int(np.prod(shape))} values but the numeric column "
                             f"'{names[0]}' gives 1")
    if label_col is not None:
        if not isinstance(label_col, str):
            raise TypeError(f"{w} label_col: expected a column name, got {label_col!r}")
        lt = field(label_col, "label").dataType
        if _spark_kind(lt) not in ("number", "array", "vector"):
            raise TypeError(f"{w} label column '{label_col}' has type {lt.simpleString()}, expected "
                            f"{_SUPPORTED_LABELS}")
    return names, kind


# ---- schema hash ----------------------------------------------------------------------------------------

# Spark's type names (DataType.typeName()), which both sides of schema_hash use.
_ARROW_NAMES = {
    "int8": "byte", "int16": "short", "int32": "integer", "int64": "long", "uint8": "ubyte", "uint16": "ushort",
    "uint32": "uint", "uint64": "ulong", "float": "float", "double": "double", "halffloat": "half",
    "bool": "boolean", "string": "string", "large_string": "string", "binary": "binary", "large_binary": "binary",
}


def _canonical_arrow(t):
    if _is_list(t):
        return f"array<{_canonical_arrow(t.value_type)}>"
    if pa.types.is_struct(t):
        return "struct<" + ",".join(f"{t.field(i).name}:{_canonical_arrow(t.field(i).type)}"
                                    for i in range(t.num_fields)) + ">"
    return _ARROW_NAMES.get(str(t), str(t))


def _canonical_spark(dt):
    from pyspark.sql import types as T

    if isinstance(dt, T.UserDefinedType):
        return _canonical_spark(dt.sqlType())
    if isinstance(dt, T.ArrayType):
        return f"array<{_canonical_spark(dt.elementType)}>"
    if isinstance(dt, T.StructType):
        return "struct<" + ",".join(f"{f.name}:{_canonical_spark(f.dataType)}" for f in dt.fields) + ">"
    return dt.typeName()


def schema_hash(schema, columns=None):
    """A hex digest of the names and types of ``columns`` (default: all) of a ``pyarrow.Schema`` or a Spark
    ``StructType``, equal for a DataFrame's schema on the driver and the Arrow schema its tasks receive, and
    stable across processes and machines (SHA-256, not Python's hash). Ranks compare it at the rendezvous."""
    if isinstance(schema, pa.Schema):
        types = {f.name: _canonical_arrow(f.type) for f in schema}
    elif hasattr(schema, "fields"):
        types = {f.name: _canonical_spark(f.dataType) for f in schema.fields}
    else:
        raise TypeError(f"{_WHERE} schema_hash: expected a pyarrow.Schema or a pyspark StructType, got "
                        f"{type(schema).__name__}")
    if columns is None:
        columns = list(types)
    elif isinstance(columns, str):
        columns = [columns]
    missing = [c for c in columns if c not in types]
    if missing:
        raise ValueError(f"{_WHERE} schema_hash: columns {missing} not in the schema (columns: {list(types)})")
    text = ";".join(f"{c}:{types[c]}" for c in columns)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
