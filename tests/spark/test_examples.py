"""The Spark ML tabular example (examples/spark/pipeline_tabular.py), shortened, on the test cluster: real wine
data through StringIndexer -> VectorAssembler -> StandardScaler -> ember Classifier, CrossValidator over the
learning rate, Spark's evaluator, and a saved pipeline that predicts identically after loading. The image
example runs in test_images.py."""

import pathlib
import sys

import pytest

pytest.importorskip("pyspark")

ROOT = pathlib.Path(__file__).resolve().parents[2]
WINE = ROOT / "data" / "wine" / "wine.csv"


def _example(name):
    sys.path.insert(0, str(ROOT / "examples" / "spark"))
    try:
        return __import__(name)
    finally:
        sys.path.pop(0)


def test_tabular_pipeline_example(spark, tmp_path):
    if not WINE.exists():
        pytest.skip("the wine data set is not fetched (scripts/fetch-data)")
    lines = []
    result = _example("pipeline_tabular").run(spark, str(WINE), str(tmp_path), learning_rates=(1e-5, 0.05),
                                              folds=2, epochs=15, say=lines.append)
    # A learning rate of 1e-5 barely moves from the initial weights in 15 epochs; 0.05 separates the
    # cultivars, so CrossValidator must pick it.
    assert result["best_learning_rate"] == 0.05, lines
    assert result["avg_metrics"][1] > result["avg_metrics"][0] + 0.2, lines
    assert result["accuracy"] > 0.9, lines
    assert result["same_after_load"]
    assert any(line.startswith("best learning rate 0.05: test accuracy") for line in lines)
