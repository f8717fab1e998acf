"""
Image functions (torchvision transforms.functional) and codecs.
"""
from __future__ import annotations
import ember._ember
import typing
__all__: list[str] = ['AffineMatrix', 'AffineParams', 'ImageGeometry', 'adjust_brightness', 'adjust_contrast', 'adjust_hue', 'adjust_saturation', 'affine', 'affine_warp', 'center_crop', 'crop', 'decode_image', 'detect_image_format', 'encode_jpeg', 'encode_png', 'hflip', 'image_geometry', 'inverse_affine_matrix', 'normalize', 'pad', 'read_image', 'resize', 'to_tensor', 'write_jpeg', 'write_png']
class ImageGeometry:
    """
    Height, width, channels of an image and its layout.
    """
    def __repr__(self) -> str:
        ...
    @property
    def channels(self) -> int:
        ...
    @property
    def channels_last(self) -> bool:
        ...
    @property
    def height(self) -> int:
        ...
    @property
    def width(self) -> int:
        ...
class AffineMatrix:
    """
    (x, y) -> (a x + b y + c, d x + e y + f); x is the column, y the row (y down).
    """
    def __init__(self, a: typing.SupportsFloat | typing.SupportsIndex = 1.0, b: typing.SupportsFloat | typing.SupportsIndex = 0.0, c: typing.SupportsFloat | typing.SupportsIndex = 0.0, d: typing.SupportsFloat | typing.SupportsIndex = 0.0, e: typing.SupportsFloat | typing.SupportsIndex = 1.0, f: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def a(self) -> float:
        ...
    @a.setter
    def a(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def b(self) -> float:
        ...
    @b.setter
    def b(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def c(self) -> float:
        ...
    @c.setter
    def c(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def d(self) -> float:
        ...
    @d.setter
    def d(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def e(self) -> float:
        ...
    @e.setter
    def e(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def f(self) -> float:
        ...
    @f.setter
    def f(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
class AffineParams:
    """
    Rotation (degrees, counter-clockwise), translation (pixels), zoom and shear (degrees) about the image center.
    """
    def __init__(self, angle: typing.SupportsFloat | typing.SupportsIndex = 0.0, translate_x: typing.SupportsFloat | typing.SupportsIndex = 0.0, translate_y: typing.SupportsFloat | typing.SupportsIndex = 0.0, scale_x: typing.SupportsFloat | typing.SupportsIndex = 1.0, scale_y: typing.SupportsFloat | typing.SupportsIndex = 1.0, shear_x: typing.SupportsFloat | typing.SupportsIndex = 0.0, shear_y: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def angle(self) -> float:
        ...
    @angle.setter
    def angle(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def scale_x(self) -> float:
        ...
    @scale_x.setter
    def scale_x(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def scale_y(self) -> float:
        ...
    @scale_y.setter
    def scale_y(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def shear_x(self) -> float:
        ...
    @shear_x.setter
    def shear_x(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def shear_y(self) -> float:
        ...
    @shear_y.setter
    def shear_y(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def translate_x(self) -> float:
        ...
    @translate_x.setter
    def translate_x(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def translate_y(self) -> float:
        ...
    @translate_y.setter
    def translate_y(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
def adjust_brightness(image: typing.Any, factor: typing.SupportsFloat | typing.SupportsIndex) -> ember._ember.Tensor:
    """
    x * factor, clamped.
    """
def adjust_contrast(image: typing.Any, factor: typing.SupportsFloat | typing.SupportsIndex) -> ember._ember.Tensor:
    """
    Blend with the mean gray level.
    """
def adjust_hue(image: typing.Any, hue_factor: typing.SupportsFloat | typing.SupportsIndex) -> ember._ember.Tensor:
    """
    HSV hue shift by hue_factor in [-0.5, 0.5] turns.
    """
def adjust_saturation(image: typing.Any, factor: typing.SupportsFloat | typing.SupportsIndex) -> ember._ember.Tensor:
    """
    Blend with the gray image (0: gray, 1: unchanged).
    """
def affine(image: typing.Any, angle: typing.SupportsFloat | typing.SupportsIndex = 0.0, translate_x: typing.SupportsFloat | typing.SupportsIndex = 0.0, translate_y: typing.SupportsFloat | typing.SupportsIndex = 0.0, scale_x: typing.SupportsFloat | typing.SupportsIndex = 1.0, scale_y: typing.SupportsFloat | typing.SupportsIndex = 1.0, shear_x: typing.SupportsFloat | typing.SupportsIndex = 0.0, shear_y: typing.SupportsFloat | typing.SupportsIndex = 0.0, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> ember._ember.Tensor:
    """
    Shear, zoom and rotation about the center, then translation (see AffineParams).
    """
def affine_warp(image: typing.Any, inverse: AffineMatrix, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> ember._ember.Tensor:
    """
    Bilinear sampling of the image at inverse(x, y); outside pixels count as `fill`.
    """
def center_crop(image: typing.Any, height: typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex) -> ember._ember.Tensor:
    """
    The centered window (zero-padded when the image is smaller).
    """
def crop(image: typing.Any, top: typing.SupportsInt | typing.SupportsIndex, left: typing.SupportsInt | typing.SupportsIndex, height: typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex) -> ember._ember.Tensor:
    """
    The window [top, top + height) x [left, left + width) (a view).
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
def hflip(image: typing.Any) -> ember._ember.Tensor:
    """
    Mirror left-right.
    """
def image_geometry(image: typing.Any) -> ImageGeometry:
    """
    Height, width, channels of an image (uint8 [H, W, C], float [C, H, W] or [H, W]).
    """
def inverse_affine_matrix(params: AffineParams, height: typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex) -> AffineMatrix:
    """
    The output -> input pixel map of an affine transform (what affine_warp takes).
    """
def normalize(image: typing.Any, mean: typing.Any, std: typing.Any) -> ember._ember.Tensor:
    """
    (x[c] - mean[c]) / std[c] on a float [C, H, W] image.
    """
def pad(image: typing.Any, top: typing.SupportsInt | typing.SupportsIndex, bottom: typing.SupportsInt | typing.SupportsIndex, left: typing.SupportsInt | typing.SupportsIndex, right: typing.SupportsInt | typing.SupportsIndex, fill: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> ember._ember.Tensor:
    """
    Adds constant `fill` pixels around the image.
    """
def read_image(path: typing.Any, channels: typing.SupportsInt | typing.SupportsIndex = 0) -> ember._ember.Tensor:
    """
    Reads and decodes an image file into uint8 [H, W, C].
    """
def resize(image: typing.Any, height: typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex) -> ember._ember.Tensor:
    """
    Bilinear resize (torch interpolate bilinear, align_corners=False, no antialias).
    """
def to_tensor(image: typing.Any) -> ember._ember.Tensor:
    """
    uint8 [H, W, C] -> float32 [C, H, W] / 255; float [H, W, C] -> float32 [C, H, W]; [H, W] -> [1, H, W].
    """
def write_jpeg(path: typing.Any, image: typing.Any, quality: typing.SupportsInt | typing.SupportsIndex = 95) -> None:
    """
    Writes a uint8 image as JPEG.
    """
def write_png(path: typing.Any, image: typing.Any) -> None:
    """
    Writes a uint8 image as PNG.
    """
