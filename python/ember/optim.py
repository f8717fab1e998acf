"""ember.optim: see the C++ floor ember/optim."""

from ._ember.optim import *  # noqa: F401,F403
