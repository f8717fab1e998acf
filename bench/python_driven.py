#!/usr/bin/python3
"""Ember driven from Python against Ember driven from C++ and against PyTorch, in the same run, same
model, data, batch size (128), optimizer (SGD lr 0.05 momentum 0.9) and thread count.

    scripts/setup --bench && scripts/fetch-data && scripts/build release && scripts/install-python
    /usr/bin/python3 bench/python_driven.py --threads 2 [--epochs 2] [--repeat 3] [--only lenet5,resnet20]

Contenders, each a separate process, run one after the other per round:
  C++        `ember train` (the command line: the C++ Optimizer)
  Py-Optim   ember.optim.Optimizer from Python on an ember.data data set (bench/peers/e2e_ember_py.py)
  Py-loop    a Python training loop: forward/criterion/backward/SGD step called from Python per batch
  PyTorch    bench/peers/e2e_torch.py (TensorDataset + shuffling DataLoader), as bench/e2e.py runs it
Throughput is records/second of the last epoch (data loading included), median over the rounds. Targets:
Python-driven >= 0.95x the C++-driven throughput; against PyTorch the C++ issue's ratios (LeNet-5 2x,
ResNet-20 1.2x).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from e2e import TARGETS, ember_rate, run_measured, write_cifar  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", default="lenet5,resnet20")
    ap.add_argument("--cifar-per-batch", type=int, default=1000)
    ap.add_argument("--ember", default=os.path.join(ROOT, "build", "release", "apps", "ember"))
    ap.add_argument("--python", default=os.path.join(ROOT, ".venv", "bin", "python"),
                    help="a Python with the ember package installed (scripts/install-python)")
    a = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", EMBER_NUM_THREADS=str(a.threads))
    env.pop("PYTHONPATH", None)
    tmp = tempfile.mkdtemp(prefix="ember_pybench_")
    write_cifar(tmp, a.cifar_per_batch, 500)
    mnist = os.path.join(ROOT, "data", "mnist")
    cases = {
        "lenet5": (["--model", "lenet5", "--data", "mnist", "--data-dir", mnist], ["--model", "lenet5", "--data-dir", mnist]),
        "resnet20": (["--model", "resnet20-cifar", "--data", "cifar10", "--data-dir", tmp],
                     ["--model", "resnet20", "--data-dir", tmp]),
    }
    common = ["--epochs", str(a.epochs), "--threads", str(a.threads)]
    print(f"# {a.threads} threads, batch 128, {a.epochs} epochs, last-epoch throughput (records/s), "
          f"median of {a.repeat} round(s)")
    print("| case | C++ | Py-Optim | Py-loop | PyTorch | Py-Optim / C++ | Py-loop / C++ | Py-Optim / PyTorch | target vs PyTorch |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in [c for c in a.only.split(",") if c]:
        cli_args, peer_args = cases[name]
        rates = {"cpp": [], "optim": [], "loop": [], "torch": []}
        for _ in range(a.repeat):
            out, _ = run_measured([a.ember, "train", *cli_args, *common, "--batch-size", "128", "--log-every", "100000"], env)
            rates["cpp"].append(ember_rate(out))
            for mode in ("optimizer", "loop"):
                out, _ = run_measured([a.python, os.path.join(HERE, "peers", "e2e_ember_py.py"), *peer_args, *common,
                                       "--mode", mode], env)
                rates["optim" if mode == "optimizer" else "loop"].append(json.loads(out.strip().splitlines()[-1])["records_per_s"])
            out, _ = run_measured(["/usr/bin/python3", os.path.join(HERE, "peers", "e2e_torch.py"), *peer_args, *common], env)
            rates["torch"].append(json.loads(out.strip().splitlines()[-1])["records_per_s"])
        m = {k: statistics.median(v) for k, v in rates.items()}
        print(f"| {name} | {m['cpp']:.0f} | {m['optim']:.0f} | {m['loop']:.0f} | {m['torch']:.0f} | "
              f"{m['optim'] / m['cpp']:.2f}x | {m['loop'] / m['cpp']:.2f}x | {m['optim'] / m['torch']:.2f}x | "
              f">= {TARGETS[name]}x |", flush=True)


if __name__ == "__main__":
    main()
