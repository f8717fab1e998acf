"""ember.io: see the C++ floor ember/io."""

from ._ember.io import *  # noqa: F401,F403
