"""ember.data: samples, data sets, the data loader, transformers, image ops and dataset readers.

The C++ floor ember/data, bound with NumPy in mind: arrays are shared with Ember, not copied
(``ArrayDataSet(np_features, np_labels)`` views them), and every result is an :class:`ember.Tensor`
that ``np.asarray`` views without a copy.

* :class:`Sample` (features, labels), :class:`MiniBatch` (input, target, size), :func:`collate`.
* :class:`DataSet` (subclass it in Python with ``__len__``/``__getitem__``), :class:`ArrayDataSet`,
  :class:`ImageFolder`; readers :func:`read_idx`, :func:`load_mnist`, :func:`load_fashion_mnist`,
  :func:`load_cifar10` (they return ArrayDataSets: ``ds.features``/``ds.labels``).
* :class:`DataLoader`: a Python iterator of :class:`MiniBatch` (``for x, y in loader``), deterministic
  for a seed whatever ``num_workers``; waiting for a batch releases the GIL.
* :class:`Transformer` (subclass it in Python with ``apply(sample, generator)``), :class:`Lambda`,
  :class:`Chain` (``a >> b``), and the image transformers Resize, CenterCrop, RandomCrop,
  HorizontalFlip, RandomHorizontalFlip, ToTensor, Normalize, ColorJitter, RandomAffine,
  RandomRotation, RandomShear, RandomZoom, RandomTranslate.
* :mod:`ember.data.image`: the image functions (resize, crop, pad, center_crop, hflip, to_tensor,
  normalize, affine, affine_warp, adjust_*) and codecs (decode_image, encode_png, encode_jpeg, ...).

Image layout: uint8 [H, W, C] as decoded; float [C, H, W] after ToTensor.

Example::

    import numpy as np
    from ember import data
    train = data.load_mnist("data/mnist")                      # ArrayDataSet, 60000 samples
    loader = data.DataLoader(train, batch_size=128, shuffle=True, seed=1)
    for x, y in loader:                                        # x float32 [128, 1, 28, 28], y int64 [128]
        ...
"""

import sys as _sys

from ._ember.data import *  # noqa: F401,F403
from ._ember.data import image  # noqa: F401

# `import ember.data.image` / `from ember.data.image import resize` work like a real subpackage.
_sys.modules[__name__ + ".image"] = image


# Samples pickle (an RDD of Samples reaches ember.spark's executors this way): the tensors travel as
# NumPy arrays and are rebuilt as the same features and labels.
def _rebuild_sample(features, labels):
    return Sample(features, labels)  # noqa: F405


def _reduce_sample(s):
    import numpy as _np
    return _rebuild_sample, ([_np.array(_np.asarray(t)) for t in s.features],
                             [_np.array(_np.asarray(t)) for t in s.labels])


import copyreg as _copyreg  # noqa: E402
_copyreg.pickle(Sample, _reduce_sample)  # noqa: F405


# Transformers pickle (ember.spark ships them to the executors; ember.spark.ml saves them with a stage):
# built-in ones are rebuilt from their class name and config(), chains from their two halves, a Lambda from
# its name and function (a lambda needs cloudpickle, which Spark uses), and Python subclasses from their
# class and instance __dict__.
from ._ember import data as _core  # noqa: E402


def _rebuild_transformer(name, config):
    return getattr(_core, name)(**config)


def _rebuild_python_transformer(cls, state):
    base = next(c for c in cls.__mro__ if c.__module__ == _core.__name__)
    t = cls.__new__(cls)
    base.__init__(t)
    t.__dict__.update(state)
    return t


def _reduce_transformer(t):
    cls = type(t)
    if cls is Chain:  # noqa: F405
        return Chain, (t.first, t.second)  # noqa: F405
    if cls is Lambda:  # noqa: F405
        if t.fn is None:
            raise TypeError(f"[data.Lambda] cannot pickle {t!r}: it was made in C++")
        return Lambda, (repr(t), t.fn)  # noqa: F405
    if cls.__module__ == _core.__name__:
        return _rebuild_transformer, (cls.__name__, t.config())
    if any(c.__module__ == _core.__name__ and c not in (Transformer, ImageTransformer) for c in cls.__mro__):  # noqa: F405
        raise TypeError(f"[data.Transformer] cannot pickle {cls.__name__}: a Python subclass of a built-in "
                        "transformer; subclass Transformer or ImageTransformer instead")
    return _rebuild_python_transformer, (cls, dict(t.__dict__))


Transformer.__reduce__ = _reduce_transformer  # noqa: F405
