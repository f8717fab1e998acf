#!/usr/bin/python3
"""PyTorch side of bench/e2e.py: trains LeNet-5 on MNIST or ResNet-20 on CIFAR-10 binary batches for
whole epochs, data loading included (IDX / CIFAR binary files parsed with NumPy, normalized, then a
TensorDataset + DataLoader with shuffling), and prints one JSON line: throughput of the last epoch
(records/second), peak RSS is measured by the caller.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 e2e_torch.py --model lenet5 --data-dir data/mnist --threads 2
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_torch import LeNet5, ResNet20  # noqa: E402


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(d):
    x = read_idx(os.path.join(d, "train-images-idx3-ubyte")).astype(np.float32) / 255.0
    x = (x - 0.13066047740239506) / 0.3081078
    y = read_idx(os.path.join(d, "train-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(x[:, None]), torch.from_numpy(y)


def load_cifar(d):
    recs = np.concatenate([np.fromfile(os.path.join(d, f"data_batch_{i}.bin"), dtype=np.uint8).reshape(-1, 3073)
                           for i in range(1, 6)])
    x = recs[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0
    mean = np.array([0.4914, 0.4822, 0.4465], np.float32)[None, :, None, None]
    std = np.array([0.2470, 0.2435, 0.2616], np.float32)[None, :, None, None]
    return torch.from_numpy((x - mean) / std), torch.from_numpy(recs[:, 0].astype(np.int64))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["lenet5", "resnet20"], required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--epochs", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    t0 = time.perf_counter()
    x, y = load_mnist(a.data_dir) if a.model == "lenet5" else load_cifar(a.data_dir)
    load_s = time.perf_counter() - t0
    model = LeNet5() if a.model == "lenet5" else ResNet20()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=a.batch_size, shuffle=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model.train()
    rates = []
    for _ in range(a.epochs):
        t = time.perf_counter()
        n = 0
        for xb, yb in loader:
            opt.zero_grad(set_to_none=True)
            out = model(xb)
            loss = F.nll_loss(out, yb) if a.model == "lenet5" else F.cross_entropy(out, yb)
            loss.backward()
            opt.step()
            n += xb.shape[0]
        rates.append(n / (time.perf_counter() - t))
    print(json.dumps({"framework": "torch " + torch.__version__, "model": a.model, "records_per_s": rates[-1],
                      "epoch_rates": rates, "load_s": load_s, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
