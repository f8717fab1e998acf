"""
Modules, containers, layers, criteria and init methods.
"""
from __future__ import annotations
import collections.abc
import ember._ember
import numpy
import typing
__all__: list[str] = ['AbsCriterion', 'AdaptiveAvgPool2d', 'Add', 'AddConstant', 'AvgPool2d', 'BCECriterion', 'BCEWithLogitsCriterion', 'BatchNorm1d', 'BatchNorm2d', 'BilinearFiller', 'CAdd', 'CAddTable', 'CMul', 'CMulTable', 'ClassNLLCriterion', 'Concat', 'ConcatTable', 'Const', 'Container', 'Conv1d', 'Conv2d', 'ConvTranspose2d', 'CosineEmbeddingCriterion', 'Criterion', 'CrossEntropyCriterion', 'DistKLDivCriterion', 'Dropout', 'ELU', 'Embedding', 'Flatten', 'FlattenTable', 'GlobalAvgPool2d', 'Graph', 'HardTanh', 'Identity', 'InitMethod', 'Input', 'JoinTable', 'LayerNorm', 'LeakyReLU', 'Linear', 'LogSoftMax', 'MSECriterion', 'MapTable', 'MarginCriterion', 'MaxPool2d', 'Module', 'MsraFiller', 'Mul', 'MulConstant', 'MultiCriterion', 'MultiLabelSoftMarginCriterion', 'Narrow', 'Node', 'Ones', 'PReLU', 'Padding', 'ParallelCriterion', 'ParallelTable', 'Parameter', 'RandomNormal', 'RandomUniform', 'ReLU', 'ReLU6', 'Regularizer', 'Reshape', 'Select', 'SelectTable', 'Sequential', 'Sigmoid', 'SmoothL1Criterion', 'SoftMax', 'SoftPlus', 'SoftSign', 'SpatialCrossMapLRN', 'SpatialZeroPadding', 'SplitTable', 'Squeeze', 'Tanh', 'Transpose', 'Unsqueeze', 'UpSampling2d', 'View', 'Xavier', 'Zeros', 'create', 'create_criterion', 'criterion_types', 'module_types']
class Regularizer:
    """
    L1/L2 penalty of one parameter: l1 * |w|_1 + l2/2 * |w|^2 (BigDL: L1L2Regularizer). Set with module.set_regularizer('weight', Regularizer(l2=1e-4)).
    """
    __hash__: typing.ClassVar[None] = None
    def __eq__(self, arg0: Regularizer) -> bool:
        ...
    def __init__(self, l1: typing.SupportsFloat | typing.SupportsIndex = 0.0, l2: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def active(self) -> bool:
        ...
    @property
    def l1(self) -> float:
        ...
    @l1.setter
    def l1(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def l2(self) -> float:
        ...
    @l2.setter
    def l2(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
class InitMethod:
    """
    Base of the init methods for weights and biases (set_init_method).
    """
    def __repr__(self) -> str:
        ...
class Node:
    """
    A vertex of a Graph: nn.Input() or a module applied to nodes (`nn.Linear(4, 2)(x)`).
    """
    def __repr__(self) -> str:
        ...
    @property
    def inputs(self) -> list[Node]:
        """
        The nodes whose outputs this node consumes.
        """
    @property
    def is_input(self) -> bool:
        ...
    @property
    def module(self) -> Module:
        """
        The module (None for an input placeholder).
        """
    @property
    def name(self) -> str:
        ...
class Parameter:
    """
    A parameter (or buffer) of a Python module, returned by Module.register_parameter.
    
    `value` and `grad` are NumPy arrays sharing the C++ tensors' memory, looked up on each access, so they stay current after get_parameters() (which moves every parameter into one flat buffer) or to(dtype). Update them in place: `p.grad[...] += g`. The handle does not keep the module alive.
    """
    def __array__(self, dtype: typing.Any = None, copy: typing.Any = None) -> numpy.ndarray:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def dtype(self) -> numpy.dtype[typing.Any]:
        ...
    @property
    def grad(self) -> typing.Any:
        """
        The accumulated gradient (a writable NumPy view; None for a buffer).
        """
    @property
    def name(self) -> str:
        ...
    @property
    def shape(self) -> tuple:
        ...
    @property
    def value(self) -> numpy.ndarray:
        """
        The current value (a writable NumPy view).
        """
class Module:
    """
    Base of every layer and container (Torch7/BigDL contract).
    
    A module computes its output with ``forward(input)`` and, for training, ``backward(input,
    grad_output)`` (gradient w.r.t. the input, and parameter gradients accumulated until
    ``zero_grad_parameters()``). Inputs are NumPy arrays or ember.Tensors (lists for tables).
    
    Subclass it in Python by defining ``update_output(self, input)`` (and, to train through it,
    ``update_grad_input(self, input, grad_output)``; with parameters also ``acc_grad_parameters(self,
    input, grad_output)``). The overrides receive read-only NumPy views and return arrays of the
    input's float dtype. Parameters are registered with ``register_parameter(name, value)``::
    
        class Scale(ember.nn.Module):
            def __init__(self, n):
                super().__init__()
                self.w = self.register_parameter("weight", np.ones(n, np.float32))
            def update_output(self, x):
                return x * self.w.value
            def update_grad_input(self, x, g):
                return g * self.w.value
            def acc_grad_parameters(self, x, g):
                self.w.grad[...] += (x * g).sum(axis=0)
    """
    def __call__(self, input: typing.Any) -> typing.Any:
        """
        forward(input); with a Node (or a list of Nodes) builds a Graph node instead: `y = nn.Linear(4, 2)(x)`.
        """
    def __getattr__(self, arg0: str) -> typing.Any:
        """
        Own parameters and buffers by name (fc.weight, bn.running_mean: Tensors sharing memory) and named children by key.
        """
    def __getstate__(self) -> bytes:
        """
        The model file (.ember format) as bytes.
        """
    def __init__(self) -> None:
        """
        Constructs the C++ part of a Python subclass (call super().__init__()).
        """
    def __reduce__(self) -> tuple:
        """
        Pickles through the native model file: options, parameters, buffers, names and flags.
        """
    def __repr__(self) -> str:
        ...
    def acc_grad_parameters(self, input: typing.Any, grad_output: typing.Any) -> None:
        """
        Adds the parameter gradients for (input, grad_output). Python subclasses with parameters override it.
        """
    def backward(self, input: typing.Any, grad_output: typing.Any) -> typing.Any:
        """
        Gradient w.r.t. the input (returned, a view of the module's buffer) and accumulation of the parameter gradients. Call after forward(input).
        """
    def buffers(self) -> list:
        """
        Buffers (running statistics) as Tensors sharing memory.
        """
    def children(self) -> list[Module]:
        """
        The direct children.
        """
    def config(self) -> dict:
        """
        The options as a dict (empty for modules without options).
        """
    def evaluate(self, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        """
        evaluate() -> self: evaluation mode (BigDL). evaluate(x, y=None, methods=None, batch_size=32) ->
        [ValidationResult]: see ember.optim.evaluate; also BigDL's evaluate(data, batch_size, methods).
        
        evaluate(df, methods=None, features_col="features", label_col="label", feature_shape=None,
        batch_size=32) on a Spark DataFrame (also BigDL's order evaluate(df, batch_size, methods)): a Spark
        job; the merged [ValidationResult] (see ember.spark.evaluate).
        """
    def extra_repr(self) -> str:
        """
        One-line description of the options.
        """
    def find(self, path: str) -> Module:
        """
        The descendant at a dotted path ('features.0'), or None.
        """
    def forward(self, input: typing.Any) -> typing.Any:
        """
        Computes the output for ``input`` (array, Tensor or list for a table); returns an ember.Tensor
        (or a list for a table output).
        
        The result is a view of the module's output buffer (Torch7/BigDL semantics): it is valid until the
        next forward, which overwrites it. Copy it (``np.array(y)``) to keep it. The GIL is released while
        the model runs.
        """
    def freeze(self, names: typing.Any = None) -> typing.Any:
        """
        Freezes the parameters of the named sub-modules (dotted paths, a str or a list), or of the whole module when none are given. Returns self.
        """
    def get_parameters(self) -> tuple[ember._ember.Tensor, ember._ember.Tensor]:
        """
        (flat_weights, flat_grads): every parameter and gradient compacted into two 1-d Tensors.
        
        The module's parameters become views into them, so ``w -= lr * g`` on NumPy views of the two
        trains the model. Calling again returns the same buffers.
        """
    def get_weights(self) -> list:
        """
        Copies of the parameter values as NumPy arrays (BigDL: get_weights).
        """
    def gradients(self) -> list[ember._ember.Tensor]:
        """
        Parameter gradients, in named_parameters() order.
        """
    def inputs(self, *args) -> Node:
        """
        A Graph node applying this module to the given nodes (BigDL: module.inputs(x, y)).
        """
    def named_buffers(self) -> list:
        """
        [(dotted name, Tensor)] for every buffer.
        """
    def named_children(self) -> list[tuple[str, Module]]:
        """
        [(key, module)] for the direct children.
        """
    def named_gradients(self) -> list:
        """
        [(dotted name, gradient Tensor)].
        """
    def named_parameters(self) -> list:
        """
        [(dotted name, Tensor)] for every parameter of this module and its descendants.
        """
    def num_parameters(self) -> int:
        """
        Total number of parameter elements.
        """
    def parameters(self) -> list[ember._ember.Tensor]:
        """
        Parameter values (ember.Tensors sharing memory with the module), in named_parameters() order.
        """
    def predict(self, x: typing.Any, batch_size: int = 32, **kwargs: typing.Any) -> typing.Any:
        """
        predict(x, batch_size=32) -> NumPy array [N, ...]: runs the model on ``x`` [N, ...] in batches in
        evaluation mode (the mode is restored afterwards); the GIL is released.
        
        predict(df, features_col="features", feature_shape=None, batch_size=32, output_col="prediction") on a
        Spark DataFrame -> the DataFrame with the outputs in ``output_col`` (see ember.spark.predict).
        """
    def predict_class(self, x: typing.Any, batch_size: int = 32, **kwargs: typing.Any) -> typing.Any:
        """
        predict_class(x, batch_size=32) -> int64 [N]: the argmax of predict(x) over the classes, from 0.
        
        On a Spark DataFrame: the DataFrame with a bigint column ``output_col`` (see ember.spark.predict_class).
        """
    def register_buffer(self, name: str, value: typing.Any) -> Parameter:
        """
        Registers a buffer (saved state, not trained) of a Python module.
        """
    def register_module(self, key: str, module: Module) -> Module:
        """
        Adds a child to a Python module: its parameters join this module's (named '<key>.weight'). Returns the child.
        """
    def register_parameter(self, name: str, value: typing.Any) -> Parameter:
        """
        Registers a trainable parameter of a Python module: ``value`` (an array) is copied into a C++
        tensor (float32/float64) with a zero gradient. Returns an ember.nn.Parameter whose ``.value`` and
        ``.grad`` are NumPy views of the current tensors; they appear in parameters(), get_parameters()
        and optimizers.
        """
    def regularizer(self, parameter_name: str) -> Regularizer:
        """
        The penalty of one of this module's parameters.
        """
    def reset(self) -> typing.Any:
        """
        Re-initialises the parameters of this module and its descendants. Returns self.
        """
    def save(self, path: typing.Any) -> None:
        """
        Writes this module to a .ember file (see ember.io.save_model).
        """
    def set_init_method(self, weight_init: InitMethod = None, bias_init: InitMethod = None) -> typing.Any:
        """
        Sets the init methods of weights and biases (None keeps the default) and re-initialises. Returns self.
        """
    def set_name(self, name: str) -> typing.Any:
        """
        Sets the name. Returns self.
        """
    def set_propagate_back(self, propagate: bool) -> typing.Any:
        """
        Whether backward computes the gradient w.r.t. the input (BigDL: setPropagateBack). Returns self.
        """
    def set_regularizer(self, parameter_name: str, regularizer: typing.Any = None, l1: typing.SupportsFloat | typing.SupportsIndex = 0.0, l2: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> typing.Any:
        """
        Sets the L1/L2 penalty of one of this module's parameters ('weight', 'bias'): fc.set_regularizer('weight', l2=1e-4). Returns self.
        """
    def set_weights(self, weights: collections.abc.Sequence) -> None:
        """
        Copies arrays into the parameters, in parameters() order (BigDL: set_weights).
        """
    def summary(self, input_shape: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], dtype: typing.Any = None) -> str:
        """
        A table of every module (path, type, output shape, parameters) after a forward pass on zeros of input_shape (batch dimension included), e.g. model.summary([1, 1, 28, 28]).
        """
    def to(self, dtype: typing.Any) -> typing.Any:
        """
        Converts parameters, gradients and buffers to float32 or float64. Returns self.
        """
    def training(self) -> typing.Any:
        """
        Training mode (recursive). Returns self.
        """
    def unfreeze(self, names: typing.Any = None) -> typing.Any:
        """
        Undoes freeze. Returns self.
        """
    def update_grad_input(self, input: typing.Any, grad_output: typing.Any) -> typing.Any:
        """
        Computes the gradient w.r.t. the input. Python subclasses override it.
        """
    def update_output(self, input: typing.Any) -> typing.Any:
        """
        Computes the output (forward without the error context). Python subclasses override it.
        """
    def update_parameters(self, learning_rate):
        """
        w -= learning_rate * grad for every parameter (BigDL: update_parameters). Returns self.
        """
    def zero_grad_parameters(self) -> None:
        """
        Zeroes every gradient.
        """
    @property
    def grad_input(self) -> typing.Any:
        """
        The last gradient w.r.t. the input.
        """
    @property
    def is_training(self) -> bool:
        """
        True in training mode.
        """
    @property
    def name(self) -> str:
        """
        The user-given name ('' when none); containers use it as the child's key.
        """
    @name.setter
    def name(self, arg1: str) -> None:
        ...
    @property
    def output(self) -> typing.Any:
        """
        The last output (a view of the module's buffer).
        """
    @property
    def propagate_back(self) -> bool:
        ...
    @property
    def type_name(self) -> str:
        """
        Serialized type name, e.g. 'nn.Linear' ('py.<ClassName>' for Python subclasses).
        """
class Criterion:
    """
    Base of every loss function.
    
    ``forward(input, target)`` returns the loss (a float); ``backward(input, target)`` the gradient of
    the loss w.r.t. the input. Subclass it in Python by defining ``update_output(self, input, target)``
    (returning a float) and ``update_grad_input(self, input, target)`` (returning an array shaped like
    the input).
    """
    def __call__(self, input: typing.Any, target: typing.Any) -> typing.Any:
        """
        forward(input, target).
        """
    def __init__(self) -> None:
        ...
    def __reduce__(self) -> tuple:
        ...
    def __repr__(self) -> str:
        ...
    def backward(self, input: typing.Any, target: typing.Any) -> typing.Any:
        """
        The gradient of the loss w.r.t. the input (a view of the criterion's buffer).
        """
    def config(self) -> dict:
        ...
    def extra_repr(self) -> str:
        ...
    def forward(self, input: typing.Any, target: typing.Any) -> typing.Any:
        """
        The loss for (input, target).
        """
    def update_grad_input(self, input: typing.Any, target: typing.Any) -> typing.Any:
        ...
    def update_output(self, input: typing.Any, target: typing.Any) -> typing.Any:
        ...
    @property
    def grad_input(self) -> typing.Any:
        ...
    @property
    def output(self) -> float:
        """
        The last loss.
        """
    @property
    def type_name(self) -> str:
        ...
class Zeros(InitMethod):
    """
    All zeros (BigDL: Zeros).
    """
    def __init__(self) -> None:
        ...
class Ones(InitMethod):
    """
    All ones (BigDL: Ones).
    """
    def __init__(self) -> None:
        ...
class Const(InitMethod):
    """
    A constant (BigDL: ConstInitMethod).
    """
    def __init__(self, value: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
class RandomUniform(InitMethod):
    """
    Uniform: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) without bounds (Torch's default), U(lower, upper) with them (BigDL: RandomUniform).
    """
    def __init__(self, lower: typing.Any = None, upper: typing.Any = None) -> None:
        ...
class RandomNormal(InitMethod):
    """
    Normal(mean, stdv) (BigDL: RandomNormal).
    """
    def __init__(self, mean: typing.SupportsFloat | typing.SupportsIndex = 0.0, stdv: typing.SupportsFloat | typing.SupportsIndex = 1.0) -> None:
        ...
class Xavier(InitMethod):
    """
    Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)).
    """
    def __init__(self) -> None:
        ...
class MsraFiller(InitMethod):
    """
    He/MSRA normal: N(0, sqrt(2 / n)), n = (fan_in + fan_out) / 2 when variance_norm_average else fan_out (BigDL: MsraFiller).
    """
    def __init__(self, variance_norm_average: bool = True) -> None:
        ...
class BilinearFiller(InitMethod):
    """
    Bilinear upsampling kernel for a deconvolution weight.
    """
    def __init__(self) -> None:
        ...
class Container(Module):
    """
    Base of modules that hold children.
    """
    def __getitem__(self, index: typing.Any) -> Module:
        """
        Child i (negative counts from the end), or the child with key `index` when a str.
        """
    def __iter__(self) -> collections.abc.Iterator:
        ...
    def __len__(self) -> int:
        ...
    def add(self, module: Module) -> typing.Any:
        """
        Appends a child; returns self for chaining: Sequential().add(a).add(b).
        """
class Sequential(Container):
    """
    Sequential(*modules)
    
    Chains modules: the output of each is the input of the next (BigDL: Sequential).
    
    Example: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), or Sequential().add(...).add(...).
    """
    def __init__(self, *args) -> None:
        ...
class Concat(Container):
    """
    Concat(dim=1, *modules)
    
    Applies every child to the same input and concatenates their outputs along dim (0-based; BigDL's Concat(dimension) counts from 1). Example: nn.Concat(1).add(nn.Linear(4, 5)).add(nn.Linear(4, 3)).
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
    def config(self) -> dict:
        ...
class ConcatTable(Container):
    """
    ConcatTable(*modules)
    
    Applies every child to the same input; the output is the list of their outputs (BigDL: ConcatTable).
    """
    def __init__(self, *args) -> None:
        ...
class ParallelTable(Container):
    """
    ParallelTable(*modules)
    
    Applies child i to element i of the input list (BigDL: ParallelTable).
    """
    def __init__(self, *args) -> None:
        ...
class MapTable(Container):
    """
    MapTable(module=None)
    
    Applies one module (same weights) to every element of the input list (BigDL: MapTable).
    """
    def __init__(self, module: Module = None) -> None:
        ...
    def add(self, module: Module) -> typing.Any:
        """
        Sets the mapped module (ValueError when it has one); returns self.
        """
    @property
    def module(self) -> Module:
        ...
class Graph(Container):
    """
    Graph(inputs, outputs)
    
    A model whose modules form a directed acyclic graph (BigDL: Graph / Model)::
    
        x = nn.Input()
        h = nn.ReLU()(nn.Linear(4, 8)(x))
        y = nn.CAddTable()([nn.Linear(8, 2)(h), nn.Linear(4, 2)(x)])
        model = nn.Graph([x], [y])      # or nn.Graph(x, y)
    
    Input: an array for one input node, else a list in the order of ``inputs``; output likewise.
    """
    def __init__(self, inputs: typing.Any, outputs: typing.Any) -> None:
        ...
    def add(self, arg0: typing.Any) -> typing.Any:
        ...
    def input_nodes(self) -> list[Node]:
        ...
    def nodes(self) -> list[Node]:
        """
        Every node in topological order.
        """
    def output_nodes(self) -> list[Node]:
        ...
class Linear(Module):
    """
    Linear(in_features=0, out_features=0, bias=True)
    
    y = x W^T + b. Input [N, in_features] (or [in_features]) -> [N, out_features]. Weight [out_features, in_features], bias [out_features]. BigDL: Linear. Example: nn.Linear(784, 10).
    
    Options (positional in this order, or by keyword; defaults): in_features=0, out_features=0, bias=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Conv1d(Module):
    """
    Conv1d(in_channels=0, out_channels=0, kernel_size=0, stride=1, padding=0, dilation=1, groups=1, bias=True)
    
    1-d convolution over [N, C_in, L] (or [C_in, L]) -> [N, C_out, L_out]. Weight [C_out, C_in/groups, kernel_size]. Example: nn.Conv1d(4, 8, 3).
    
    Options (positional in this order, or by keyword; defaults): in_channels=0, out_channels=0, kernel_size=0, stride=1, padding=0, dilation=1, groups=1, bias=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Conv2d(Module):
    """
    Conv2d(in_channels=0, out_channels=0, kernel_size=0, stride=1, padding=0, dilation=1, groups=1, bias=True)
    
    2-d convolution (cross-correlation) over NCHW input [N, C_in, H, W] (or [C_in, H, W]) -> [N, C_out, OH, OW], OH = (H + 2*padding - dilation*(kH-1) - 1) // stride + 1. Weight [C_out, C_in/groups, kH, kW]. BigDL: SpatialConvolution. Example: nn.Conv2d(1, 6, kernel_size=5).
    
    Options (positional in this order, or by keyword; defaults): in_channels=0, out_channels=0, kernel_size=0, stride=1, padding=0, dilation=1, groups=1, bias=True. Size options take one int or a tuple (one value per spatial dimension).
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class ConvTranspose2d(Module):
    """
    ConvTranspose2d(in_channels=0, out_channels=0, kernel_size=0, stride=1, padding=0, output_padding=0, dilation=1, groups=1, bias=True)
    
    2-d transposed convolution (deconvolution) [N, C_in, H, W] -> [N, C_out, OH, OW], OH = (H-1)*stride - 2*padding + dilation*(kH-1) + output_padding + 1. Weight [C_in, C_out/groups, kH, kW]. BigDL: SpatialFullConvolution.
    
    Options (positional in this order, or by keyword; defaults): in_channels=0, out_channels=0, kernel_size=0, stride=1, padding=0, output_padding=0, dilation=1, groups=1, bias=True. Size options take one int or a tuple (one value per spatial dimension).
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class BatchNorm1d(Module):
    """
    BatchNorm1d(num_features=0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    
    Batch normalization over [N, C] or [N, C, L] per channel C; running statistics in buffers running_mean/running_var. BigDL: BatchNormalization.
    
    Options (positional in this order, or by keyword; defaults): num_features=0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class BatchNorm2d(Module):
    """
    BatchNorm2d(num_features=0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    
    Batch normalization over [N, C, H, W] per channel. BigDL: SpatialBatchNormalization. Example: nn.BatchNorm2d(64).
    
    Options (positional in this order, or by keyword; defaults): num_features=0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class LayerNorm(Module):
    """
    LayerNorm(normalized_shape=[], eps=1e-05, elementwise_affine=True)
    
    Layer normalization over the trailing dims given by normalized_shape; same shape out. Example: nn.LayerNorm([64]).
    
    Options (positional in this order, or by keyword; defaults): normalized_shape=[], eps=1e-05, elementwise_affine=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Embedding(Module):
    """
    Embedding(num_embeddings=0, embedding_dim=0, padding_idx=-1, max_norm=0.0, norm_type=2.0, scale_grad_by_freq=False)
    
    Looks up rows of a [num_embeddings, embedding_dim] table: integer indices [...] (0-based) -> [..., embedding_dim]. BigDL: LookupTable (1-based there).
    
    Options (positional in this order, or by keyword; defaults): num_embeddings=0, embedding_dim=0, padding_idx=-1, max_norm=0.0, norm_type=2.0, scale_grad_by_freq=False.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class PReLU(Module):
    """
    PReLU(num_parameters=1, init=0.25)
    
    y = max(0, x) + a * min(0, x) with a learned slope a (one, or one per channel when num_parameters > 1). Same shape out.
    
    Options (positional in this order, or by keyword; defaults): num_parameters=1, init=0.25.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Add(Module):
    """
    Add(input_size=0)
    
    y = x + b with a learned bias b [input_size] over the last dim. BigDL: Add.
    
    Options (positional in this order, or by keyword; defaults): input_size=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Mul(Module):
    """
    Mul()
    
    y = a * x with one learned scalar a. BigDL: Mul.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class CAdd(Module):
    """
    CAdd(size=[])
    
    y = x + b with a learned b of shape `size`, broadcast over the input. BigDL: CAdd.
    
    Options (positional in this order, or by keyword; defaults): size=[].
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class CMul(Module):
    """
    CMul(size=[])
    
    y = x * w with a learned w of shape `size`, broadcast over the input. BigDL: CMul.
    
    Options (positional in this order, or by keyword; defaults): size=[].
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class MaxPool2d(Module):
    """
    MaxPool2d(kernel_size=2, stride=0, padding=0, ceil_mode=False)
    
    2-d max pooling over [N, C, H, W] (or [C, H, W]); stride 0 means kernel_size. BigDL: SpatialMaxPooling. Example: nn.MaxPool2d(2).
    
    Options (positional in this order, or by keyword; defaults): kernel_size=2, stride=0, padding=0, ceil_mode=False. Size options take one int or a tuple (one value per spatial dimension).
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class AvgPool2d(Module):
    """
    AvgPool2d(kernel_size=2, stride=0, padding=0, ceil_mode=False, count_include_pad=True)
    
    2-d average pooling over [N, C, H, W] (or [C, H, W]); stride 0 means kernel_size. BigDL: SpatialAveragePooling. Example: nn.AvgPool2d(2).
    
    Options (positional in this order, or by keyword; defaults): kernel_size=2, stride=0, padding=0, ceil_mode=False, count_include_pad=True. Size options take one int or a tuple (one value per spatial dimension).
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class AdaptiveAvgPool2d(Module):
    """
    AdaptiveAvgPool2d(output_size=1)
    
    Average pooling to a fixed output_size: [N, C, H, W] -> [N, C, oH, oW].
    
    Options (positional in this order, or by keyword; defaults): output_size=1. Size options take one int or a tuple (one value per spatial dimension).
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class GlobalAvgPool2d(Module):
    """
    GlobalAvgPool2d()
    
    Mean over H and W: [N, C, H, W] -> [N, C, 1, 1].
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SpatialCrossMapLRN(Module):
    """
    SpatialCrossMapLRN(size=5, alpha=0.0001, beta=0.75, k=1.0)
    
    Local response normalization across channels (AlexNet): [N, C, H, W], same shape out. BigDL: SpatialCrossMapLRN.
    
    Options (positional in this order, or by keyword; defaults): size=5, alpha=0.0001, beta=0.75, k=1.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Dropout(Module):
    """
    Dropout(p=0.5)
    
    In training mode zeroes each element with probability p and scales the rest by 1/(1-p); identity in evaluation mode. BigDL: Dropout.
    
    Options (positional in this order, or by keyword; defaults): p=0.5.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class ReLU(Module):
    """
    ReLU()
    
    y = max(0, x), element-wise; same shape out. BigDL: ReLU.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class ReLU6(Module):
    """
    ReLU6()
    
    y = min(max(0, x), 6), element-wise. BigDL: ReLU6.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class LeakyReLU(Module):
    """
    LeakyReLU(negative_slope=0.01)
    
    y = x for x > 0, negative_slope * x otherwise. BigDL: LeakyReLU.
    
    Options (positional in this order, or by keyword; defaults): negative_slope=0.01.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class ELU(Module):
    """
    ELU(alpha=1.0)
    
    y = x for x > 0, alpha * (exp(x) - 1) otherwise. BigDL: ELU.
    
    Options (positional in this order, or by keyword; defaults): alpha=1.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Tanh(Module):
    """
    Tanh()
    
    y = tanh(x), element-wise. BigDL: Tanh.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Sigmoid(Module):
    """
    Sigmoid()
    
    y = 1 / (1 + exp(-x)), element-wise. BigDL: Sigmoid.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class HardTanh(Module):
    """
    HardTanh(min_val=-1.0, max_val=1.0)
    
    y = clamp(x, min_val, max_val), element-wise. BigDL: HardTanh.
    
    Options (positional in this order, or by keyword; defaults): min_val=-1.0, max_val=1.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SoftPlus(Module):
    """
    SoftPlus(beta=1.0, threshold=20.0)
    
    y = log(1 + exp(beta * x)) / beta (linear above threshold). BigDL: SoftPlus.
    
    Options (positional in this order, or by keyword; defaults): beta=1.0, threshold=20.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SoftSign(Module):
    """
    SoftSign()
    
    y = x / (1 + |x|), element-wise. BigDL: SoftSign.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SoftMax(Module):
    """
    SoftMax(dim=-1)
    
    Softmax along dim (-1: the last; [N, C] -> [N, C] rows summing to 1). BigDL: SoftMax.
    
    Options (positional in this order, or by keyword; defaults): dim=-1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class LogSoftMax(Module):
    """
    LogSoftMax(dim=-1)
    
    log(softmax(x)) along dim (default the last), then ClassNLLCriterion. BigDL: LogSoftMax.
    
    Options (positional in this order, or by keyword; defaults): dim=-1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class AddConstant(Module):
    """
    AddConstant(constant_scalar=0.0, inplace=False)
    
    y = x + constant_scalar. BigDL: AddConstant.
    
    Options (positional in this order, or by keyword; defaults): constant_scalar=0.0, inplace=False.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class MulConstant(Module):
    """
    MulConstant(scalar=1.0, inplace=False)
    
    y = scalar * x. BigDL: MulConstant.
    
    Options (positional in this order, or by keyword; defaults): scalar=1.0, inplace=False.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Identity(Module):
    """
    Identity()
    
    y = x (any activity). BigDL: Identity.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Reshape(Module):
    """
    Reshape(size=[], batch_mode=-1)
    
    Reshapes each sample to `size` (the batch dim kept per batch_mode: -1 auto, 1 always, 0 never): [N, 12] with size [3, 4] -> [N, 3, 4]. BigDL: Reshape. Example: nn.Reshape([1, 28, 28]).
    
    Options (positional in this order, or by keyword; defaults): size=[], batch_mode=-1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class View(Module):
    """
    View(sizes=[], num_input_dims=0)
    
    A view with the given sizes (one may be -1); num_input_dims > 0 keeps extra leading dims as the batch. BigDL: View.
    
    Options (positional in this order, or by keyword; defaults): sizes=[], num_input_dims=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Flatten(Module):
    """
    Flatten(start_dim=1, end_dim=-1)
    
    Merges dims [start_dim, end_dim]: [N, C, H, W] -> [N, C*H*W] by default.
    
    Options (positional in this order, or by keyword; defaults): start_dim=1, end_dim=-1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Transpose(Module):
    """
    Transpose(dim0=0, dim1=1)
    
    Swaps dims dim0 and dim1 (a view). BigDL: Transpose (one pair).
    
    Options (positional in this order, or by keyword; defaults): dim0=0, dim1=1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Squeeze(Module):
    """
    Squeeze(dim=[], num_input_dims=0)
    
    Removes size-1 dims (all, or dim). BigDL: Squeeze.
    
    Options (positional in this order, or by keyword; defaults): dim=[], num_input_dims=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Unsqueeze(Module):
    """
    Unsqueeze(dim=0, num_input_dims=0)
    
    Inserts a size-1 dim at dim (0-based). BigDL: Unsqueeze (1-based there).
    
    Options (positional in this order, or by keyword; defaults): dim=0, num_input_dims=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Narrow(Module):
    """
    Narrow(dim=0, start=0, length=1)
    
    Elements [start, start + length) along dim (0-based; a view). BigDL: Narrow (1-based there).
    
    Options (positional in this order, or by keyword; defaults): dim=0, start=0, length=1.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Select(Module):
    """
    Select(dim=0, index=0)
    
    Slice `index` along dim, removing the dim (0-based). BigDL: Select (1-based there).
    
    Options (positional in this order, or by keyword; defaults): dim=0, index=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class Padding(Module):
    """
    Padding(dim=1, pad_before=0, pad_after=0, value=0.0)
    
    Pads one dim with `value`: pad_before + S + pad_after. BigDL: Padding.
    
    Options (positional in this order, or by keyword; defaults): dim=1, pad_before=0, pad_after=0, value=0.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SpatialZeroPadding(Module):
    """
    SpatialZeroPadding(pad_left=0, pad_right=0, pad_top=0, pad_bottom=0)
    
    Pads (or crops, when negative) the last two dims with zeros: [N, C, H, W] -> [N, C, H + top + bottom, W + left + right]. BigDL: SpatialZeroPadding.
    
    Options (positional in this order, or by keyword; defaults): pad_left=0, pad_right=0, pad_top=0, pad_bottom=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class UpSampling2d(Module):
    """
    UpSampling2d(size=2)
    
    Nearest-neighbour upsampling by integer factors size: [N, C, H, W] -> [N, C, H*s0, W*s1]. BigDL: UpSampling2D.
    
    Options (positional in this order, or by keyword; defaults): size=2. Size options take one int or a tuple (one value per spatial dimension).
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class JoinTable(Module):
    """
    JoinTable(dim=0, n_input_dims=0)
    
    Concatenates a list of tensors along dim (0-based; torch.cat). BigDL: JoinTable (1-based dimension there).
    
    Options (positional in this order, or by keyword; defaults): dim=0, n_input_dims=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SplitTable(Module):
    """
    SplitTable(dim=0, n_input_dims=0)
    
    Splits a tensor into a list of slices along dim (torch.unbind). BigDL: SplitTable.
    
    Options (positional in this order, or by keyword; defaults): dim=0, n_input_dims=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SelectTable(Module):
    """
    SelectTable(index=0)
    
    Element `index` (0-based) of the input list. BigDL: SelectTable.
    
    Options (positional in this order, or by keyword; defaults): index=0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class CAddTable(Module):
    """
    CAddTable()
    
    Element-wise sum of a list of tensors of one shape. BigDL: CAddTable.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class CMulTable(Module):
    """
    CMulTable()
    
    Element-wise product of a list of tensors. BigDL: CMulTable.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class FlattenTable(Module):
    """
    FlattenTable()
    
    Flattens a nested list into a flat list of tensors. BigDL: FlattenTable.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class ClassNLLCriterion(Criterion):
    """
    ClassNLLCriterion(weights=[], size_average=True, ignore_index=-100)
    
    Negative log likelihood: input [N, C] log-probabilities, target [N] class indices 0..C-1 (BigDL counted from 1). BigDL: ClassNLLCriterion.
    
    Options (positional in this order, or by keyword; defaults): weights=[], size_average=True, ignore_index=-100.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class CrossEntropyCriterion(Criterion):
    """
    CrossEntropyCriterion(weights=[], size_average=True, ignore_index=-100)
    
    LogSoftMax + ClassNLLCriterion: input [N, C] logits, target [N] class indices from 0. BigDL: CrossEntropyCriterion.
    
    Options (positional in this order, or by keyword; defaults): weights=[], size_average=True, ignore_index=-100.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class MSECriterion(Criterion):
    """
    MSECriterion(size_average=True)
    
    Mean squared error between input and target of one shape.
    
    Options (positional in this order, or by keyword; defaults): size_average=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class AbsCriterion(Criterion):
    """
    AbsCriterion(size_average=True)
    
    Mean absolute error between input and target of one shape.
    
    Options (positional in this order, or by keyword; defaults): size_average=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class SmoothL1Criterion(Criterion):
    """
    SmoothL1Criterion(size_average=True, beta=1.0)
    
    Huber loss (quadratic below beta, linear above).
    
    Options (positional in this order, or by keyword; defaults): size_average=True, beta=1.0.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class BCECriterion(Criterion):
    """
    BCECriterion(weights=[], size_average=True)
    
    Binary cross entropy on probabilities in (0, 1): input and target of one shape.
    
    Options (positional in this order, or by keyword; defaults): weights=[], size_average=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class BCEWithLogitsCriterion(Criterion):
    """
    BCEWithLogitsCriterion(weights=[], pos_weight=[], size_average=True)
    
    Sigmoid + binary cross entropy, on logits (numerically stable).
    
    Options (positional in this order, or by keyword; defaults): weights=[], pos_weight=[], size_average=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class DistKLDivCriterion(Criterion):
    """
    DistKLDivCriterion(size_average=True)
    
    KL divergence: input log-probabilities, target probabilities, both [N, C].
    
    Options (positional in this order, or by keyword; defaults): size_average=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class MarginCriterion(Criterion):
    """
    MarginCriterion(margin=1.0, size_average=True, squared=False)
    
    Hinge loss max(0, margin - y * x) with targets +1/-1 (squared when squared=True).
    
    Options (positional in this order, or by keyword; defaults): margin=1.0, size_average=True, squared=False.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class CosineEmbeddingCriterion(Criterion):
    """
    CosineEmbeddingCriterion(margin=0.0, size_average=True)
    
    Cosine embedding loss: input [a, b] (each [N, D]), target [N] of +1/-1.
    
    Options (positional in this order, or by keyword; defaults): margin=0.0, size_average=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class MultiLabelSoftMarginCriterion(Criterion):
    """
    MultiLabelSoftMarginCriterion(weights=[], size_average=True)
    
    Multi-label logistic loss: input logits [N, C], target multi-hot [N, C].
    
    Options (positional in this order, or by keyword; defaults): weights=[], size_average=True.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
class MultiCriterion(Criterion):
    """
    MultiCriterion()
    
    Weighted sum of criteria applied to the same input and target. Example: nn.MultiCriterion().add(nn.MSECriterion()).add(nn.AbsCriterion(), 0.1).
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
    def __len__(self) -> int:
        ...
    def add(self, criterion: Criterion, weight: typing.SupportsFloat | typing.SupportsIndex = 1.0) -> typing.Any:
        """
        Appends a criterion with its weight; returns self.
        """
    def criterion(self, i: typing.SupportsInt | typing.SupportsIndex) -> Criterion:
        ...
    def weight(self, i: typing.SupportsInt | typing.SupportsIndex) -> float:
        ...
class ParallelCriterion(Criterion):
    """
    ParallelCriterion(repeat_target=False)
    
    Weighted sum of criterion i applied to input[i] and target[i] (or the whole target with repeat_target).
    
    Options (positional in this order, or by keyword; defaults): repeat_target=False.
    """
    def __init__(self, *args, **kwargs) -> None:
        ...
    def __len__(self) -> int:
        ...
    def add(self, criterion: Criterion, weight: typing.SupportsFloat | typing.SupportsIndex = 1.0) -> typing.Any:
        """
        Appends a criterion with its weight; returns self.
        """
    def criterion(self, i: typing.SupportsInt | typing.SupportsIndex) -> Criterion:
        ...
    def weight(self, i: typing.SupportsInt | typing.SupportsIndex) -> float:
        ...
def Input(name: str = '') -> Node:
    """
    A graph input placeholder (BigDL: Input()).
    """
def _criterion_from_config(type_name: str, config: dict, children: list) -> Criterion:
    ...
def _module_from_bytes(data: bytes) -> Module:
    """
    Unpickles a module (the model file as bytes).
    """
def create(type_name: str, **kwargs) -> Module:
    """
    A module of a registered type, e.g. create('nn.Linear', in_features=4, out_features=2).
    """
def create_criterion(type_name: str, **kwargs) -> Criterion:
    """
    A criterion of a registered type, e.g. create_criterion('nn.ClassNLLCriterion').
    """
def criterion_types() -> list[str]:
    """
    Type names of every registered criterion.
    """
def module_types() -> list[str]:
    """
    Type names of every registered module ('nn.Linear', ...).
    """
