"""ember.summary: TensorBoard summaries (see the C++ floor ember/summary; BigDL: TrainSummary,
ValidationSummary).

``read_scalar(tag)`` returns a NumPy structured array with fields ``step`` (int64), ``value`` (float32)
and ``wall_time`` (float64, seconds since the Unix epoch), sorted by step. BigDL returned rows
``[step, value, wall_time]``; ``np.column_stack([a["step"], a["value"], a["wall_time"]])`` gives that
layout, and ``a.tolist()`` gives BigDL's list of tuples.

Example::

    from ember import summary, optim
    train = summary.TrainSummary("runs", "lenet")
    opt.set_train_summary(train).optimize()
    loss = train.read_scalar("Loss")          # loss["step"], loss["value"]
"""

from ._ember.summary import *  # noqa: F401,F403
