"""ember.data: see the C++ floor ember/data."""

from ._ember.data import *  # noqa: F401,F403
