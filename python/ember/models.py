"""ember.models: see the C++ floor ember/models."""

from ._ember.models import *  # noqa: F401,F403
