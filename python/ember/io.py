"""ember.io: model files, state files and checkpoints (see the C++ floor ember/io).

``save_model(module, path)`` / ``load_model(path)`` (also ``module.save(path)``), ``read_model_info(path)``,
``save_state(dict, path)`` / ``load_state(path)`` for dicts of NumPy arrays and int/float/str scalars, and
``CheckpointManager(dir, keep_last)``. Every call releases the GIL while it reads or writes. A file that
cannot be read raises :class:`ember.IOError` (an OSError) naming the path; a malformed file raises
:class:`ember.FormatError` (a ValueError) naming the file.
"""

from ._ember.io import *  # noqa: F401,F403
