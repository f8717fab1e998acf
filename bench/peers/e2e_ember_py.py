"""Ember driven from Python, for bench/python_driven.py: the same training run as `ember train`
(SGD lr 0.05 momentum 0.9, batch 128, shuffled, no augmentation), two ways:

  --mode optimizer   ember.optim.Optimizer on an ember.data data set (the C++ loop, started from Python)
  --mode loop        a Python loop: DataLoader batches, forward, criterion, backward and the SGD step
                     called from Python every iteration (what a user writing their own loop gets)

Prints one JSON line: {"records_per_s": <throughput of the last epoch>}. Run with the project venv's
Python (the installed ember package).
"""
import argparse
import json
import os
import re
import sys
import time

import ember
from ember import data, models, nn, optim


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["lenet5", "resnet20"], required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--mode", choices=["optimizer", "loop"], required=True)
    a = ap.parse_args()
    ember.set_num_threads(a.threads)
    ember.manual_seed(1)
    if a.model == "lenet5":
        train, model = data.load_mnist(a.data_dir, train=True), models.lenet5()
    else:
        train, model = data.load_cifar10(a.data_dir, train=True), models.resnet20_cifar()
    crit = nn.ClassNLLCriterion()
    sgd = optim.SGD(learning_rate=0.05, momentum=0.9)

    if a.mode == "optimizer":
        opt = optim.Optimizer(model, train, crit, batch_size=a.batch_size)
        opt.set_optim_method(sgd).set_end_when(optim.max_epoch(a.epochs)).set_data_options(seed=1)
        # The log goes to the C-level stdout; its epoch lines are the same ones bench/e2e.py reads from `ember train`.
        log = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"ember_py_bench_{os.getpid()}.log")
        fd = os.dup(1)
        with open(log, "w") as f:
            os.dup2(f.fileno(), 1)
            try:
                opt.set_log(stream="stdout", log_every=0, progress_bar="off").optimize()
            finally:
                sys.stdout.flush()
                os.dup2(fd, 1)
        text = open(log).read()
        os.unlink(log)
        rates = re.findall(r"\[Epoch \d+ done\] \d+ records in [\d.]+s \(([\d.]+) records/second\)", text)
        rate = float(rates[-1])
    else:
        w, g = model.get_parameters()
        model.training().set_propagate_back(False)
        loader = data.DataLoader(train, batch_size=a.batch_size, shuffle=True, seed=1, copy=False)
        for _ in range(a.epochs):
            n, t0 = 0, time.perf_counter()
            for x, y in loader:
                def feval(_):
                    model.zero_grad_parameters()
                    out = model.forward(x)
                    loss = crit.forward(out, y)
                    model.backward(x, crit.backward(out, y))
                    return loss, g
                sgd.optimize(feval, w)
                n += y.shape[0]
            rate = n / (time.perf_counter() - t0)
    print(json.dumps({"records_per_s": rate}))


if __name__ == "__main__":
    main()
