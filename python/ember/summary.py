"""ember.summary: see the C++ floor ember/summary."""

from ._ember.summary import *  # noqa: F401,F403
