"""Ember: deep learning for data that lives in Apache Spark.

Torch/BigDL-style modules with ``forward``/``backward`` over a C++20 core (oneDNN, OpenBLAS), with
zero-copy NumPy interop. Subpackages: :mod:`ember.nn` (layers, containers, criteria),
:mod:`ember.optim` (optim methods, schedules, triggers, validation, the Optimizer),
:mod:`ember.data`, :mod:`ember.io`, :mod:`ember.summary`, :mod:`ember.models`, :mod:`ember.dist` (the
collective and the data-parallel trainer) and :mod:`ember.spark` (training and inference on Spark; imports
pyspark only when used).

Example::

    import numpy as np, ember
    from ember import nn
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    y = model(np.ones((3, 4), np.float32))     # ember.Tensor [3, 2]; np.asarray(y) shares memory
"""

from . import _ember
from ._ember import FormatError, IOError, Tensor, from_numpy, get_num_threads, set_num_threads  # noqa: F401

# Tensors (ember/tensor): dtypes, random streams, factories and the ops of ops.h. Inputs may be
# ember.Tensor or NumPy arrays (shared, not copied). The names shadow builtins (sum, max, min, abs,
# pow) only inside the ember namespace, as in torch.
from ._ember import (  # noqa: F401,E402
    DType, float32, float64, int32, int64, uint8, bfloat16,
    Generator, manual_seed, default_generator,
    as_tensor, shares_memory, zeros, ones, empty, full, scalar, arange, rand, randn,
    neg, abs, exp, log, sqrt, square, tanh, sigmoid, relu, sign, clamp, pow,
    add, sub, mul, div, maximum, minimum, eq, gt, lt, matmul, addmm,
    sum, mean, max, min, argmax, norm, cat, stack, index_select, allclose, max_abs_diff,
)


def tensor(data, dtype=None):
    """A new Tensor holding a copy of ``data`` (like torch.tensor); Python floats become float32.

    Example: ``ember.tensor([[1, 2], [3, 4]], dtype=ember.float32)``
    """
    return Tensor(data, dtype)

__version__ = "0.1.0"

from . import nn, models, data, optim, summary, io  # noqa: E402,F401
