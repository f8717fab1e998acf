"""What differs between PySpark versions and installs, in one place."""


def is_dataframe(obj):
    """True for a PySpark DataFrame (classic or Spark Connect), without importing pyspark: a program that
    has one has already imported it."""
    return any(c.__module__.startswith("pyspark.sql") and c.__name__ == "DataFrame" for c in type(obj).__mro__)


def _have_pandas():
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def map_in_arrow(df, func, schema, barrier=False):
    """``df.mapInArrow(func, schema, barrier=barrier)``. PySpark's method requires pandas although an
    Arrow map never uses it (it is built as a pandas UDF); without pandas the same plan node is built
    from the Arrow UDF directly (classic PySpark 3.5-4.x), so Ember needs only pyarrow."""
    if _have_pandas() or not hasattr(df, "_jdf"):
        return df.mapInArrow(func, schema, barrier=barrier)
    from pyspark.sql import DataFrame
    from pyspark.sql.udf import _create_udf
    from pyspark.util import PythonEvalType

    udf = _create_udf(func, returnType=schema, evalType=PythonEvalType.SQL_MAP_ARROW_ITER_UDF)
    column = udf(*[df[c] for c in df.columns])
    jdf = df._jdf.mapInArrow(column._jc, barrier, None)
    return DataFrame(jdf, df.sparkSession)
