"""Transfer learning: load a LeNet-5 trained on MNIST, freeze everything but the last layer, and fine-tune
that layer on Fashion-MNIST.

    .venv/bin/python examples/python/lenet_mnist.py              # writes runs/lenet5-py/model.ember
    .venv/bin/python examples/python/transfer_learning.py [--model runs/lenet5-py/model.ember]

Without --model (or when the file is missing) a LeNet-5 is first trained on MNIST for one epoch. The
frozen layers' weights are checked to be unchanged after fine-tuning.
"""

import argparse
import os

import numpy as np

import ember
from ember import data, io, models, nn, optim

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def pretrained(path, mnist_dir):
    if os.path.exists(path):
        print(f"loading {path}")
        return io.load_model(path)
    print(f"{path} not found: training LeNet-5 on MNIST for one epoch first")
    model = models.lenet5()
    opt = optim.Optimizer(model, data.load_mnist(mnist_dir, train=True), nn.ClassNLLCriterion(), batch_size=128)
    opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9)).set_end_when(optim.max_epoch(1))
    opt.set_log(stream=None).optimize()
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "runs", "lenet5-py", "model.ember"))
    ap.add_argument("--mnist-dir", default=os.path.join(ROOT, "data", "mnist"))
    ap.add_argument("--fashion-dir", default=os.path.join(ROOT, "data", "fashion-mnist"))
    ap.add_argument("--epochs", type=int, default=3)
    a = ap.parse_args()
    ember.manual_seed(0)

    model = pretrained(a.model, a.mnist_dir)
    train = data.load_fashion_mnist(a.fashion_dir, train=True)
    test = data.load_fashion_mnist(a.fashion_dir, train=False)
    top1 = [optim.Top1Accuracy()]
    print(f"MNIST features, MNIST classifier on Fashion-MNIST: {100 * model.evaluate(test, methods=top1)[0].value:.1f}%")

    # Keep the convolutional features and the hidden layer; learn a new classifier (the last Linear).
    last = [name for name, child in model.named_children() if isinstance(child, nn.Linear)][-1]
    model.freeze().unfreeze([last])
    model[int(last)].reset()
    frozen = {n: np.array(p) for n, p in model.named_parameters() if not n.startswith(last + ".")}

    opt = optim.Optimizer(model, train, nn.ClassNLLCriterion(), batch_size=128)
    opt.set_optim_method(optim.SGD(learning_rate=0.05, momentum=0.9)).set_end_when(optim.max_epoch(a.epochs))
    opt.set_validation(optim.every_epoch(), test, top1)
    opt.set_log(progress_bar="auto")
    opt.optimize()

    unchanged = all(np.array_equal(frozen[n], np.asarray(p)) for n, p in model.named_parameters() if n in frozen)
    acc = model.evaluate(test, methods=top1)[0].value
    print(f"fine-tuned layer '{last}' only ({len(frozen)} frozen tensors unchanged: {unchanged}); "
          f"Fashion-MNIST test accuracy {100 * acc:.1f}%")
    if not unchanged:
        raise SystemExit("frozen parameters changed during fine-tuning")


if __name__ == "__main__":
    main()
