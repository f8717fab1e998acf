"""Wine cultivars from 13 chemical measurements: a Spark ML Pipeline with an Ember classifier, tuned by
CrossValidator, evaluated by Spark's evaluator, saved and loaded back.

    StringIndexer(cultivar -> label) -> VectorAssembler(13 columns -> raw) -> StandardScaler(raw -> features)
        -> ember.spark.ml.Classifier (a 2-layer MLP, data-parallel over the executors)

CrossValidator tries three learning rates with 3 folds (each fit is one Ember training stage on the cluster),
refits the best on the whole training split, and MulticlassClassificationEvaluator scores the held-out rows.

Against the local standalone cluster (two workers on 127.0.0.1, authentication on):

    scripts/fetch-data                    # data/wine/wine.csv, from Debian's python3-sklearn
    scripts/spark-cluster start
    scripts/spark-submit examples/spark/pipeline_tabular.py
    scripts/spark-cluster stop

or in one JVM: ``.venv/bin/python examples/spark/pipeline_tabular.py --master "local[2]"``.
"""

import argparse
import os
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEASUREMENTS = ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
                "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280_od315", "proline"]


def run(spark, csv, out, learning_rates=(0.001, 0.01, 0.1), folds=3, epochs=30, say=print):
    """The whole example on ``spark``; returns {"accuracy", "best_learning_rate", "avg_metrics", "same_after_load"}."""
    from pyspark.ml import Pipeline, PipelineModel
    from pyspark.ml.evaluation import MulticlassClassificationEvaluator
    from pyspark.ml.feature import StandardScaler, StringIndexer, VectorAssembler
    from pyspark.ml.tuning import CrossValidator, ParamGridBuilder

    import ember
    from ember import nn, optim
    from ember.spark.ml import Classifier

    df = spark.read.csv(csv, header=True, inferSchema=True)
    train, test = df.randomSplit([0.75, 0.25], seed=7)

    ember.manual_seed(1)
    net = (nn.Sequential().add(nn.Linear(len(MEASUREMENTS), 32)).add(nn.ReLU())
           .add(nn.Linear(32, 3)).add(nn.LogSoftMax()))
    clf = Classifier(net, batchSize=16, maxEpoch=epochs, optimMethod=optim.Adam(), logEvery=0)
    pipeline = Pipeline(stages=[
        StringIndexer(inputCol="cultivar", outputCol="label"),
        VectorAssembler(inputCols=MEASUREMENTS, outputCol="raw"),
        StandardScaler(inputCol="raw", outputCol="features", withMean=True),
        clf,
    ])
    grid = ParamGridBuilder().addGrid(clf.learningRate, list(learning_rates)).build()
    evaluator = MulticlassClassificationEvaluator(metricName="accuracy")
    cv = CrossValidator(estimator=pipeline, estimatorParamMaps=grid, evaluator=evaluator, numFolds=folds, seed=3)

    t = time.time()
    cv_model = cv.fit(train)
    for params, metric in zip(grid, cv_model.avgMetrics):
        say(f"learning rate {params[clf.learningRate]:g}: mean cross-validation accuracy {100 * metric:.1f}%")
    best = cv_model.bestModel
    best_lr = grid[max(range(len(grid)), key=lambda i: cv_model.avgMetrics[i])][clf.learningRate]
    scored = best.transform(test)
    accuracy = evaluator.evaluate(scored)
    history = best.stages[-1].history
    say(f"best learning rate {best_lr:g}: test accuracy {100 * accuracy:.1f}% on {test.count()} held-out wines "
        f"({len(grid) * folds + 1} Ember training runs in {time.time() - t:.0f} s; the final fit's loss went from "
        f"{history[0]['loss']:.3f} to {history[-1]['loss']:.3f})")
    scored.select("cultivar", "label", "prediction", "probability").show(5, truncate=False)

    path = os.path.join(out, "wine-pipeline")
    best.write().overwrite().save(path)
    loaded = PipelineModel.load(path)
    a = [r.prediction for r in scored.select("prediction").collect()]
    b = [r.prediction for r in loaded.transform(test).select("prediction").collect()]
    say(f"saved to {path} and loaded back: {'identical' if a == b else 'DIFFERENT'} predictions")
    return {"accuracy": accuracy, "best_learning_rate": best_lr, "avg_metrics": list(cv_model.avgMetrics),
            "same_after_load": a == b}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's, or local[2])")
    ap.add_argument("--csv", default=os.path.join(ROOT, "data", "wine", "wine.csv"))
    ap.add_argument("--out", default=os.path.join(ROOT, "runs", "spark-ml"))
    ap.add_argument("--epochs", type=int, default=30)
    a = ap.parse_args()
    if not os.path.exists(a.csv):
        raise SystemExit(f"{a.csv} not found: run scripts/fetch-data")

    import ember.spark
    spark = ember.spark.session("ember-pipeline-tabular", a.master)
    run(spark, os.path.abspath(a.csv), os.path.abspath(a.out), epochs=a.epochs)
    spark.stop()


if __name__ == "__main__":
    main()
