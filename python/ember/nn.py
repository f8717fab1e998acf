"""ember.nn: see the C++ floor ember/nn."""

from ._ember.nn import *  # noqa: F401,F403
