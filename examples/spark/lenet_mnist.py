"""Train LeNet-5 on MNIST with Spark: data-parallel over the executors, from a Parquet DataFrame.

Against the local standalone cluster (two workers on 127.0.0.1, authentication on):

    scripts/spark-cluster start
    scripts/spark-submit examples/spark/lenet_mnist.py
    scripts/spark-cluster stop

or without a cluster, in one JVM with two task slots:

    .venv/bin/python examples/spark/lenet_mnist.py --master "local[2]"

The first run writes MNIST (normalized, one array<float> of 784 values per row) to Parquet under
runs/mnist-parquet with pyarrow, then Spark reads it like any other table. Training is one barrier stage:
one Ember rank per task slot, an authenticated ring between them, rank 0 checkpointing every epoch.
The test accuracy is computed on the cluster by ember.spark.evaluate.
"""

import argparse
import os
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write_parquet(data_dir, out):
    """MNIST as Parquet: features array<float> (784, normalized), label long. Skipped when present."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from ember import data
    os.makedirs(out, exist_ok=True)
    for split, train in (("train", True), ("test", False)):
        path = os.path.join(out, f"{split}.parquet")
        if os.path.exists(path):
            continue
        ds = data.load_mnist(data_dir, train=train)
        x = np.ascontiguousarray(np.asarray(ds.features).reshape(len(ds), -1), np.float32)
        y = np.asarray(ds.labels).astype(np.int64)
        features = pa.FixedSizeListArray.from_arrays(pa.array(x.reshape(-1)), x.shape[1]).cast(pa.list_(pa.float32()))
        pq.write_table(pa.table({"features": features, "label": y}), path + ".tmp", row_group_size=10000)
        os.replace(path + ".tmp", path)
    return os.path.join(out, "train.parquet"), os.path.join(out, "test.parquet")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's, or local[2])")
    ap.add_argument("--data-dir", default=os.path.join(ROOT, "data", "mnist"))
    ap.add_argument("--parquet-dir", default=os.path.join(ROOT, "runs", "mnist-parquet"))
    ap.add_argument("--out", default=os.path.join(ROOT, "runs", "lenet5-spark"))
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--workers", type=int, default=None, help="ranks (default: the cluster's task slots)")
    a = ap.parse_args()

    import ember.spark
    from ember import models, nn, optim

    spark = ember.spark.session("ember-lenet5-mnist", a.master)
    train_path, test_path = write_parquet(a.data_dir, a.parquet_dir)
    train_df = spark.read.parquet(train_path)
    test_df = spark.read.parquet(test_path)

    ember.manual_seed(1)
    model = models.lenet5(num_classes=10)
    opt = ember.spark.Optimizer(model, train_df, nn.ClassNLLCriterion(), batch_size=a.batch_size,
                                feature_shape=(1, 28, 28), num_workers=a.workers)
    opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9, weight_decay=5e-4))
    opt.set_end_when(optim.max_epoch(a.epochs))
    opt.set_validation(optim.every_epoch(), test_df, [optim.Top1Accuracy()])
    opt.set_checkpoint(os.path.join(a.out, "checkpoints"), optim.every_epoch())
    opt.set_log(log_every=100)

    t = time.time()
    opt.optimize()
    seconds = time.time() - t
    [top1] = ember.spark.evaluate(model, test_df, [optim.Top1Accuracy()], feature_shape=(1, 28, 28))
    os.makedirs(a.out, exist_ok=True)
    model.save(os.path.join(a.out, "model.ember"))
    print(f"test accuracy {100 * top1.value:.2f}% ({int(top1.total)}/{top1.count}) after {a.epochs} epochs on "
          f"{spark.sparkContext.defaultParallelism} task slots in {seconds:.0f} s; model saved to "
          f"{os.path.join(a.out, 'model.ember')}")
    spark.stop()


if __name__ == "__main__":
    main()
