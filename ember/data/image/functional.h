#pragma once
/// Image operations behind the image transformers, usable on their own (torchvision's
/// transforms.functional). Deterministic: randomness lives in the transformers.
///
/// Image layout, by dtype (the one rule every image op follows):
///   uint8            [H, W, C]  as decoded (channels last), values 0..255
///   float32/float64  [C, H, W]  as produced by ToTensor (channels first), values usually 0..1
///   any of these     [H, W]     one channel
/// Ops return a new contiguous tensor in the input's layout and dtype (crop returns a view).
/// uint8 results are rounded to nearest and clamped to 0..255.

#include <cstdint>
#include <string_view>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::data::image {

/// Height, width and channels of an image tensor, and whether channels come last (uint8).
struct ImageGeometry {
  int64_t height = 0, width = 0, channels = 0;
  bool channels_last = false;
};

/// Checks that `img` is an image in the layout above (TypeError / ShapeError naming `op`).
ImageGeometry image_geometry(const Tensor& img, std::string_view op);

/// Bilinear resize to [height, width]; matches torch.nn.functional.interpolate(mode="bilinear",
/// align_corners=False, antialias=False) on float input (no antialiasing when shrinking).
Tensor resize(const Tensor& img, int64_t height, int64_t width);

/// The window [top, top + height) x [left, left + width), which must lie inside the image (a view).
Tensor crop(const Tensor& img, int64_t top, int64_t left, int64_t height, int64_t width);

/// Adds `top`, `bottom`, `left`, `right` pixels of constant `fill` around the image.
Tensor pad(const Tensor& img, int64_t top, int64_t bottom, int64_t left, int64_t right, double fill = 0.0);

/// The centered height x width window (torchvision center_crop: pads with 0 when the image is
/// smaller; the window's top is (H - height) / 2 rounded down, likewise left).
Tensor center_crop(const Tensor& img, int64_t height, int64_t width);

/// Mirror left-right.
Tensor hflip(const Tensor& img);

/// uint8 [H, W, C] -> float32 [C, H, W] / 255; float [H, W, C] -> float32 [C, H, W] unscaled;
/// [H, W] -> [1, H, W]. (torchvision ToTensor; BigDL: MatToTensor.)
Tensor to_tensor(const Tensor& img);

/// (x[c] - mean[c]) / std[c] on a float [C, H, W] image; mean/std hold C values or one value.
Tensor normalize(const Tensor& img, const std::vector<double>& mean, const std::vector<double>& std);

/// An affine map of pixel coordinates: (x, y) -> (a x + b y + c, d x + e y + f), where x is the
/// column index and y the row index (pixel centers at integers, y down).
struct AffineMatrix {
  double a = 1, b = 0, c = 0;
  double d = 0, e = 1, f = 0;
};

/// The parameters of RandomAffine: the image is sheared, scaled and rotated about its center
/// ((W - 1) / 2, (H - 1) / 2), then translated.
struct AffineParams {
  /// Degrees; positive turns the content counter-clockwise as displayed (torchvision rotate, OpenCV).
  double angle = 0;
  /// Pixels; positive moves the content right / down.
  double translate_x = 0, translate_y = 0;
  /// Zoom factors (> 0); 2 doubles the content's size.
  double scale_x = 1, scale_y = 1;
  /// Degrees in (-90, 90): x += tan(shear_x) * y, y += tan(shear_y) * x (about the center).
  double shear_x = 0, shear_y = 0;
};

/// The inverse map (output pixel -> input pixel) of the forward transform described by `p` on an
/// image of height x width: what affine_warp takes. ValueError when the transform is singular.
AffineMatrix inverse_affine_matrix(const AffineParams& p, int64_t height, int64_t width);

/// out(x, y) = bilinear sample of img at inverse(x, y); neighbours outside the image count as `fill`
/// (in the image's units). With fill = 0 this is torch affine_grid + grid_sample(mode="bilinear",
/// padding_mode="zeros", align_corners=False) with theta = the same map in normalized coordinates.
Tensor affine_warp(const Tensor& img, const AffineMatrix& inverse, double fill = 0.0);

/// affine_warp(img, inverse_affine_matrix(p, H, W), fill).
Tensor affine(const Tensor& img, const AffineParams& p, double fill = 0.0);

/// Color adjustments with torchvision's formulas (values clamped to 0..1 for float, 0..255 for
/// uint8). brightness: x * factor; contrast: blend with the mean gray level; saturation: blend with
/// the gray image (factor 0: gray, 1: unchanged); hue: shift of the HSV hue by hue_factor in
/// [-0.5, 0.5] turns. Saturation and hue need 3 channels (1-channel images are returned unchanged).
Tensor adjust_brightness(const Tensor& img, double factor);
Tensor adjust_contrast(const Tensor& img, double factor);
Tensor adjust_saturation(const Tensor& img, double factor);
Tensor adjust_hue(const Tensor& img, double hue_factor);

}  // namespace ember::data::image
