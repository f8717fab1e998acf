"""
Samples, data sets, transformers, readers and image ops.
"""
from __future__ import annotations
import collections.abc
import ember._ember
import typing
from . import image
__all__: list[str] = ['ArrayDataSet', 'CIFAR10_MEAN', 'CIFAR10_STD', 'CenterCrop', 'Chain', 'ColorJitter', 'DataLoader', 'DataSet', 'FASHION_MNIST_MEAN', 'FASHION_MNIST_STD', 'HorizontalFlip', 'ImageFolder', 'ImageTransformer', 'Lambda', 'MNIST_MEAN', 'MNIST_STD', 'MiniBatch', 'Normalize', 'RandomAffine', 'RandomCrop', 'RandomHorizontalFlip', 'RandomRotation', 'RandomShear', 'RandomTranslate', 'RandomZoom', 'Resize', 'Sample', 'ToTensor', 'Transformer', 'collate', 'decode_image', 'detect_image_format', 'encode_jpeg', 'encode_png', 'image', 'load_cifar10', 'load_fashion_mnist', 'load_mnist', 'read_idx', 'read_image', 'write_jpeg', 'write_png']
class Sample:
    """
    One record: a list of feature tensors and a list of label tensors
    (BigDL's Sample). ``features``/``labels`` take a Tensor or array, or a list of them; a class label may be
    an int (an int64 scalar, 0-based).
    
    Example: ``s = ember.data.Sample(np.zeros((1, 28, 28), np.float32), 3)``
    """
    def __init__(self, features: typing.Any = None, labels: typing.Any = None) -> None:
        ...
    def __iter__(self) -> collections.abc.Iterator:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def feature(self) -> ember._ember.Tensor:
        """
        The first feature.
        """
    @property
    def features(self) -> list:
        """
        The feature tensors (a list; assign a list or one tensor).
        """
    @features.setter
    def features(self, arg1: typing.Any) -> None:
        ...
    @property
    def label(self) -> ember._ember.Tensor:
        """
        The first label.
        """
    @property
    def labels(self) -> list:
        ...
    @labels.setter
    def labels(self, arg1: typing.Any) -> None:
        ...
class MiniBatch:
    """
    A batch: ``input`` holds the stacked features (a Tensor [N, ...],
    or a list of them for several features), ``target`` the stacked labels (None when unlabeled), ``size`` is N.
    ``features``/``labels`` are aliases; ``x, y = batch`` unpacks (input, target).
    """
    input: typing.Any
    target: typing.Any
    def __init__(self, input: typing.Any, target: typing.Any = None) -> None:
        ...
    def __iter__(self) -> collections.abc.Iterator:
        ...
    def __len__(self) -> int:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def features(self) -> typing.Any:
        ...
    @property
    def labels(self) -> typing.Any:
        ...
    @property
    def size(self) -> int:
        ...
    @size.setter
    def size(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class DataSet:
    """
    A random-access collection of Samples (C++ data::DataSet,
    held by std::shared_ptr). Subclass it in Python by defining ``__len__`` and ``__getitem__`` (returning a Sample,
    a (features, labels) tuple, or the features alone) and calling ``super().__init__()``; the DataLoader then calls
    them from its worker threads, taking the GIL for each call.
    """
    def __getitem__(self, index: typing.SupportsInt | typing.SupportsIndex) -> Sample:
        ...
    def __init__(self) -> None:
        ...
    def __len__(self) -> int:
        ...
    def __repr__(self) -> str:
        ...
    def get(self, index: typing.SupportsInt | typing.SupportsIndex) -> Sample:
        """
        Sample `index` in [0, len).
        """
    def size(self) -> int:
        ...
class ArrayDataSet(DataSet):
    """
    All samples in memory as two tensors:
    features [N, ...] and labels [N, ...] (int64 class indices [N] for classification), or no labels. NumPy
    inputs are shared, not copied; ``ds[i]`` returns views. The DataLoader batches it without per-sample work.
    
    Example: ``ds = ember.data.ArrayDataSet(np.random.rand(100, 3).astype(np.float32), np.zeros(100, np.int64))``
    """
    def __init__(self, features: typing.Any, labels: typing.Any = None) -> None:
        ...
    @property
    def features(self) -> ember._ember.Tensor:
        ...
    @property
    def labels(self) -> typing.Any:
        ...
class ImageFolder(DataSet):
    """
    Samples of a folder tree root/<class>/<image>
    (torchvision ImageFolder): classes are the sorted sub-folders (label = index), images (.jpg, .jpeg, .png) are
    decoded lazily into uint8 [H, W, channels]. channels: 3 (RGB, default), 1 (gray) or 0 (as stored).
    """
    def __init__(self, root: typing.Any, channels: typing.SupportsInt | typing.SupportsIndex = 3) -> None:
        ...
    @property
    def channels(self) -> int:
        ...
    @property
    def classes(self) -> list[str]:
        """
        Class names in label order.
        """
    @property
    def paths(self) -> list[str]:
        """
        Image paths in sample order.
        """
    @property
    def root(self) -> str:
        ...
    @property
    def targets(self) -> list[int]:
        """
        The label of each image.
        """
class Transformer:
    """
    One per-sample step of a pipeline (C++
    data::Transformer, held by std::shared_ptr), composed with ``>>``. Subclass it in Python by defining
    ``apply(self, sample, generator) -> Sample`` (or a (features, labels) tuple), drawing randomness only from
    ``generator`` (the loader seeds one per sample from (seed, epoch, index)), and never modifying the incoming
    tensors in place. The loader calls it from worker threads, taking the GIL for each call.
    
    Calling a transformer on a Sample applies it; on an array or Tensor, it transforms that one feature and
    returns the result: ``ember.data.HorizontalFlip()(img)``.
    """
    @staticmethod
    def __reduce__(t):
        ...
    def __call__(self, input: typing.Any, generator: typing.Any = None) -> typing.Any:
        ...
    def __init__(self) -> None:
        ...
    def __repr__(self) -> str:
        ...
    def __rshift__(self, other: Transformer) -> Transformer:
        """
        a >> b: a, then b.
        """
    def apply(self, sample: Sample, generator: typing.Any = None) -> Sample:
        ...
    def repr(self) -> str:
        ...
class Chain(Transformer):
    """
    Two transformers applied in order (what `a >> b` builds).
    """
    def __init__(self, first: Transformer, second: Transformer) -> None:
        ...
    @property
    def first(self) -> Transformer:
        ...
    @property
    def second(self) -> Transformer:
        ...
class Lambda(Transformer):
    """
    A transformer from a Python function
    ``fn(sample, generator) -> Sample`` (or ``fn(sample)``), returning a Sample or a (features, labels) tuple;
    ``name`` is its repr. The function must not modify the sample's tensors in place.
    
    Example: ``ember.data.Lambda("Scale", lambda s: (s.feature * 2, s.labels))``
    """
    def __init__(self, name: str, fn: collections.abc.Callable) -> None:
        ...
    @property
    def fn(self) -> typing.Any:
        """
        The Python function given (None for a Lambda made in C++).
        """
class ImageTransformer(Transformer):
    """
    A transformer
    of the sample's first feature (an image: uint8 [H, W, C] before ToTensor, float [C, H, W] after). Subclass it
    in Python by defining ``apply_image(self, image, generator) -> Tensor or array``.
    """
    def __init__(self) -> None:
        ...
    def apply_image(self, image: typing.Any, generator: typing.Any = None) -> ember._ember.Tensor:
        ...
class Resize(ImageTransformer):
    """
    Bilinear resize to height x width, or of the shorter side to shorter_side (aspect kept). BigDL: Resize.
    """
    def __init__(self, height: typing.SupportsInt | typing.SupportsIndex = 0, width: typing.SupportsInt | typing.SupportsIndex = 0, shorter_side: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class CenterCrop(ImageTransformer):
    """
    The centered height x width window (zero-padded when smaller).
    """
    def __init__(self, height: typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class RandomCrop(ImageTransformer):
    """
    A height x width window at a random position, after `padding` pixels of `fill` on every side (CIFAR: RandomCrop(height=32, width=32, padding=4)).
    """
    def __init__(self, height: typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex, padding: typing.SupportsInt | typing.SupportsIndex = 0, pad_if_needed: bool = False, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class HorizontalFlip(ImageTransformer):
    """
    Mirror left-right, always. BigDL: HFlip.
    """
    def __init__(self) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class RandomHorizontalFlip(ImageTransformer):
    """
    Mirror left-right with probability p.
    """
    def __init__(self, p: typing.SupportsFloat | typing.SupportsIndex = 0.5) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class ToTensor(ImageTransformer):
    """
    uint8 [H, W, C] -> float32 [C, H, W] in [0, 1]. BigDL: MatToTensor.
    """
    def __init__(self) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class Normalize(ImageTransformer):
    """
    (x - mean[c]) / std[c] on float [C, H, W]; one value per channel or one for all. BigDL: ChannelNormalize.
    """
    def __init__(self, mean: typing.Any, std: typing.Any) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class ColorJitter(ImageTransformer):
    """
    Random brightness, contrast, saturation (factor in [max(0, 1 - b), 1 + b]) and hue (shift in [-h, h]) in a random order, as torchvision.
    """
    def __init__(self, brightness: typing.SupportsFloat | typing.SupportsIndex = 0.0, contrast: typing.SupportsFloat | typing.SupportsIndex = 0.0, saturation: typing.SupportsFloat | typing.SupportsIndex = 0.0, hue: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class RandomAffine(ImageTransformer):
    """
    Random rotation, translation, zoom and shear about the center
    (torchvision RandomAffine). degrees: d (from [-d, d]) or (lo, hi); translate: (a, b) fractions of W and H;
    scale: (lo, hi); shear: s, (lo, hi) or (xlo, xhi, ylo, yhi) degrees; fill: value outside the image.
    """
    def __init__(self, degrees: typing.Any = None, translate: typing.Any = None, scale: typing.Any = None, shear: typing.Any = None, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
    def get_params(self, height: typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex, generator: typing.Any = None) -> image.AffineParams:
        """
        The parameters drawn for an image of height x width.
        """
class RandomRotation(RandomAffine):
    """
    Rotation by a random angle: degrees d (from [-d, d]) or (lo, hi).
    """
    def __init__(self, degrees: typing.Any, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class RandomShear(RandomAffine):
    """
    Shear by random angles (Keras shear_range).
    """
    def __init__(self, shear: typing.Any, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class RandomZoom(RandomAffine):
    """
    Zoom by a factor from scale=(lo, hi) (Keras zoom_range).
    """
    def __init__(self, scale: typing.Any, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class RandomTranslate(RandomAffine):
    """
    Shift by translate=(a, b) fractions of W and H at most.
    """
    def __init__(self, translate: typing.Any, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def config(self) -> dict:
        """
        The options it was made with, as keyword arguments.
        """
class DataLoader:
    """
    Batches of a DataSet, shuffled per epoch from `seed`, transformed
    and collated on `num_workers` background threads (0: on the caller's thread). Batches are identical for any
    num_workers and resume exactly from state_dict().
    
    Iterating yields MiniBatch objects (``for x, y in loader`` unpacks input and target). Each ``iter(loader)``
    starts the next epoch (1, 2, ...), unless start_epoch/set_epoch/load_state_dict positioned the loader, in
    which case it continues from there. With copy=True (default) every batch owns its tensors; copy=False hands
    out the loader's reused buffers, valid until the next batch. Waiting for a batch releases the GIL.
    
    Example::
    
        loader = ember.data.DataLoader(ds, batch_size=128, shuffle=True, seed=42, transform=ember.data.ToTensor())
        for epoch in range(1, 3):
            for x, y in loader: ...
    """
    def __init__(self, dataset: DataSet, batch_size: typing.SupportsInt | typing.SupportsIndex = 32, shuffle: bool = True, seed: typing.SupportsInt | typing.SupportsIndex = 0, drop_last: bool = False, num_workers: typing.SupportsInt | typing.SupportsIndex = 2, prefetch: typing.SupportsInt | typing.SupportsIndex = 4, transform: Transformer = None, copy: bool = True) -> None:
        ...
    def __iter__(self) -> typing.Any:
        ...
    def __len__(self) -> int:
        ...
    def __next__(self) -> MiniBatch:
        ...
    def __repr__(self) -> str:
        ...
    def close(self) -> None:
        """
        Stops the workers (the loader cannot be used afterwards; interpreter exit closes every loader).
        """
    def load_state_dict(self, state: typing.Any) -> None:
        """
        Resumes at the saved (epoch, batch) with the saved seed.
        """
    def next(self) -> typing.Any:
        """
        The next batch of the current epoch, or None at its end.
        """
    def num_batches(self) -> int:
        """
        Batches per epoch.
        """
    def set_epoch(self, epoch: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        The next iteration yields epoch `epoch` (its order depends only on (seed, epoch)).
        """
    def start_epoch(self, epoch: typing.SupportsInt | typing.SupportsIndex, first_batch: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        Positions the loader at epoch `epoch` (1-based), batch first_batch; the next iteration continues there.
        """
    def state_dict(self) -> dict:
        """
        {'epoch', 'batch' (the next one), 'seed', 'batch_size', 'dataset_size'}: where a checkpoint resumes.
        """
    @property
    def batch_size(self) -> int:
        ...
    @property
    def dataset(self) -> DataSet:
        ...
    @property
    def dataset_size(self) -> int:
        ...
    @property
    def drop_last(self) -> bool:
        ...
    @property
    def epoch(self) -> int:
        """
        The current epoch (0 before the first).
        """
    @property
    def num_workers(self) -> int:
        ...
    @property
    def prefetch(self) -> int:
        ...
    @property
    def seed(self) -> int:
        ...
    @property
    def shuffle(self) -> bool:
        ...
    @property
    def transform(self) -> typing.Any:
        ...
def _dataset_size(dataset: DataSet) -> int:
    ...
def collate(samples: collections.abc.Sequence[Sample]) -> MiniBatch:
    """
    Stacks samples into a MiniBatch (features must agree in shape and dtype; the error names the first sample that differs).
    """
def decode_image(data: typing.Any, channels: typing.SupportsInt | typing.SupportsIndex = 0) -> ember._ember.Tensor:
    """
    Decodes a JPEG or PNG (bytes, a uint8 array, or a path) into uint8 [H, W, C]. channels: 0 as stored, 1 gray, 3 RGB. The format comes from the magic bytes; ember.FormatError for corrupt data.
    """
def detect_image_format(data: bytes) -> typing.Any:
    """
    'jpeg', 'png' or None, from the first bytes.
    """
def encode_jpeg(image: typing.Any, quality: typing.SupportsInt | typing.SupportsIndex = 95) -> bytes:
    """
    Baseline JPEG bytes of a uint8 image [H, W, C] (C = 1 or 3) or [H, W].
    """
def encode_png(image: typing.Any) -> bytes:
    """
    PNG bytes of a uint8 image [H, W, C] (C = 1, 2, 3, 4) or [H, W].
    """
def load_cifar10(dir: typing.Any, train: bool = True, normalize: bool = True, mean: typing.Annotated[collections.abc.Sequence[typing.SupportsFloat | typing.SupportsIndex], "FixedSize(3)"] | None = None, std: typing.Annotated[collections.abc.Sequence[typing.SupportsFloat | typing.SupportsIndex], "FixedSize(3)"] | None = None) -> ArrayDataSet:
    """
    CIFAR-10 binary (dir or dir/cifar-10-batches-bin) as an ArrayDataSet: features float32 [N, 3, 32, 32], labels int64 [N]; N = 50000 (train) or 10000.
    """
def load_fashion_mnist(dir: typing.Any, train: bool = True, normalize: bool = True, mean: typing.SupportsFloat | typing.SupportsIndex | None = None, std: typing.SupportsFloat | typing.SupportsIndex | None = None) -> ArrayDataSet:
    """
    Fashion-MNIST (MNIST's layout and file names), normalized with its own mean and std.
    """
def load_mnist(dir: typing.Any, train: bool = True, normalize: bool = True, mean: typing.SupportsFloat | typing.SupportsIndex | None = None, std: typing.SupportsFloat | typing.SupportsIndex | None = None) -> ArrayDataSet:
    """
    MNIST from dir ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]) as an ArrayDataSet: features float32 [N, 1, 28, 28] ((x/255 - mean)/std when normalize), labels int64 [N]. N = 60000 (train) or 10000.
    """
def read_idx(path: typing.Any) -> ember._ember.Tensor:
    """
    An IDX file (raw or gzip) as a tensor with the file's dims (ubyte -> uint8).
    """
def read_image(path: typing.Any, channels: typing.SupportsInt | typing.SupportsIndex = 0) -> ember._ember.Tensor:
    """
    Reads and decodes an image file into uint8 [H, W, C].
    """
def write_jpeg(path: typing.Any, image: typing.Any, quality: typing.SupportsInt | typing.SupportsIndex = 95) -> None:
    """
    Writes a uint8 image as JPEG.
    """
def write_png(path: typing.Any, image: typing.Any) -> None:
    """
    Writes a uint8 image as PNG.
    """
CIFAR10_MEAN: tuple = (0.4913996898739353, 0.4821584196221302, 0.44653092422369434)
CIFAR10_STD: tuple = (0.24703223517429462, 0.2434851308749409, 0.26158784442034005)
FASHION_MNIST_MEAN: float = 0.286
FASHION_MNIST_STD: float = 0.353
MNIST_MEAN: float = 0.13066047740239506
MNIST_STD: float = 0.3081078
