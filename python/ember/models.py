"""ember.models: the built-in models (BigDL's model zoo), untrained, in training mode.

=================  =======================  ===========================================
function           name for make_model      input (one batch)
=================  =======================  ===========================================
lenet5()           "lenet5"                 float32 [N, 1, 28, 28] (MNIST)
bigdl_cnn()        "bigdl-cnn"              float32 [N, 3, 112, 112]
vgg16_cifar()      "vgg16-cifar"            float32 [N, 3, 32, 32] (CIFAR-10)
resnet20_cifar()   "resnet20-cifar"         float32 [N, 3, 32, 32] (CIFAR-10)
=================  =======================  ===========================================

Every model takes ``num_classes`` (default 10; the output is log-probabilities [N, num_classes])
and ``in_channels`` (0: the usual value above). ``model_names()`` lists the names,
``model_input_shape(name)`` gives (C, H, W).

Example::

    import numpy as np, ember
    model = ember.models.lenet5(num_classes=10)
    logp = model(np.zeros((4, 1, 28, 28), np.float32))   # ember.Tensor [4, 10]
"""

from ._ember.models import *  # noqa: F401,F403
from ._ember.models import make_model, model_input_shape, model_names  # noqa: F401

__all__ = ["lenet5", "bigdl_cnn", "vgg16_cifar", "resnet20_cifar", "make_model", "model_names", "model_input_shape"]
