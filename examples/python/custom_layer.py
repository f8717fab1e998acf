"""A layer written in Python (NumPy inside), used in a Sequential next to C++ layers and trained by the
Optimizer like any other: a learnable-slope Swish, y = x * sigmoid(beta * x), with one beta per feature.

    .venv/bin/python examples/python/custom_layer.py
"""

import numpy as np

import ember
from ember import nn, optim


class Swish(nn.Module):
    """y = x * sigmoid(beta * x); input [N, F], one learnable beta per feature."""

    def __init__(self, features):
        super().__init__()
        self.beta = self.register_parameter("beta", np.ones(features, np.float32))

    def update_output(self, x):
        self.s = 0.5 * (1.0 + np.tanh(0.5 * self.beta.value * x))  # sigmoid, without overflow
        return x * self.s

    def update_grad_input(self, x, grad_output):
        b = self.beta.value
        return grad_output * (self.s + b * x * self.s * (1 - self.s))

    def acc_grad_parameters(self, x, grad_output):
        self.beta.grad[...] += (grad_output * x * x * self.s * (1 - self.s)).sum(axis=0)

    def extra_repr(self):
        return f"features={self.beta.value.shape[0]}"


def spirals(n, rng):
    """Two interleaved spirals: not separable by a linear model."""
    t = rng.uniform(0.5, 3.5 * np.pi, n)
    label = rng.integers(0, 2, n)
    r = t / (3.5 * np.pi)
    x = np.stack([r * np.cos(t + np.pi * label), r * np.sin(t + np.pi * label)], 1)
    return (x + rng.normal(0, 0.02, x.shape)).astype(np.float32), label.astype(np.int64)


def main():
    ember.manual_seed(0)
    rng = np.random.default_rng(0)
    x, y = spirals(4000, rng)
    xv, yv = spirals(1000, rng)
    model = nn.Sequential(nn.Linear(2, 64), Swish(64), nn.Linear(64, 64), Swish(64), nn.Linear(64, 2), nn.LogSoftMax())
    print(model)
    opt = optim.Optimizer(model, (x, y), nn.ClassNLLCriterion(), batch_size=64)
    opt.set_optim_method(optim.Adam(learning_rate=0.01)).set_end_when(optim.max_epoch(40))
    opt.set_validation(optim.every_epoch(), (xv, yv), [optim.Top1Accuracy()])
    opt.set_log(stream=None)
    opt.optimize()
    acc = model.evaluate((xv, yv), methods=[optim.Top1Accuracy()])[0].value
    betas = np.asarray(model[1].beta.value)
    print(f"validation accuracy {100 * acc:.1f}%; learned betas of the first Swish: "
          f"mean {betas.mean():.3f}, min {betas.min():.3f}, max {betas.max():.3f}")


if __name__ == "__main__":
    main()
