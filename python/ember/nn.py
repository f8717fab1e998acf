"""ember.nn: modules, containers, layers, criteria and init methods (the C++ floor ember/nn).

Every registered layer and criterion is a class named like its C++ class, constructed with the
C++ options fields as positional (in order) or keyword arguments::

    from ember import nn
    model = nn.Sequential(nn.Conv2d(1, 6, kernel_size=5), nn.Tanh(), nn.MaxPool2d(2),
                          nn.Reshape([6 * 12 * 12]), nn.Linear(6 * 12 * 12, 10), nn.LogSoftMax())
    y = model(x)                          # x: NumPy [N, 1, 28, 28]; y: ember.Tensor (view, see forward)
    labels = model.predict_class(x)       # int64 [N], from 0

Python subclasses of :class:`Module` and :class:`Criterion` define ``update_output`` /
``update_grad_input`` (and ``acc_grad_parameters`` with parameters from ``register_parameter``).

BigDL compatibility: BigDL's layer names whose Ember class is named differently
(``SpatialConvolution``, ``SpatialMaxPooling``, ``LookupTable``, ``Model``, ...) are factories
taking BigDL's positional arguments and returning the Ember layer, so BigDL model code runs
unchanged and ``isinstance(layer, SpatialConvolution)`` tests against the Ember class. Names that
BigDL and Ember share (``Linear``, ``Reshape``, ``Tanh``, ``ClassNLLCriterion``, ...) are the Ember
classes, whose positional arguments follow BigDL's order. Differences to keep in mind: indices and
dimensions count from 0 (``JoinTable``, ``Concat``, ``Narrow``, ``Select``, ``SelectTable``,
``LookupTable`` indices, ``ClassNLLCriterion`` targets), as in PyTorch; BigDL counted from 1.
"""

import inspect as _inspect
import typing as _typing

import numpy as _np

from ._ember.nn import *  # noqa: F401,F403
from ._ember.nn import (  # noqa: F401
    AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, ConvTranspose2d, Embedding, GlobalAvgPool2d, Graph, Identity,
    MaxPool2d, Module, Regularizer, UpSampling2d, Const,
)

__all__ = [n for n in dir() if not n.startswith("_")]


# ---- Module conveniences (BigDL) --------------------------------------------------------------

def _update_parameters(self, learning_rate):
    """w -= learning_rate * grad for every parameter (BigDL: update_parameters). Returns self."""
    for w, g in zip(self.parameters(), self.gradients()):
        wa = _np.asarray(w)
        wa -= learning_rate * _np.asarray(g)
    return self


Module.update_parameters = _update_parameters


# ---- Spark DataFrames: predict / predict_class / evaluate run as Spark stages (ember.spark) ------------

def _is_dataframe(x):
    # A PySpark DataFrame (classic or Connect), recognised without importing pyspark (as ember.spark's
    # is_dataframe): NumPy arrays and tensors never import it.
    return any(c.__name__ == "DataFrame" and c.__module__.startswith("pyspark.sql") for c in type(x).__mro__)

_native_predict, _native_predict_class, _native_evaluate = Module.predict, Module.predict_class, Module.evaluate


def _predict(self, x: _typing.Any, batch_size: int = 32, **kwargs: _typing.Any) -> _typing.Any:
    """predict(x, batch_size=32) -> NumPy array [N, ...]: runs the model on ``x`` [N, ...] in batches in
    evaluation mode (the mode is restored afterwards); the GIL is released.

    predict(df, features_col="features", feature_shape=None, batch_size=32, output_col="prediction") on a
    Spark DataFrame -> the DataFrame with the outputs in ``output_col`` (see ember.spark.predict)."""
    if _is_dataframe(x):
        from . import spark
        return spark.predict(self, x, batch_size=batch_size, **kwargs)
    return _native_predict(self, x, batch_size, **kwargs)


def _predict_class(self, x: _typing.Any, batch_size: int = 32, **kwargs: _typing.Any) -> _typing.Any:
    """predict_class(x, batch_size=32) -> int64 [N]: the argmax of predict(x) over the classes, from 0.

    On a Spark DataFrame: the DataFrame with a bigint column ``output_col`` (see ember.spark.predict_class)."""
    if _is_dataframe(x):
        from . import spark
        return spark.predict_class(self, x, batch_size=batch_size, **kwargs)
    return _native_predict_class(self, x, batch_size, **kwargs)


def _evaluate(self, *args: _typing.Any, **kwargs: _typing.Any) -> _typing.Any:
    """evaluate() -> self: evaluation mode (BigDL). evaluate(x, y=None, methods=None, batch_size=32) ->
    [ValidationResult]: see ember.optim.evaluate; also BigDL's evaluate(data, batch_size, methods).

    evaluate(df, methods=None, features_col="features", label_col="label", feature_shape=None,
    batch_size=32) on a Spark DataFrame (also BigDL's order evaluate(df, batch_size, methods)): a Spark
    job; the merged [ValidationResult] (see ember.spark.evaluate)."""
    if args and _is_dataframe(args[0]):
        from . import spark
        df, rest = args[0], list(args[1:])
        if rest and isinstance(rest[0], int) and not isinstance(rest[0], bool):
            kwargs["batch_size"] = rest.pop(0)
        if len(rest) > 1:
            raise TypeError("[Module.evaluate] on a DataFrame: evaluate(df, methods, features_col=..., "
                            "label_col=..., feature_shape=..., batch_size=...); pass the columns by keyword")
        if rest:
            kwargs["methods"] = rest[0]
        return spark.evaluate(self, df, **kwargs)
    return _native_evaluate(self, *args, **kwargs)


for _f, _name in ((_predict, "predict"), (_predict_class, "predict_class"), (_evaluate, "evaluate")):
    _f.__name__, _f.__doc__ = _name, _inspect.cleandoc(_f.__doc__)
del _f, _name
Module.predict, Module.predict_class, Module.evaluate = _predict, _predict_class, _evaluate


# ---- BigDL aliases ----------------------------------------------------------------------------

class _AliasMeta(type):
    """Metaclass of BigDL-named factories: calling builds the Ember layer; isinstance and issubclass
    test against the Ember class."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls._ember_class)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, cls._ember_class)

    def __repr__(cls):
        return f"<BigDL alias {cls.__name__} of ember.nn.{cls._ember_class.__name__}>"


def _bigdl_extras(module, w_regularizer=None, b_regularizer=None, init_weight=None, init_bias=None,
                  propagate_back=True):
    if w_regularizer is not None:
        module.set_regularizer("weight", w_regularizer)
    if b_regularizer is not None:
        module.set_regularizer("bias", b_regularizer)
    for name, value in (("weight", init_weight), ("bias", init_bias)):
        if value is not None:
            target = _np.asarray(getattr(module, name))
            value = _np.asarray(value, dtype=target.dtype)
            if value.size != target.size:
                raise ValueError(f"[{module.type_name}] init_{name}: expected {target.size} values "
                                 f"(shape {list(target.shape)}), got shape {list(value.shape)}")
            target[...] = value.reshape(target.shape)
    if not propagate_back:
        module.set_propagate_back(False)
    return module


def _check_format(where, fmt):
    if str(fmt).upper() != "NCHW":
        raise ValueError(f"[{where}] data format {fmt!r} is not supported: expected 'NCHW' (permute NHWC input)")


class SpatialConvolution(metaclass=_AliasMeta):
    """BigDL's SpatialConvolution(n_input_plane, n_output_plane, kernel_w, kernel_h, stride_w=1,
    stride_h=1, pad_w=0, pad_h=0, n_group=1, propagate_back=True, wRegularizer=None,
    bRegularizer=None, init_weight=None, init_bias=None, ..., with_bias=True, data_format="NCHW"):
    an ember.nn.Conv2d. BigDL's pad -1 ("SAME") is not supported."""
    _ember_class = Conv2d

    def __new__(cls, n_input_plane, n_output_plane, kernel_w, kernel_h, stride_w=1, stride_h=1, pad_w=0,
                pad_h=0, n_group=1, propagate_back=True, wRegularizer=None, bRegularizer=None, init_weight=None,
                init_bias=None, init_grad_weight=None, init_grad_bias=None, with_bias=True, data_format="NCHW",
                bigdl_type="float"):
        _check_format("SpatialConvolution", data_format)
        if pad_w < 0 or pad_h < 0:
            raise ValueError("[SpatialConvolution] padding -1 (SAME) is not supported: expected explicit "
                             f"non-negative padding, got pad_w={pad_w}, pad_h={pad_h}")
        conv = Conv2d(n_input_plane, n_output_plane, kernel_size=(kernel_h, kernel_w), stride=(stride_h, stride_w),
                      padding=(pad_h, pad_w), groups=n_group, bias=with_bias)
        return _bigdl_extras(conv, wRegularizer, bRegularizer, init_weight, init_bias, propagate_back)


class SpatialShareConvolution(SpatialConvolution):
    """BigDL's SpatialShareConvolution (same arguments as SpatialConvolution): an ember.nn.Conv2d."""


class SpatialDilatedConvolution(metaclass=_AliasMeta):
    """BigDL's SpatialDilatedConvolution(n_input_plane, n_output_plane, kw, kh, dw=1, dh=1, pad_w=0,
    pad_h=0, dilation_w=1, dilation_h=1, wRegularizer=None, bRegularizer=None): an ember.nn.Conv2d."""
    _ember_class = Conv2d

    def __new__(cls, n_input_plane, n_output_plane, kw, kh, dw=1, dh=1, pad_w=0, pad_h=0, dilation_w=1,
                dilation_h=1, wRegularizer=None, bRegularizer=None, bigdl_type="float"):
        conv = Conv2d(n_input_plane, n_output_plane, kernel_size=(kh, kw), stride=(dh, dw), padding=(pad_h, pad_w),
                      dilation=(dilation_h, dilation_w))
        return _bigdl_extras(conv, wRegularizer, bRegularizer)


class SpatialFullConvolution(metaclass=_AliasMeta):
    """BigDL's SpatialFullConvolution(n_input_plane, n_output_plane, kw, kh, dw=1, dh=1, pad_w=0, pad_h=0,
    adj_w=0, adj_h=0, n_group=1, no_bias=False, wRegularizer=None, bRegularizer=None): an
    ember.nn.ConvTranspose2d."""
    _ember_class = ConvTranspose2d

    def __new__(cls, n_input_plane, n_output_plane, kw, kh, dw=1, dh=1, pad_w=0, pad_h=0, adj_w=0, adj_h=0,
                n_group=1, no_bias=False, wRegularizer=None, bRegularizer=None, bigdl_type="float"):
        conv = ConvTranspose2d(n_input_plane, n_output_plane, kernel_size=(kh, kw), stride=(dh, dw),
                               padding=(pad_h, pad_w), output_padding=(adj_h, adj_w), groups=n_group,
                               bias=not no_bias)
        return _bigdl_extras(conv, wRegularizer, bRegularizer)


class SpatialMaxPooling(metaclass=_AliasMeta):
    """BigDL's SpatialMaxPooling(kw, kh, dw=1, dh=1, pad_w=0, pad_h=0, to_ceil=False, format="NCHW"):
    an ember.nn.MaxPool2d."""
    _ember_class = MaxPool2d

    def __new__(cls, kw, kh, dw=1, dh=1, pad_w=0, pad_h=0, to_ceil=False, format="NCHW", bigdl_type="float"):
        _check_format("SpatialMaxPooling", format)
        return MaxPool2d(kernel_size=(kh, kw), stride=(dh, dw), padding=(pad_h, pad_w), ceil_mode=to_ceil)


class SpatialAveragePooling(metaclass=_AliasMeta):
    """BigDL's SpatialAveragePooling(kw, kh, dw=1, dh=1, pad_w=0, pad_h=0, global_pooling=False,
    ceil_mode=False, count_include_pad=True, divide=True, format="NCHW"): an ember.nn.AvgPool2d
    (a GlobalAvgPool2d with global_pooling=True)."""
    _ember_class = AvgPool2d

    def __new__(cls, kw, kh, dw=1, dh=1, pad_w=0, pad_h=0, global_pooling=False, ceil_mode=False,
                count_include_pad=True, divide=True, format="NCHW", bigdl_type="float"):
        _check_format("SpatialAveragePooling", format)
        if not divide:
            raise ValueError("[SpatialAveragePooling] divide=False (sum pooling) is not supported")
        if global_pooling:
            return GlobalAvgPool2d()
        return AvgPool2d(kernel_size=(kh, kw), stride=(dh, dw), padding=(pad_h, pad_w), ceil_mode=ceil_mode,
                         count_include_pad=count_include_pad)


class SpatialBatchNormalization(metaclass=_AliasMeta):
    """BigDL's SpatialBatchNormalization(n_output, eps=1e-5, momentum=0.1, affine=True, init_weight=None,
    init_bias=None, ...): an ember.nn.BatchNorm2d."""
    _ember_class = BatchNorm2d

    def __new__(cls, n_output, eps=1e-5, momentum=0.1, affine=True, init_weight=None, init_bias=None,
                init_grad_weight=None, init_grad_bias=None, data_format="NCHW", bigdl_type="float"):
        _check_format("SpatialBatchNormalization", data_format)
        bn = BatchNorm2d(n_output, eps=eps, momentum=momentum, affine=affine)
        return _bigdl_extras(bn, init_weight=init_weight, init_bias=init_bias)


class BatchNormalization(metaclass=_AliasMeta):
    """BigDL's BatchNormalization(n_output, eps=1e-5, momentum=0.1, affine=True, ...): an
    ember.nn.BatchNorm1d."""
    _ember_class = BatchNorm1d

    def __new__(cls, n_output, eps=1e-5, momentum=0.1, affine=True, init_weight=None, init_bias=None,
                init_grad_weight=None, init_grad_bias=None, bigdl_type="float"):
        bn = BatchNorm1d(n_output, eps=eps, momentum=momentum, affine=affine)
        return _bigdl_extras(bn, init_weight=init_weight, init_bias=init_bias)


class LookupTable(metaclass=_AliasMeta):
    """BigDL's LookupTable(n_index, n_output, padding_value=0, max_norm=inf, norm_type=2.0,
    should_scale_grad_by_freq=False, wRegularizer=None): an ember.nn.Embedding. Indices count from 0
    in Ember (BigDL: from 1); padding_value 0 means none here (BigDL's default, which cannot name
    row 0 in 1-based indexing), else the 0-based row that stays zero."""
    _ember_class = Embedding

    def __new__(cls, n_index, n_output, padding_value=0, max_norm=float("inf"), norm_type=2.0,
                should_scale_grad_by_freq=False, wRegularizer=None, bigdl_type="float"):
        emb = Embedding(n_index, n_output, padding_idx=int(padding_value) if padding_value else -1,
                        max_norm=0.0 if max_norm == float("inf") or max_norm > 1e300 else float(max_norm),
                        norm_type=norm_type, scale_grad_by_freq=should_scale_grad_by_freq)
        return _bigdl_extras(emb, wRegularizer)


class UpSampling2D(metaclass=_AliasMeta):
    """BigDL's UpSampling2D(size, data_format="nchw"): an ember.nn.UpSampling2d."""
    _ember_class = UpSampling2d

    def __new__(cls, size, data_format="nchw", bigdl_type="float"):
        _check_format("UpSampling2D", data_format)
        return UpSampling2d(size)


class Contiguous(metaclass=_AliasMeta):
    """BigDL's Contiguous(): an ember.nn.Identity (layers accept strided input)."""
    _ember_class = Identity

    def __new__(cls, bigdl_type="float"):
        return Identity()


class Model(metaclass=_AliasMeta):
    """BigDL's Model(inputs, outputs): an ember.nn.Graph built from nodes."""
    _ember_class = Graph

    def __new__(cls, inputs, outputs, bigdl_type="float"):
        return Graph(inputs, outputs)


# Init methods and regularizers under BigDL's names.
ConstInitMethod = Const


def L1Regularizer(l1):
    """BigDL's L1Regularizer(l1): an ember.nn.Regularizer(l1=l1)."""
    return Regularizer(l1=l1)


def L2Regularizer(l2):
    """BigDL's L2Regularizer(l2): an ember.nn.Regularizer(l2=l2)."""
    return Regularizer(l2=l2)


def L1L2Regularizer(l1, l2):
    """BigDL's L1L2Regularizer(l1, l2): an ember.nn.Regularizer."""
    return Regularizer(l1=l1, l2=l2)


#: BigDL name -> Ember class, for every BigDL layer, criterion or init method with an Ember equivalent.
BIGDL_NAMES = {
    "SpatialConvolution": "Conv2d", "SpatialShareConvolution": "Conv2d", "SpatialDilatedConvolution": "Conv2d",
    "SpatialFullConvolution": "ConvTranspose2d", "SpatialMaxPooling": "MaxPool2d",
    "SpatialAveragePooling": "AvgPool2d", "SpatialBatchNormalization": "BatchNorm2d",
    "BatchNormalization": "BatchNorm1d", "LookupTable": "Embedding", "UpSampling2D": "UpSampling2d",
    "Contiguous": "Identity", "Model": "Graph", "ConstInitMethod": "Const",
    # same names in BigDL and Ember
    **{n: n for n in (
        "Linear", "Reshape", "View", "LogSoftMax", "SoftMax", "ReLU", "ReLU6", "Tanh", "Sigmoid", "Dropout",
        "JoinTable", "SplitTable", "SelectTable", "CAddTable", "CMulTable", "FlattenTable", "Identity", "Narrow",
        "Select", "Squeeze", "Unsqueeze", "Transpose", "Padding", "SpatialZeroPadding", "SpatialCrossMapLRN",
        "LeakyReLU", "PReLU", "ELU", "HardTanh", "SoftPlus", "SoftSign", "Add", "Mul", "CAdd", "CMul",
        "AddConstant", "MulConstant", "Sequential", "Concat", "ConcatTable", "ParallelTable", "MapTable", "Graph",
        "Input", "ClassNLLCriterion", "CrossEntropyCriterion", "MSECriterion", "AbsCriterion", "BCECriterion",
        "SmoothL1Criterion", "MarginCriterion", "DistKLDivCriterion", "CosineEmbeddingCriterion",
        "MultiLabelSoftMarginCriterion", "MultiCriterion", "ParallelCriterion", "Zeros", "Ones", "RandomUniform",
        "RandomNormal", "Xavier", "MsraFiller", "BilinearFiller")},
}

__all__ += [
    "SpatialConvolution", "SpatialShareConvolution", "SpatialDilatedConvolution", "SpatialFullConvolution",
    "SpatialMaxPooling", "SpatialAveragePooling", "SpatialBatchNormalization", "BatchNormalization", "LookupTable",
    "UpSampling2D", "Contiguous", "Model", "ConstInitMethod", "L1Regularizer", "L2Regularizer", "L1L2Regularizer",
    "BIGDL_NAMES",
]
