"""Reading a folder tree of images into a Spark DataFrame (BigDL: DLImageReader), labelled by folder.

``read_images(root)`` takes ``root/<class>/.../<image>`` (torchvision's ImageFolder layout, and Ember's
``ember.data.ImageFolder``): classes are the sorted names of root's sub-folders, and an image's label is its
class's index (0, 1, ...) as a double, as Spark ML's StringIndexer would give. The label column carries Spark
ML's nominal attribute metadata with the class names, so :func:`image_classes` (and Spark's own attribute
readers) find them again after any number of stages.
"""

__all__ = ["read_images", "image_classes"]

_EXTENSIONS = ("jpg", "jpeg", "png")


def _spark(spark):
    if spark is not None:
        return spark
    from pyspark.sql import SparkSession
    active = SparkSession.getActiveSession()
    if active is None:
        raise RuntimeError("[ember.spark.read_images] no active SparkSession: start one or pass spark=")
    return active


def _class_folders(spark, root, where):
    """(the qualified root URI, its path part, the sorted names of its sub-folders), through Hadoop's FileSystem API (so a
    root may be on any file system Spark reaches)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(root)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not fs.exists(path):
        raise FileNotFoundError(f"[{where}] {root} not found: expected a folder of class folders (root/<class>/<image>)")
    if not fs.getFileStatus(path).isDirectory():
        raise NotADirectoryError(f"[{where}] {root} is a file: expected a folder of class folders "
                                 "(root/<class>/<image>)")
    qualified = fs.makeQualified(path)
    names = sorted(s.getPath().getName() for s in fs.listStatus(path)
                   if s.isDirectory() and not s.getPath().getName().startswith((".", "_")))
    if not names:
        raise ValueError(f"[{where}] {root} has no class folders: expected root/<class>/<image>")
    return qualified.toString(), qualified.toUri().getPath().rstrip("/"), names


def read_images(root, spark=None, *, decoded=False, image_col="image", label_col="label", class_col="class",
                path_col="path", extensions=_EXTENSIONS, num_partitions=None):
    """A DataFrame of the images under ``root/<class>/`` (.jpg, .jpeg, .png by default, case-insensitive, at
    any depth below the class folder) with columns:

    - ``path_col`` (string): the file's URI (as Hadoop writes it: ``file:/data/...`` for local files);
    - ``image_col``: the encoded file bytes (binary), which Ember decodes on the executors; with
      ``decoded=True``, Spark's image struct instead (``spark.read.format("image")``: decoded by Spark,
      larger, readable by other Spark ML libraries);
    - ``class_col`` (string): the class folder's name;
    - ``label_col`` (double): the class's index in the sorted class names, with those names in the column's
      ML attribute metadata (see :func:`image_classes`).

    ``num_partitions`` repartitions the result (by default Spark packs small files into few partitions).
    Nothing is read until an action runs: the driver lists only the class folders.

    Example::

        df = read_images("data/flowers")                         # path, image, class, label
        clf = Classifier(net, featuresCol="image", featureTransform=Resize(64, 64) >> ToTensor())
    """
    from pyspark.sql import functions as F

    where = "ember.spark.read_images"
    spark = _spark(spark)
    exts = [e.lower().lstrip(".") for e in ([extensions] if isinstance(extensions, str) else extensions)]
    if not exts or not all(e.isalnum() for e in exts):
        raise ValueError(f"[{where}] extensions: expected file extensions like ['jpg', 'png'], got {extensions!r}")
    qualified, root_path, classes = _class_folders(spark, str(root), where)
    # Hadoop globs are case-sensitive: each extension in any mix of cases, e.g. *.[jJ][pP][gG].
    glob = "*.{" + ",".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in e) for e in exts) + "}"
    if decoded:
        df = (spark.read.format("image").option("dropInvalid", False).option("recursiveFileLookup", True)
              .option("pathGlobFilter", glob).load(qualified))
        # The image source writes local files as file:///...; the binary source (and Hadoop) file:/... .
        origin = F.regexp_replace(F.col("image.origin"), "^file:///", "file:/")
        df = df.select(origin.alias(path_col), F.col("image").alias(image_col))
    else:
        df = (spark.read.format("binaryFile").option("recursiveFileLookup", True).option("pathGlobFilter", glob)
              .load(qualified))
        df = df.select(F.col("path").alias(path_col), F.col("content").alias(image_col))
    # The first folder below root names the class; files directly in root (or in hidden folders) have none.
    # Matched on the path part: the binary source says file:/r/..., the image source file:///r/... .
    pattern = r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://[^/]*)?\Q" + root_path + r"\E/([^/]+)/.+$"
    df = df.withColumn(class_col, F.regexp_extract(F.col(path_col), pattern, 1))
    df = df.filter(F.col(class_col).isin(classes))
    index = F.array_position(F.array(*[F.lit(c) for c in classes]), F.col(class_col)) - 1
    metadata = {"ml_attr": {"type": "nominal", "name": label_col, "vals": list(classes)}}
    df = df.withColumn(label_col, index.cast("double").alias(label_col, metadata=metadata))
    if num_partitions is not None:
        df = df.repartition(int(num_partitions))
    return df


def image_classes(df, label_col="label"):
    """The class names of ``label_col``'s nominal ML attribute metadata (set by :func:`read_images` and by
    Spark's StringIndexer), in label order; None when the column carries none."""
    if label_col not in df.columns:
        raise ValueError(f"[ember.spark.image_classes] label column '{label_col}' not found; the DataFrame has "
                         f"columns: {df.columns}")
    attr = df.schema[label_col].metadata.get("ml_attr", {})
    vals = attr.get("vals")
    return list(vals) if vals is not None else None
