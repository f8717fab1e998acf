#!/usr/bin/python3
"""End-to-end training throughput and peak memory: Ember's `ember train` against PyTorch, in the
same run, same model, batch size and thread count, data loading included.

    scripts/setup --bench && scripts/fetch-data && scripts/build release
    /usr/bin/python3 bench/e2e.py --threads 2 [--epochs 2] [--only lenet5,resnet20]

Cases: LeNet-5 on MNIST (the main job, 60000 images per epoch, batch 128) and ResNet-20 on CIFAR-
shaped data (synthetic CIFAR-10 binary batches written to a temp dir, batch 128). Throughput is
records/second over the last epoch (both sides shuffle, batch and normalize on the fly); peak
memory is each process's maximum resident set size. PyTorch is configured as
bench/peers/README.md says (torch.set_num_threads(N), OPENBLAS_NUM_THREADS=1).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGETS = {"lenet5": 2.0, "resnet20": 1.2}


def run_measured(cmd, env=None):
    """Runs cmd, returns (stdout, peak RSS in MiB) of that process alone (os.wait4)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{out[-3000:]}")
    return out, usage.ru_maxrss / 1024.0


def write_cifar(d, per_batch, test):
    rng = np.random.default_rng(0)
    for name, n in [(f"data_batch_{i}.bin", per_batch) for i in range(1, 6)] + [("test_batch.bin", test)]:
        recs = rng.integers(0, 256, size=(n, 3073), dtype=np.uint8)
        recs[:, 0] = rng.integers(0, 10, size=n)
        recs.tofile(os.path.join(d, name))


def ember_rate(out):
    rates = [float(m) for m in re.findall(r"\[Epoch \d+ done\] \d+ records in [\d.]+s \(([\d.]+) records/second\)", out)]
    if not rates:
        sys.exit("no epoch line in ember's output:\n" + out[-3000:])
    return rates[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--only", default="lenet5,resnet20")
    ap.add_argument("--cifar-per-batch", type=int, default=1000, help="records in each of the 5 synthetic batches")
    ap.add_argument("--ember", default=os.path.join(ROOT, "build", "release", "apps", "ember"))
    a = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", EMBER_NUM_THREADS=str(a.threads))
    tmp = tempfile.mkdtemp(prefix="ember_e2e_")
    write_cifar(tmp, a.cifar_per_batch, 500)
    cases = {
        "lenet5": (["--model", "lenet5", "--data", "mnist", "--data-dir", os.path.join(ROOT, "data", "mnist")],
                   ["--model", "lenet5", "--data-dir", os.path.join(ROOT, "data", "mnist")]),
        "resnet20": (["--model", "resnet20-cifar", "--data", "cifar10", "--data-dir", tmp],
                     ["--model", "resnet20", "--data-dir", tmp]),
    }
    print(f"# {a.threads} threads, batch 128, {a.epochs} epochs, throughput of the last epoch, data loading included")
    print(f"| case | Ember rec/s | PyTorch rec/s | ratio | target | Ember peak RSS | PyTorch peak RSS |")
    print(f"|---|---|---|---|---|---|---|")
    for name in [c for c in a.only.split(",") if c]:
        e_args, t_args = cases[name]
        out, e_rss = run_measured([a.ember, "train", *e_args, "--epochs", str(a.epochs), "--batch-size", "128",
                                   "--threads", str(a.threads), "--log-every", "100000"], env)
        e_rate = ember_rate(out)
        tout, t_rss = run_measured(["/usr/bin/python3", os.path.join(HERE, "peers", "e2e_torch.py"), *t_args,
                                    "--epochs", str(a.epochs), "--threads", str(a.threads)], env)
        t = json.loads(tout.strip().splitlines()[-1])
        print(f"| {name} | {e_rate:.0f} | {t['records_per_s']:.0f} | {e_rate / t['records_per_s']:.2f}x | "
              f">= {TARGETS[name]}x | {e_rss:.0f} MiB | {t_rss:.0f} MiB |", flush=True)


if __name__ == "__main__":
    main()
