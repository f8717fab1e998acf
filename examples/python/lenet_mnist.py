"""Train LeNet-5 on MNIST from Python: the main job (scripts/train-mnist) written with the ember package.

    ./scripts/fetch-data && ./scripts/install-python
    .venv/bin/python examples/python/lenet_mnist.py [--epochs 15] [--save runs/lenet5-py/model.ember]

Shows the progress bar on a terminal, validates on the 10000 test images after every epoch, writes
TensorBoard summaries (tensorboard --logdir runs/lenet5-py/tensorboard) and saves the model.
"""

import argparse
import os
import time

import ember
from ember import data, models, nn, optim
from ember.summary import TrainSummary, ValidationSummary

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default=os.path.join(ROOT, "data", "mnist"))
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N images only (quick runs)")
    ap.add_argument("--out", default=os.path.join(ROOT, "runs", "lenet5-py"))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    ember.manual_seed(a.seed)
    train = data.load_mnist(a.data_dir, train=True)
    test = data.load_mnist(a.data_dir, train=False)
    if a.limit:
        import numpy as np
        train = data.ArrayDataSet(np.asarray(train.features)[:a.limit], np.asarray(train.labels)[:a.limit])
    black = -data.MNIST_MEAN / data.MNIST_STD  # a shifted image's uncovered border

    model = models.lenet5(num_classes=10)
    print(model)
    opt = optim.Optimizer(model, train, nn.ClassNLLCriterion(), batch_size=a.batch_size)
    sgd = optim.SGD(learning_rate=0.05, momentum=0.9, weight_decay=5e-4).set_schedule(optim.EpochStep(10, 0.1))
    opt.set_optim_method(sgd).set_end_when(optim.max_epoch(a.epochs))
    opt.set_train_transform(data.RandomTranslate(translate=[2 / 28, 2 / 28], fill=black))
    opt.set_validation(optim.every_epoch(), test, [optim.Top1Accuracy(), optim.Loss(nn.ClassNLLCriterion())])
    opt.set_train_summary(TrainSummary(os.path.join(a.out, "tensorboard"), "lenet5"))
    opt.set_validation_summary(ValidationSummary(os.path.join(a.out, "tensorboard"), "lenet5"))
    opt.set_data_options(seed=a.seed).set_log(progress_bar="auto")

    t = time.time()
    trained = opt.optimize()
    top1 = opt.validation_history()[-1]["results"][0]
    path = os.path.join(a.out, "model.ember")
    trained.save(path)
    print(f"test accuracy {100 * top1.value:.2f}% ({int(top1.total)}/{top1.count}) after {a.epochs} epochs "
          f"in {time.time() - t:.0f} s; model saved to {path}")


if __name__ == "__main__":
    main()
