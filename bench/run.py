#!/usr/bin/python3
"""Training-step throughput of Ember against PyTorch, measured in the same run on the same threads.

    scripts/setup --bench && scripts/build release
    /usr/bin/python3 bench/run.py --threads 2 [--only lenet_train_b128,catsdogs_train_b32]

PyTorch is configured as bench/peers/README.md says: torch.set_num_threads(N) and
OPENBLAS_NUM_THREADS=1 (Debian's python3-torch). Both sides run forward + backward + a plain SGD
update on the same model, batch and synthetic data; medians of 7 timed runs are compared.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before torch is imported
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))

TARGETS = {"lenet_train_b128": 2.0, "lenet_train_b32": None, "catsdogs_train_b32": 1.3}


def torch_cases(scale):
    import torch
    import torch.nn.functional as F
    from bench_torch import CatsDogs, LeNet5

    s = lambda n: max(1, int(round(n * scale)))
    torch.manual_seed(0)
    out = []
    for b, st in [(32, 200), (128, 60)]:
        out.append((f"lenet_train_b{b}", LeNet5(), torch.randn(b, 1, 28, 28), torch.randint(0, 10, (b,)),
                    F.nll_loss, b, s(st), 20))
    out.append(("catsdogs_train_b32", CatsDogs(), torch.randn(32, 3, 112, 112),
                torch.randint(0, 2, (32, 1)).float(), F.binary_cross_entropy, 32, s(4), 3))
    return out


def time_torch(name, model, x, y, loss_fn, batch, steps, warmup, runs=7):
    import torch
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    for _ in range(warmup):
        step()
    ips = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        ips.append(batch * steps / (time.perf_counter() - t0))
    return statistics.median(ips)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default="")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--ember", default=os.path.join(HERE, "..", "build", "release", "bench", "ember_bench"))
    a = ap.parse_args()
    only = [p for p in a.only.split(",") if p]

    import torch
    torch.set_num_threads(a.threads)
    print(f"# torch {torch.__version__}, threads={torch.get_num_threads()}, OPENBLAS_NUM_THREADS=1", flush=True)
    results = {}
    for name, model, x, y, loss_fn, batch, steps, warmup in torch_cases(a.scale):
        if only and name not in only:
            continue
        # Alternate the frameworks case by case so both see the same machine state.
        proc = subprocess.run([a.ember, "--threads", str(a.threads), "--only", name, "--scale", str(a.scale)],
                              check=True, capture_output=True, text=True)
        ember = json.loads(proc.stdout.strip().splitlines()[-1])["median"]
        torch_ips = time_torch(name, model, x, y, loss_fn, batch, steps, warmup)
        results[name] = (ember, torch_ips)
        target = TARGETS.get(name)
        print(f"{name:22s} ember {ember:9.1f}/s  torch {torch_ips:9.1f}/s  ratio {ember / torch_ips:5.2f}x"
              + (f"  (target {target:.1f}x)" if target else ""), flush=True)


if __name__ == "__main__":
    main()
