"""Ember: deep learning for data that lives in Apache Spark.

Torch/BigDL-style modules with ``forward``/``backward`` over a C++20 core (oneDNN, OpenBLAS), with
zero-copy NumPy interop. Subpackages: :mod:`ember.nn` (layers, containers, criteria),
:mod:`ember.optim` (optim methods, schedules, triggers, validation, the Optimizer),
:mod:`ember.data`, :mod:`ember.io`, :mod:`ember.summary`, :mod:`ember.models`.

Example::

    import numpy as np, ember
    from ember import nn
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    y = model(np.ones((3, 4), np.float32))     # ember.Tensor [3, 2]; np.asarray(y) shares memory
"""

from . import _ember
from ._ember import FormatError, IOError, Tensor, from_numpy, get_num_threads, set_num_threads  # noqa: F401

__version__ = "0.1.0"

from . import nn, models, data, optim, summary, io  # noqa: E402,F401
