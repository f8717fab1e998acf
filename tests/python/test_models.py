"""ember.models: the built-in models build, take their documented input shapes and give
log-probabilities of num_classes classes."""

import numpy as np
import pytest

import ember
from ember import models

SHAPES = {"lenet5": (1, 28, 28), "bigdl-cnn": (3, 112, 112), "vgg16-cifar": (3, 32, 32), "resnet20-cifar": (3, 32, 32)}


def test_model_names_and_input_shapes():
    assert models.model_names() == list(SHAPES)
    for name, shape in SHAPES.items():
        assert models.model_input_shape(name) == shape
    with pytest.raises(ValueError, match="lenet5"):
        models.make_model("alexnet")


@pytest.mark.parametrize("name", list(SHAPES))
def test_make_model_forward_gives_log_probabilities(name, rng):
    model = models.make_model(name, num_classes=7)
    x = rng.standard_normal((2,) + SHAPES[name]).astype(np.float32)
    y = np.asarray(model(x))
    assert y.shape == (2, 7) and y.dtype == np.float32
    np.testing.assert_allclose(np.exp(y).sum(axis=1), 1.0, rtol=1e-4)


@pytest.mark.parametrize("fn,shape", [(models.lenet5, (1, 28, 28)), (models.resnet20_cifar, (3, 32, 32))])
def test_functions_and_options(fn, shape, rng):
    assert "Input float32 [N, %d, %d, %d]" % shape in fn.__doc__ and "num_classes" in fn.__doc__
    y = fn(num_classes=4)(rng.standard_normal((3,) + shape).astype(np.float32))
    assert y.shape == (3, 4)
    gray = models.resnet20_cifar(in_channels=1)
    assert gray(np.zeros((1, 1, 32, 32), np.float32)).shape == (1, 10)
    with pytest.raises(ValueError):
        models.lenet5()(np.zeros((1, 3, 28, 28), np.float32))  # wrong channel count
