"""
Ember's C++ core. Import the `ember` package instead of this module.
"""
from __future__ import annotations
import collections.abc
import numpy
import typing
from . import nn
from . import models
from . import data
from . import optim
from . import summary
from . import io
from . import train
from . import dist
__all__: list[str] = ['DType', 'FormatError', 'Generator', 'IOError', 'Tensor', 'abs', 'add', 'addmm', 'allclose', 'arange', 'argmax', 'as_tensor', 'bfloat16', 'cat', 'clamp', 'data', 'default_generator', 'dist', 'div', 'empty', 'eq', 'exp', 'float32', 'float64', 'from_numpy', 'full', 'get_num_threads', 'gt', 'index_select', 'int32', 'int64', 'io', 'log', 'lt', 'manual_seed', 'matmul', 'max', 'max_abs_diff', 'maximum', 'mean', 'min', 'minimum', 'models', 'mul', 'neg', 'nn', 'norm', 'ones', 'optim', 'pow', 'rand', 'randn', 'relu', 'scalar', 'set_num_threads', 'shares_memory', 'sigmoid', 'sign', 'sqrt', 'square', 'stack', 'sub', 'sum', 'summary', 'tanh', 'train', 'uint8', 'zeros']
class FormatError(ValueError):
    pass
class IOError(OSError):
    pass
class DType:
    """
    Element types of a Tensor: float32 (the main one), float64, int32, int64, uint8, bfloat16 (storage only: convert with .to(ember.float32) to compute).
    
    Members:
    
      float32
    
      float64
    
      int32
    
      int64
    
      uint8
    
      bfloat16
    """
    __members__: typing.ClassVar[dict[str, DType]]
    bfloat16: typing.ClassVar[DType]
    float32: typing.ClassVar[DType]
    float64: typing.ClassVar[DType]
    int32: typing.ClassVar[DType]
    int64: typing.ClassVar[DType]
    uint8: typing.ClassVar[DType]
    @typing.overload
    def __eq__(self, other: DType) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: DType) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def is_floating_point(self) -> bool:
        ...
    @property
    def itemsize(self) -> int:
        """
        Bytes per element.
        """
    @property
    def name(self) -> str:
        ...
    @property
    def numpy_dtype(self) -> numpy.dtype[typing.Any]:
        """
        The NumPy dtype (TypeError for bfloat16, which NumPy lacks).
        """
    @property
    def value(self) -> int:
        ...
class Generator:
    """
    A seeded random stream (xoshiro256**): the same seed gives the same
    values on every platform. Factories (rand, randn), in-place fills (uniform_, normal_, bernoulli_) and data
    transformers take one; without one they use the default generator, seeded by ember.manual_seed.
    
    Example: ``g = ember.Generator(42); x = ember.rand(2, 3, generator=g)``
    """
    def __getstate__(self) -> tuple[tuple[int, int, int, int], int, float, bool]:
        ...
    def __init__(self, seed: typing.Any = None) -> None:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, arg0: tuple) -> None:
        ...
    def get_state(self) -> tuple[tuple[int, int, int, int], int, float, bool]:
        """
        The exact state (restores with set_state).
        """
    def initial_seed(self) -> int:
        """
        The seed given last.
        """
    def manual_seed(self, seed: typing.SupportsInt | typing.SupportsIndex) -> Generator:
        """
        Re-seeds the stream; returns self.
        """
    def next_below(self, n: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        Uniform integer in [0, n).
        """
    def next_double(self) -> float:
        """
        Uniform in [0, 1).
        """
    def next_normal(self) -> float:
        """
        Standard normal.
        """
    def next_u64(self) -> int:
        """
        The next 64 random bits.
        """
    def set_state(self, state: tuple) -> None:
        ...
    def uniform(self, low: typing.SupportsFloat | typing.SupportsIndex = 0.0, high: typing.SupportsFloat | typing.SupportsIndex = 1.0) -> float:
        """
        Uniform in [low, high).
        """
    @property
    def seed(self) -> int:
        ...
class Tensor:
    """
    An N-d strided view over shared storage
    (Ember's C++ Tensor). NumPy interop never copies: ``np.asarray(t)`` / ``t.numpy()`` share memory, as do
    ``ember.from_numpy(a)`` and every op that takes an array (read-only arrays give read-only tensors).
    ``ember.Tensor(data, dtype=None)`` copies, like torch.tensor; Python floats become float32.
    
    Indexing: ints, slices with step 1, ``...`` and ``None`` give views (select/narrow/unsqueeze); other slices
    go through NumPy (positive steps still share memory; negative steps, integer arrays and boolean masks copy).
    
    Example::
    
        t = ember.Tensor([[1., 2.], [3., 4.]])    # float32 [2, 2]
        (t @ t.t() + 1).sum(dim=1)                 # tensor([ 6., 26.], dtype=float32)
    """
    def __abs__(self) -> Tensor:
        ...
    def __add__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __array__(self, dtype: typing.Any = None, copy: typing.Any = None) -> typing.Any:
        ...
    def __bool__(self) -> bool:
        ...
    def __copy__(self) -> Tensor:
        ...
    def __deepcopy__(self, memo: typing.Any) -> Tensor:
        ...
    def __float__(self) -> float:
        ...
    def __getitem__(self, arg0: typing.Any) -> Tensor:
        ...
    def __getstate__(self) -> tuple:
        ...
    def __iadd__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __imul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __init__(self, data: typing.Any, dtype: typing.Any = None) -> None:
        """
        A new tensor holding a copy of `data` (array, Tensor, nested lists or a number).
        """
    def __int__(self) -> int:
        ...
    def __isub__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __iter__(self) -> collections.abc.Iterator:
        ...
    def __itruediv__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __len__(self) -> int:
        ...
    def __matmul__(self, arg0: typing.Any) -> Tensor:
        ...
    def __mul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __neg__(self) -> Tensor:
        ...
    def __pos__(self) -> Tensor:
        ...
    def __pow__(self, exponent: typing.SupportsFloat | typing.SupportsIndex) -> Tensor:
        ...
    def __radd__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def __rmatmul__(self, arg0: typing.Any) -> Tensor:
        ...
    def __rmul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __rsub__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __rtruediv__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __setitem__(self, arg0: typing.Any, arg1: typing.Any) -> None:
        ...
    def __setstate__(self, arg0: tuple) -> None:
        ...
    def __str__(self) -> str:
        ...
    def __sub__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __truediv__(self, arg0: typing.Any) -> typing.Any:
        ...
    def abs(self) -> Tensor:
        """
        |x|, element-wise.
        """
    def add(self, other: typing.Any) -> Tensor:
        """
        a + b (broadcasting).
        """
    def add_(self, other: typing.Any, alpha: typing.SupportsFloat | typing.SupportsIndex = 1.0) -> typing.Any:
        """
        self += alpha * other (other broadcast to self's shape).
        """
    def argmax(self, dim: typing.Any = None, keepdim: bool = False) -> Tensor:
        """
        int64 indices of the maxima along dim (of the flattened tensor when dim is None).
        """
    def astype(self, dtype: typing.Any) -> Tensor:
        """
        A copy converted to dtype (NumPy spelling).
        """
    def bernoulli_(self, p: typing.SupportsFloat | typing.SupportsIndex = 0.5, generator: typing.Any = None) -> typing.Any:
        ...
    def can_view(self, shape: typing.Any) -> bool:
        ...
    def clamp(self, min: typing.SupportsFloat | typing.SupportsIndex, max: typing.SupportsFloat | typing.SupportsIndex) -> Tensor:
        """
        Values limited to [min, max].
        """
    def clone(self) -> Tensor:
        """
        A contiguous copy.
        """
    def contiguous(self) -> Tensor:
        """
        This tensor if contiguous, else a contiguous copy.
        """
    def copy(self) -> Tensor:
        """
        A contiguous copy (NumPy spelling of clone).
        """
    def copy_(self, src: typing.Any) -> typing.Any:
        """
        Copies src into this tensor, broadcasting it and converting its dtype.
        """
    def data_ptr(self) -> int:
        ...
    def dim(self) -> int:
        ...
    def div(self, other: typing.Any) -> Tensor:
        """
        a / b (broadcasting).
        """
    def div_(self, other: typing.Any) -> typing.Any:
        ...
    def double(self) -> Tensor:
        ...
    def eq(self, other: typing.Any) -> Tensor:
        """
        1 where a == b, 0 elsewhere, in a's dtype (broadcasting).
        """
    def exp(self) -> Tensor:
        """
        e ** x, element-wise.
        """
    def expand(self, *args) -> Tensor:
        """
        Broadcasts size-1 dims to the given shape (stride 0, a view); -1 keeps a size.
        """
    def fill_(self, value: typing.SupportsFloat | typing.SupportsIndex) -> typing.Any:
        ...
    def flatten(self, start_dim: typing.SupportsInt | typing.SupportsIndex = 0, end_dim: typing.SupportsInt | typing.SupportsIndex = -1) -> Tensor:
        ...
    def float(self) -> Tensor:
        ...
    def gt(self, other: typing.Any) -> Tensor:
        """
        1 where a > b, 0 elsewhere, in a's dtype (broadcasting).
        """
    def index_select(self, dim: typing.SupportsInt | typing.SupportsIndex, index: typing.Any) -> Tensor:
        ...
    def int(self) -> Tensor:
        ...
    def is_contiguous(self) -> bool:
        ...
    def is_floating_point(self) -> bool:
        ...
    def item(self) -> typing.Any:
        """
        The value of a one-element tensor as a Python int or float.
        """
    def log(self) -> Tensor:
        """
        Natural logarithm, element-wise.
        """
    def long(self) -> Tensor:
        ...
    def lt(self, other: typing.Any) -> Tensor:
        """
        1 where a < b, 0 elsewhere, in a's dtype (broadcasting).
        """
    def matmul(self, other: typing.Any) -> Tensor:
        """
        Matrix product: [n,k]@[k,m] -> [n,m]; [k]@[k,m]; [n,k]@[k]; batched [b,n,k]@[b,k,m] -> [b,n,m].
        """
    def max(self, dim: typing.Any = None, keepdim: bool = False) -> typing.Any:
        """
        Largest element (0-d tensor); with dim, the tuple (values, int64 indices) along dim.
        """
    def maximum(self, other: typing.Any) -> Tensor:
        """
        Element-wise maximum (broadcasting).
        """
    def mean(self, dim: typing.Any = None, keepdim: bool = False) -> Tensor:
        """
        Mean of all elements (0-d tensor), or along dim.
        """
    def min(self, dim: typing.Any = None, keepdim: bool = False) -> typing.Any:
        """
        Smallest element (0-d tensor); with dim, the tuple (values, int64 indices) along dim.
        """
    def minimum(self, other: typing.Any) -> Tensor:
        """
        Element-wise minimum (broadcasting).
        """
    def mul(self, other: typing.Any) -> Tensor:
        """
        a * b (broadcasting).
        """
    def mul_(self, other: typing.Any) -> typing.Any:
        ...
    def narrow(self, dim: typing.SupportsInt | typing.SupportsIndex, start: typing.SupportsInt | typing.SupportsIndex, length: typing.SupportsInt | typing.SupportsIndex) -> Tensor:
        """
        Elements [start, start + length) along dim (a view).
        """
    def neg(self) -> Tensor:
        """
        -x, element-wise.
        """
    def norm(self) -> float:
        """
        Euclidean norm of all elements (a float).
        """
    def normal_(self, mean: typing.SupportsFloat | typing.SupportsIndex = 0.0, std: typing.SupportsFloat | typing.SupportsIndex = 1.0, generator: typing.Any = None) -> typing.Any:
        ...
    def numel(self) -> int:
        ...
    def numpy(self) -> numpy.ndarray:
        """
        A NumPy array sharing this tensor's memory (read-only when the tensor is).
        """
    def permute(self, *args) -> Tensor:
        ...
    def pow(self, exponent: typing.SupportsFloat | typing.SupportsIndex) -> Tensor:
        """
        x ** exponent, element-wise.
        """
    def relu(self) -> Tensor:
        """
        max(x, 0), element-wise.
        """
    def reshape(self, *args) -> Tensor:
        """
        view() when the layout allows it, otherwise a contiguous copy.
        """
    def select(self, dim: typing.SupportsInt | typing.SupportsIndex, index: typing.SupportsInt | typing.SupportsIndex) -> Tensor:
        """
        Removes dim, taking `index` along it.
        """
    def shares_memory(self, other: typing.Any) -> bool:
        """
        True when the memory of the two (tensors or arrays) may overlap.
        """
    def shares_storage(self, other: Tensor) -> bool:
        """
        True when both tensors view the same Ember storage (views of one another).
        """
    def sigmoid(self) -> Tensor:
        """
        1 / (1 + exp(-x)), element-wise.
        """
    def sign(self) -> Tensor:
        """
        -1, 0 or 1, element-wise.
        """
    def size(self, dim: typing.Any = None) -> typing.Any:
        """
        The shape, or the size of one dim.
        """
    def sqrt(self) -> Tensor:
        """
        Square root, element-wise.
        """
    def square(self) -> Tensor:
        """
        x * x, element-wise.
        """
    def squeeze(self, dim: typing.Any = None) -> Tensor:
        ...
    def storage_offset(self) -> int:
        """
        Offset of the first element in its storage, in elements.
        """
    def stride(self, dim: typing.Any = None) -> typing.Any:
        ...
    def sub(self, other: typing.Any) -> Tensor:
        """
        a - b (broadcasting).
        """
    def sub_(self, other: typing.Any) -> typing.Any:
        ...
    def sum(self, dim: typing.Any = None, keepdim: bool = False) -> Tensor:
        """
        Sum of all elements (0-d tensor), or along dim (keepdim keeps it with size 1).
        """
    def t(self) -> Tensor:
        """
        Transpose of a 2-d tensor (a view).
        """
    def tanh(self) -> Tensor:
        """
        tanh(x), element-wise.
        """
    def to(self, dtype: typing.Any) -> Tensor:
        """
        Values converted to dtype (this tensor when it already has that dtype).
        """
    def tolist(self) -> typing.Any:
        """
        Nested lists of Python numbers (a number for a 0-d tensor).
        """
    def transpose(self, dim0: typing.SupportsInt | typing.SupportsIndex, dim1: typing.SupportsInt | typing.SupportsIndex) -> Tensor:
        ...
    def uniform_(self, low: typing.SupportsFloat | typing.SupportsIndex = 0.0, high: typing.SupportsFloat | typing.SupportsIndex = 1.0, generator: typing.Any = None) -> typing.Any:
        ...
    def unsqueeze(self, dim: typing.SupportsInt | typing.SupportsIndex) -> Tensor:
        ...
    def view(self, *args) -> Tensor:
        """
        Same data with a new shape (one size may be -1); ValueError when the layout needs a copy.
        """
    def zero_(self) -> typing.Any:
        ...
    @property
    def T(self) -> Tensor:
        """
        All dims reversed (a view).
        """
    @property
    def dtype(self) -> DType:
        ...
    @property
    def ndim(self) -> int:
        ...
    @property
    def shape(self) -> tuple:
        """
        Sizes, as a tuple.
        """
    @property
    def strides(self) -> tuple:
        """
        Strides in elements (NumPy's .strides are in bytes).
        """
    @property
    def writable(self) -> bool:
        """
        False for tensors viewing read-only memory (a read-only NumPy array).
        """
def _cli_main(argv: collections.abc.Sequence[str]) -> int:
    """
    Runs `ember <command> [options]`; argv[0] is the program name. Returns the exit status.
    """
def abs(input: typing.Any) -> Tensor:
    """
    |x|, element-wise.
    """
def add(input: typing.Any, other: typing.Any) -> Tensor:
    """
    a + b (broadcasting).
    """
def addmm(input: typing.Any, mat1: typing.Any, mat2: typing.Any, *, beta: typing.SupportsFloat | typing.SupportsIndex = 1.0, alpha: typing.SupportsFloat | typing.SupportsIndex = 1.0) -> Tensor:
    """
    beta * input + alpha * (mat1 @ mat2) for 2-d mat1, mat2.
    """
def allclose(a: typing.Any, b: typing.Any, rtol: typing.SupportsFloat | typing.SupportsIndex = 1e-05, atol: typing.SupportsFloat | typing.SupportsIndex = 1e-08) -> bool:
    """
    |a - b| <= atol + rtol * |b| everywhere (shapes must match).
    """
def arange(start: typing.SupportsFloat | typing.SupportsIndex, end: typing.Any = None, step: typing.SupportsFloat | typing.SupportsIndex = 1.0, *, dtype: typing.Any = None) -> Tensor:
    """
    arange(n): [0, 1, ..., n-1]; arange(start, end, step). float32 by default.
    """
def argmax(input: typing.Any, dim: typing.Any = None, keepdim: bool = False) -> Tensor:
    """
    int64 indices of the maxima along dim (of the flattened tensor when dim is None).
    """
def as_tensor(data: typing.Any, dtype: typing.Any = None) -> Tensor:
    """
    `data` as a Tensor, sharing memory when it is a Tensor or array of that dtype (copies otherwise).
    """
def cat(tensors: typing.Any, dim: typing.SupportsInt | typing.SupportsIndex = 0) -> Tensor:
    """
    Concatenation along dim.
    """
def clamp(input: typing.Any, min: typing.SupportsFloat | typing.SupportsIndex, max: typing.SupportsFloat | typing.SupportsIndex) -> Tensor:
    """
    Values limited to [min, max].
    """
def default_generator() -> Generator:
    """
    The process-wide generator used when none is passed.
    """
def div(input: typing.Any, other: typing.Any) -> Tensor:
    """
    a / b (broadcasting).
    """
def empty(*args, dtype: typing.Any = None) -> Tensor:
    """
    An uninitialised tensor of a shape; float32 by default.
    """
def eq(input: typing.Any, other: typing.Any) -> Tensor:
    """
    1 where a == b, 0 elsewhere, in a's dtype (broadcasting).
    """
def exp(input: typing.Any) -> Tensor:
    """
    e ** x, element-wise.
    """
def from_numpy(array: typing.Any) -> Tensor:
    """
    A Tensor sharing the array's memory (no copy; read-only arrays give read-only tensors; negative strides are copied once).
    """
def full(shape: typing.Any, fill_value: typing.SupportsFloat | typing.SupportsIndex, dtype: typing.Any = None) -> Tensor:
    """
    A tensor of `shape` filled with fill_value.
    """
def get_num_threads() -> int:
    """
    The size of Ember's thread pool.
    """
def gt(input: typing.Any, other: typing.Any) -> Tensor:
    """
    1 where a > b, 0 elsewhere, in a's dtype (broadcasting).
    """
def index_select(input: typing.Any, dim: typing.SupportsInt | typing.SupportsIndex, index: typing.Any) -> Tensor:
    """
    Slices of input along dim picked by a 1-d int64/int32 index.
    """
def log(input: typing.Any) -> Tensor:
    """
    Natural logarithm, element-wise.
    """
def lt(input: typing.Any, other: typing.Any) -> Tensor:
    """
    1 where a < b, 0 elsewhere, in a's dtype (broadcasting).
    """
def manual_seed(seed: typing.SupportsInt | typing.SupportsIndex) -> None:
    """
    Seeds the default generator (like torch.manual_seed).
    """
def matmul(input: typing.Any, other: typing.Any) -> Tensor:
    """
    Matrix product: [n,k]@[k,m] -> [n,m]; [k]@[k,m]; [n,k]@[k]; batched [b,n,k]@[b,k,m] -> [b,n,m].
    """
def max(input: typing.Any, dim: typing.Any = None, keepdim: bool = False) -> typing.Any:
    """
    Largest element (0-d tensor); with dim, the tuple (values, int64 indices) along dim.
    """
def max_abs_diff(a: typing.Any, b: typing.Any) -> float:
    """
    Largest |a - b| (shapes must match).
    """
def maximum(input: typing.Any, other: typing.Any) -> Tensor:
    """
    Element-wise maximum (broadcasting).
    """
def mean(input: typing.Any, dim: typing.Any = None, keepdim: bool = False) -> Tensor:
    """
    Mean of all elements (0-d tensor), or along dim.
    """
def min(input: typing.Any, dim: typing.Any = None, keepdim: bool = False) -> typing.Any:
    """
    Smallest element (0-d tensor); with dim, the tuple (values, int64 indices) along dim.
    """
def minimum(input: typing.Any, other: typing.Any) -> Tensor:
    """
    Element-wise minimum (broadcasting).
    """
def mul(input: typing.Any, other: typing.Any) -> Tensor:
    """
    a * b (broadcasting).
    """
def neg(input: typing.Any) -> Tensor:
    """
    -x, element-wise.
    """
def norm(input: typing.Any) -> float:
    """
    Euclidean norm of all elements (a float).
    """
def ones(*args, dtype: typing.Any = None) -> Tensor:
    """
    Ones of a shape; float32 by default.
    """
def pow(input: typing.Any, exponent: typing.SupportsFloat | typing.SupportsIndex) -> Tensor:
    """
    x ** exponent, element-wise.
    """
def rand(*args, dtype: typing.Any = None, generator: typing.Any = None) -> Tensor:
    """
    Uniform [0, 1) values from `generator` (default: the default generator, see manual_seed).
    """
def randn(*args, dtype: typing.Any = None, generator: typing.Any = None) -> Tensor:
    """
    Standard normal values from `generator` (default: the default generator).
    """
def relu(input: typing.Any) -> Tensor:
    """
    max(x, 0), element-wise.
    """
def scalar(value: typing.SupportsFloat | typing.SupportsIndex, dtype: typing.Any = None) -> Tensor:
    """
    A 0-d tensor.
    """
def set_num_threads(n: typing.SupportsInt | typing.SupportsIndex) -> None:
    """
    Sets the size of Ember's thread pool (OpenMP, shared with oneDNN and OpenBLAS).
    """
def shares_memory(a: typing.Any, b: typing.Any) -> bool:
    """
    True when the memory of two tensors or arrays may overlap.
    """
def sigmoid(input: typing.Any) -> Tensor:
    """
    1 / (1 + exp(-x)), element-wise.
    """
def sign(input: typing.Any) -> Tensor:
    """
    -1, 0 or 1, element-wise.
    """
def sqrt(input: typing.Any) -> Tensor:
    """
    Square root, element-wise.
    """
def square(input: typing.Any) -> Tensor:
    """
    x * x, element-wise.
    """
def stack(tensors: typing.Any, dim: typing.SupportsInt | typing.SupportsIndex = 0) -> Tensor:
    """
    Stacks same-shaped tensors along a new dim.
    """
def sub(input: typing.Any, other: typing.Any) -> Tensor:
    """
    a - b (broadcasting).
    """
def sum(input: typing.Any, dim: typing.Any = None, keepdim: bool = False) -> Tensor:
    """
    Sum of all elements (0-d tensor), or along dim (keepdim keeps it with size 1).
    """
def tanh(input: typing.Any) -> Tensor:
    """
    tanh(x), element-wise.
    """
def zeros(*args, dtype: typing.Any = None) -> Tensor:
    """
    Zeros of a shape: zeros(2, 3) or zeros((2, 3)); float32 by default.
    """
bfloat16: DType
float32: DType
float64: DType
int32: DType
int64: DType
uint8: DType
