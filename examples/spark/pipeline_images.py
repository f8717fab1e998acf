"""Clothes from an image folder: read_images -> an Ember CNN with augmentation -> predictions with class names.

    read_images(root/<class>/*.png)          path, image (PNG bytes), class, label (index, names in metadata)
    Classifier(CNN, featuresCol="image")     decoded and resized on the executors (featureTransform), randomly
                                             flipped and cropped every epoch (trainTransform), validated on
                                             the test folder every epoch
    IndexToString(prediction -> predicted)   the class names back, from the label column's metadata

The folders are Fashion-MNIST images written as PNGs by scripts/fetch-data (data/fashion-mnist-images:
train/ 300 a class, test/ 100 a class). Against the local standalone cluster:

    scripts/fetch-data
    scripts/spark-cluster start
    scripts/spark-submit examples/spark/pipeline_images.py
    scripts/spark-cluster stop

or in one JVM: ``.venv/bin/python examples/spark/pipeline_images.py --master "local[2]"``.
TensorBoard reads the training and validation summaries: ``tensorboard --logdir runs/spark-ml/tb``.
"""

import argparse
import os
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cnn(classes):
    """Two 5x5 convolutions and two linear layers for 1 x 32 x 32 images."""
    from ember import nn
    return (nn.Sequential()
            .add(nn.Conv2d(1, 16, 5)).add(nn.ReLU()).add(nn.MaxPool2d(2))        # 16 x 14 x 14
            .add(nn.Conv2d(16, 32, 5)).add(nn.ReLU()).add(nn.MaxPool2d(2))       # 32 x 5 x 5
            .add(nn.Flatten()).add(nn.Linear(32 * 5 * 5, 128)).add(nn.ReLU())
            .add(nn.Linear(128, classes)).add(nn.LogSoftMax()))


def run(spark, train_dir, test_dir, out, epochs=6, say=print):
    """The whole example on ``spark``; returns {"accuracy", "classes", "history", "validation"}."""
    from pyspark.ml.evaluation import MulticlassClassificationEvaluator
    from pyspark.ml.feature import IndexToString

    import ember
    from ember import data, optim
    from ember.spark.ml import Classifier, ClassificationModel, image_classes, read_images

    train = read_images(train_dir, spark)
    test = read_images(test_dir, spark)
    classes = image_classes(train)
    say(f"{len(classes)} classes: {', '.join(classes)}")

    ember.manual_seed(1)
    clf = Classifier(
        cnn(len(classes)), featuresCol="image", batchSize=64, maxEpoch=epochs,
        optimMethod=optim.Adam(learning_rate=2e-3),
        # Every row, in fit and in transform: PNG -> uint8 [28, 28, 1] -> 32 x 32 -> float [1, 32, 32], normalized.
        featureTransform=data.Resize(32, 32) >> data.ToTensor() >> data.Normalize([0.29], [0.35]),
        # Each training sample, every epoch (seeded): a random flip and a random 32 x 32 crop of the padded image.
        trainTransform=data.RandomHorizontalFlip() >> data.RandomCrop(32, 32, padding=2),
        validationMethods=["top1", "loss"], logDir=os.path.join(out, "tb"), appName="fashion-images")
    clf.setValidation(optim.every_epoch(), test)

    t = time.time()
    model = clf.fit(train)
    say(f"trained {epochs} epochs on {train.count()} images in {time.time() - t:.0f} s")
    for v in model.validationHistory:
        say(f"  epoch {v['epoch']}: validation top-1 {100 * v['Top1Accuracy']:.1f}%, loss {v['Loss']:.3f}")

    scored = IndexToString(inputCol="prediction", outputCol="predicted", labels=classes).transform(
        model.transform(test))
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(scored)
    say(f"test accuracy {100 * accuracy:.1f}% on {test.count()} images")
    scored.select("path", "class", "predicted").show(5, truncate=60)

    path = os.path.join(out, "fashion-cnn")
    model.write().overwrite().save(path)
    say(f"model saved to {path} (ClassificationModel.load; the module alone: {path}/data/model.ember)")
    assert ClassificationModel.load(path).getFeatureShape() == [1, 32, 32]
    return {"accuracy": accuracy, "classes": classes, "history": model.history,
            "validation": model.validationHistory}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's, or local[2])")
    ap.add_argument("--images", default=os.path.join(ROOT, "data", "fashion-mnist-images"),
                    help="a folder holding train/<class>/ and test/<class>/ image folders")
    ap.add_argument("--out", default=os.path.join(ROOT, "runs", "spark-ml"))
    ap.add_argument("--epochs", type=int, default=6)
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.images, "test")):
        raise SystemExit(f"{a.images}/test not found: run scripts/fetch-data")

    import ember.spark
    spark = ember.spark.session("ember-pipeline-images", a.master)
    images = os.path.abspath(a.images)
    run(spark, os.path.join(images, "train"), os.path.join(images, "test"), os.path.abspath(a.out), a.epochs)
    spark.stop()


if __name__ == "__main__":
    main()
