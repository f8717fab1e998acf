"""The package itself: import, zero-copy NumPy round trip, exceptions, `python -m ember`."""

import subprocess
import sys

import numpy as np
import pytest

import ember


def test_from_numpy_shares_memory_both_ways():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = ember.from_numpy(a)
    b = np.asarray(t)
    b[1, 2] = 42.0
    assert a[1, 2] == 42.0
    a[0, 0] = -1.0
    assert np.asarray(t)[0, 0] == -1.0


def test_shape_error_is_value_error_with_context():
    lin = ember.nn.create("nn.Linear", in_features=3, out_features=2)
    with pytest.raises(ValueError, match=r"\[nn.Linear\] input feature size mismatch"):
        lin(np.zeros((2, 4), np.float32))


def test_unsupported_dtype_is_type_error():
    with pytest.raises(TypeError, match="unsupported dtype float16"):
        ember.from_numpy(np.zeros(3, np.float16))


def test_python_m_ember_runs_the_cli():
    r = subprocess.run([sys.executable, "-m", "ember", "info", "/nonexistent.ember"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "does not exist" in r.stderr


def test_module_loads_the_openmp_build_of_openblas():
    # The pthreads OpenBLAS (the usual libopenblas.so.0 alternative) starts a second spinning thread pool
    # beside OpenMP's and made training ~1.7x slower; the module's RPATH pins the OpenMP build.
    with open("/proc/self/maps") as f:
        blas = {line.split()[-1] for line in f if "libopenblas" in line}
    assert blas, "libopenblas is not loaded"
    assert all("openblas-openmp" in path for path in blas), blas
