"""Saving and loading ember.spark.ml stages in Spark ML's layout.

A saved stage is a directory::

    path/metadata/part-00000    Spark ML's metadata JSON (class, timestamp, sparkVersion, uid, paramMap,
                                defaultParamMap) plus "emberVersion" and "objectParams"
    path/data/model.ember       the Ember module, in Ember's native model file format
    path/data/params.pkl        the object Params (optimMethod, criterion, triggers, transformers), pickled
    path/data/history.json      a fitted model's training and validation history

Files are written through Hadoop's FileSystem API, so a path may be local, ``file:``, ``hdfs:`` or any file
system Spark is configured for. The model file is written under a temporary name and renamed when
complete: a failed save never leaves a truncated model. ``Pipeline``/``PipelineModel`` save and load call
these writers and readers for Ember's stages and Spark's own writers for Spark's stages.
"""

import json
import pickle
import time

from pyspark.ml.util import MLReader, MLWriter

from ._params import OBJECT_PARAMS

_CHUNK = 64 << 20  # bytes per Py4J transfer: a model of any size, no 2 GB array


def _hadoop_path(spark, path):
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    fs = p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    # The local file system (and any ChecksumFileSystem) writes a .crc file beside each file: the model file
    # has its own CRC32C checksums, so write through the raw file system underneath.
    if jvm.java.lang.Class.forName("org.apache.hadoop.fs.ChecksumFileSystem").isInstance(fs):
        fs = fs.getRawFileSystem()
    return fs, p


def write_bytes(spark, path, data):
    """Writes ``data`` to ``path`` (any Hadoop file system) under a temporary name, then renames it."""
    fs, p = _hadoop_path(spark, path)
    jvm = spark.sparkContext._jvm
    tmp = jvm.org.apache.hadoop.fs.Path(path + ".tmp")
    out = fs.create(tmp, True)
    try:
        view = memoryview(data)
        for start in range(0, len(view), _CHUNK):
            out.write(bytearray(view[start:start + _CHUNK]))
    finally:
        out.close()
    if fs.exists(p):
        fs.delete(p, False)
    if not fs.rename(tmp, p):
        raise OSError(f"[ember.spark.ml] could not rename {path}.tmp to {path}")


def read_bytes(spark, path, required=True):
    """The whole file at ``path`` (any Hadoop file system); None when it is missing and not ``required``."""
    fs, p = _hadoop_path(spark, path)
    if not fs.exists(p):
        if not required:
            return None
        raise FileNotFoundError(f"[ember.spark.ml] {path} not found: not a saved Ember stage, or an incomplete one")
    size = fs.getFileStatus(p).getLen()
    jvm = spark.sparkContext._jvm
    stream = fs.open(p)
    try:
        parts, left = [], size
        while left > 0:
            n = min(left, _CHUNK)
            parts.append(bytes(jvm.org.apache.commons.io.IOUtils.toByteArray(stream, n)))
            left -= n
    finally:
        stream.close()
    return b"".join(parts)


def _json_value(name, value, instance):
    try:
        json.dumps(value)
    except TypeError:
        raise TypeError(f"[ember.spark.ml] {type(instance).__name__}.{name} = {value!r} cannot be saved: it is not a "
                        "JSON value") from None
    return value


class StageWriter(MLWriter):
    """Writes an ember.spark.ml Estimator or Model (see the module docstring)."""

    def __init__(self, instance):
        super().__init__()
        self.instance = instance

    def saveImpl(self, path):
        from ember import __version__, io

        inst = self.instance
        spark = self.sparkSession
        plain = {p.name: _json_value(p.name, v, inst) for p, v in inst._paramMap.items() if p.name not in OBJECT_PARAMS}
        defaults = {p.name: v for p, v in inst._defaultParamMap.items() if p.name not in OBJECT_PARAMS}
        objects = {p.name: v for p, v in inst._paramMap.items() if p.name in OBJECT_PARAMS and v is not None}
        metadata = {
            "class": type(inst).__module__ + "." + type(inst).__name__,
            "timestamp": int(round(time.time() * 1000)),
            "sparkVersion": spark.version,
            "uid": inst.uid,
            "paramMap": plain,
            "defaultParamMap": defaults,
            "emberVersion": __version__,
            "objectParams": sorted(objects),
        }
        # Spark's own layout: one text line in path/metadata (this fails if the stage exists and overwrite()
        # was not asked for, before anything else is written).
        spark.createDataFrame([(json.dumps(metadata, separators=(",", ":")),)], schema=["value"]) \
            .coalesce(1).write.text(path + "/metadata")
        module = inst._module
        if module is not None:
            try:
                blob = io.model_to_bytes(module)
            except ValueError as e:
                raise TypeError(f"[ember.spark.ml] {type(inst).__name__}'s module cannot be saved: {e}") from None
            write_bytes(spark, path + "/data/model.ember", blob)
        if objects:
            try:
                blob = pickle.dumps(objects, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as e:  # noqa: BLE001
                raise TypeError(f"[ember.spark.ml] {type(inst).__name__}'s params {sorted(objects)} cannot be saved: "
                                f"{e}") from None
            write_bytes(spark, path + "/data/params.pkl", blob)
        history = inst._history_json() if hasattr(inst, "_history_json") else None
        if history is not None:
            write_bytes(spark, path + "/data/history.json", json.dumps(history).encode())


class StageReader(MLReader):
    """Reads what :class:`StageWriter` wrote into an instance of ``cls``."""

    def __init__(self, cls):
        super().__init__()
        self.cls = cls

    def load(self, path):
        from ember import io

        spark = self.sparkSession
        rows = spark.read.text(path + "/metadata").collect()
        if not rows:
            raise FileNotFoundError(f"[ember.spark.ml] {path}/metadata is empty: not a saved stage")
        metadata = json.loads(rows[0][0])
        expected = self.cls.__module__ + "." + self.cls.__name__
        if metadata["class"] != expected:
            raise TypeError(f"[ember.spark.ml] {path} holds a {metadata['class']}, expected a {expected} (load it "
                            f"with {metadata['class'].rsplit('.', 1)[-1]}.load)")
        inst = self.cls()
        inst._resetUid(metadata["uid"])
        for name, value in metadata["defaultParamMap"].items():
            if inst.hasParam(name):
                inst._setDefault(**{name: value})
        inst._set(**metadata["paramMap"])
        if metadata.get("objectParams"):
            inst._set(**pickle.loads(read_bytes(spark, path + "/data/params.pkl")))
        blob = read_bytes(spark, path + "/data/model.ember", required=False)
        if blob is not None:
            inst._module = io.model_from_bytes(blob, path + "/data/model.ember")
        history = read_bytes(spark, path + "/data/history.json", required=False)
        if history is not None and hasattr(inst, "_load_history_json"):
            inst._load_history_json(json.loads(history))
        return inst
