"""Shared fixtures for the pytest suite. The suite tests the installed package (scripts/test runs
`pip install .` first); set PYTHONPATH=python to test an in-place development build instead."""

import os
import pathlib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def mnist_dir():
    d = DATA / "mnist"
    if not (d / "train-images-idx3-ubyte").exists() and not (d / "train-images-idx3-ubyte.gz").exists():
        pytest.skip("MNIST not fetched (scripts/fetch-data)")
    return d


@pytest.fixture(scope="session")
def fashion_mnist_dir():
    d = DATA / "fashion-mnist"
    if not d.exists() or not any(d.iterdir()):
        pytest.skip("Fashion-MNIST not installed (Debian dataset-fashion-mnist)")
    return d


os.environ.setdefault("EMBER_NUM_THREADS", "2")
