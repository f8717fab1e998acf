#!/usr/bin/env python3
"""Checks that TensorBoard itself reads Ember's event files.

Usage: check_tensorboard_events.py <path to ember_write_events>

Runs the writer into a temporary directory and reads the result with TensorBoard's
EventAccumulator, asserting tags, steps, float32 values and the histogram statistics that
tests/cpp/summary/tools/write_events_main.cpp documents. Exits 77 (ctest: skipped) when
tensorboard or numpy cannot be imported.
"""
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from tensorboard.backend.event_processing import event_accumulator as ea
except ImportError as e:  # pragma: no cover - depends on the environment
    print(f"skipping: {e}")
    sys.exit(77)


def load(path):
    acc = ea.EventAccumulator(path, size_guidance={ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.TENSORS: 0})
    acc.Reload()
    return acc


def check_scalars(acc, tag, expected):
    events = acc.Scalars(tag)
    steps = [e.step for e in events]
    assert steps == sorted(expected), f"{tag}: steps {steps}, expected {sorted(expected)}"
    for e in events:
        want = np.float32(expected[e.step])
        assert np.float32(e.value) == want, f"{tag} at step {e.step}: {e.value!r}, expected {want!r}"
        assert e.wall_time > 1.6e9, f"{tag} at step {e.step}: wall_time {e.wall_time}"


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    log_dir = tempfile.mkdtemp(prefix="ember_tb_")
    try:
        subprocess.run([sys.argv[1], log_dir], check=True)
        train = load(os.path.join(log_dir, "app", "train"))
        tags = train.Tags()
        assert sorted(tags["scalars"]) == ["LearningRate", "Loss"], tags
        assert tags["histograms"] == ["fc.weight"], tags
        check_scalars(train, "Loss", {s: 1.0 / s for s in range(1, 21)})
        check_scalars(train, "LearningRate", {s: 0.1 * 0.5**s for s in range(1, 21)})

        (h,) = train.Histograms("fc.weight")
        values = ((np.arange(100) - 50) / 8.0).astype(np.float32).astype(np.float64)
        hv = h.histogram_value
        assert h.step == 20, h.step
        assert hv.num == 100, hv.num
        assert hv.min == values.min() and hv.max == values.max(), (hv.min, hv.max)
        assert hv.sum == values.sum(), (hv.sum, values.sum())
        assert abs(hv.sum_squares - (values**2).sum()) < 1e-9, hv.sum_squares
        assert sum(hv.bucket) == 100, sum(hv.bucket)
        assert len(hv.bucket) == len(hv.bucket_limit)
        assert all(a < b for a, b in zip(hv.bucket_limit, hv.bucket_limit[1:]))
        # Every value lies in its bucket [previous limit, limit).
        limits = np.array(hv.bucket_limit)
        counts = np.zeros(len(limits))
        for v in values:
            counts[np.searchsorted(limits, v, side="right")] += 1
        assert list(counts) == list(hv.bucket), "bucket counts differ from the limits"

        val = load(os.path.join(log_dir, "app", "validation"))
        assert val.Tags()["scalars"] == ["Top1Accuracy"], val.Tags()
        check_scalars(val, "Top1Accuracy", {s: 0.5 + 0.01 * s for s in (5, 10, 15, 20)})
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)
    print("tensorboard reads Ember's event files: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
