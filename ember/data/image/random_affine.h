#pragma once
/// Random geometric augmentations, all through one affine warp (functional.h image::affine_warp:
/// inverse mapping, bilinear sampling, `fill` outside the image): RandomRotation, RandomShear,
/// RandomZoom and RandomTranslate (the augmentations BigDL users wrote by hand, Keras'
/// ImageDataGenerator ranges) and RandomAffine, which combines them (torchvision RandomAffine).
/// They work on uint8 [H, W, C] and float [C, H, W] images; the output has the input's size.
///
/// Example:
///   auto aug = std::make_shared<RandomAffine>(RandomAffineOptions{
///       .degrees = {15}, .translate = {0.1, 0.1}, .scale = {0.9, 1.1}, .shear = {10}});

#include <string>
#include <vector>

#include "ember/data/image/functional.h"
#include "ember/data/image/transforms.h"

namespace ember::data {

/// Options for RandomAffine. Empty vectors disable a component. Draws are uniform, in this order:
/// angle, translation, scale, shear.
struct RandomAffineOptions {
  /// Rotation in degrees: {d} draws from [-d, d], {lo, hi} from [lo, hi]. Positive is
  /// counter-clockwise.
  std::vector<double> degrees{};
  /// {a, b}: the shift is drawn from [-a W, a W] x [-b H, b H] pixels (a, b in [0, 1]).
  std::vector<double> translate{};
  /// {lo, hi}: one zoom factor for both axes (> 0).
  std::vector<double> scale{};
  /// Shear in degrees: {s} -> x from [-s, s]; {lo, hi} -> x from [lo, hi]; {xlo, xhi, ylo, yhi}
  /// shears both axes. Values within (-90, 90).
  std::vector<double> shear{};
  /// Value of pixels that come from outside the image, in the image's units (0..255 for uint8).
  double fill = 0.0;
  template <class V>
  void visit(V&& v) {
    v("degrees", degrees); v("translate", translate); v("scale", scale); v("shear", shear); v("fill", fill);
  }
};

/// Rotation, translation, zoom and shear with random parameters, about the image center.
class RandomAffine : public ImageTransformer {
 public:
  explicit RandomAffine(RandomAffineOptions options);
  /// Draws the parameters for an image of height x width (what apply_image uses).
  image::AffineParams get_params(int64_t height, int64_t width, Generator& rng) const;
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override;
  const RandomAffineOptions& options() const { return options_; }

 protected:
  RandomAffine(RandomAffineOptions options, std::string name);

 private:
  RandomAffineOptions options_;
  std::string name_;  // "RandomAffine", or the restricted transformer's name
  double deg_lo_ = 0, deg_hi_ = 0, shx_lo_ = 0, shx_hi_ = 0, shy_lo_ = 0, shy_hi_ = 0;
};

/// Options for RandomRotation.
struct RandomRotationOptions {
  /// {d}: angle from [-d, d] degrees; {lo, hi}: from [lo, hi].
  std::vector<double> degrees{};
  double fill = 0.0;
  template <class V>
  void visit(V&& v) { v("degrees", degrees); v("fill", fill); }
};

/// Rotation by a random angle about the center (torchvision RandomRotation, expand=False).
class RandomRotation final : public RandomAffine {
 public:
  explicit RandomRotation(RandomRotationOptions options);
  /// Angle drawn from [-degrees, degrees].
  explicit RandomRotation(double degrees) : RandomRotation(RandomRotationOptions{.degrees = {degrees}, .fill = 0.0}) {}
  std::string repr() const override;

  /// The options it was made with (RandomAffine::options() gives the affine ones they become).
  const RandomRotationOptions& options() const { return ropts_; }

 private:
  RandomRotationOptions ropts_;
};

/// Options for RandomShear.
struct RandomShearOptions {
  /// As RandomAffineOptions::shear, in degrees.
  std::vector<double> shear{};
  double fill = 0.0;
  template <class V>
  void visit(V&& v) { v("shear", shear); v("fill", fill); }
};

/// Shear by random angles about the center (Keras shear_range).
class RandomShear final : public RandomAffine {
 public:
  explicit RandomShear(RandomShearOptions options);
  std::string repr() const override;

  /// The options it was made with (RandomAffine::options() gives the affine ones they become).
  const RandomShearOptions& options() const { return ropts_; }

 private:
  RandomShearOptions ropts_;
};

/// Options for RandomZoom.
struct RandomZoomOptions {
  /// {lo, hi}: zoom factor drawn from [lo, hi]; > 1 enlarges the content.
  std::vector<double> scale{};
  double fill = 0.0;
  template <class V>
  void visit(V&& v) { v("scale", scale); v("fill", fill); }
};

/// Zoom in or out about the center by a random factor, keeping the image size (Keras zoom_range).
class RandomZoom final : public RandomAffine {
 public:
  explicit RandomZoom(RandomZoomOptions options);
  std::string repr() const override;

  /// The options it was made with (RandomAffine::options() gives the affine ones they become).
  const RandomZoomOptions& options() const { return ropts_; }

 private:
  RandomZoomOptions ropts_;
};

/// Options for RandomTranslate.
struct RandomTranslateOptions {
  /// {a, b}: shift drawn from [-a W, a W] x [-b H, b H] pixels.
  std::vector<double> translate{};
  double fill = 0.0;
  template <class V>
  void visit(V&& v) { v("translate", translate); v("fill", fill); }
};

/// Shift by a random fraction of the size (Keras width_shift_range / height_shift_range).
class RandomTranslate final : public RandomAffine {
 public:
  explicit RandomTranslate(RandomTranslateOptions options);
  std::string repr() const override;

  /// The options it was made with (RandomAffine::options() gives the affine ones they become).
  const RandomTranslateOptions& options() const { return ropts_; }

 private:
  RandomTranslateOptions ropts_;
};

}  // namespace ember::data
