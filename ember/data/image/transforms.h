#pragma once
/// Image transformers (torchvision.transforms; BigDL: the vision.image FeatureTransformers such as
/// Resize, CenterCrop, RandomCrop, HFlip, ChannelNormalize, ColorJitter, MatToTensor). Each acts on
/// the sample's first feature; see functional.h for the image layout rule (uint8 [H, W, C] before
/// ToTensor, float [C, H, W] after). Geometric and color transformers accept both layouts.
///
/// Example:
///   TransformerPtr t = std::make_shared<RandomCrop>(RandomCropOptions{.height = 32, .width = 32, .padding = 4})
///                      >> std::make_shared<RandomHorizontalFlip>()
///                      >> std::make_shared<ToTensor>()
///                      >> std::make_shared<Normalize>(NormalizeOptions{.mean = {0.49, 0.48, 0.45},
///                                                                      .std = {0.25, 0.24, 0.26}});

#include <cstdint>
#include <string>
#include <vector>

#include "ember/data/transformer.h"
#include "ember/tensor/tensor.h"

namespace ember::data {

/// A Transformer that maps the first feature of a sample (an image) and keeps the rest.
class ImageTransformer : public Transformer {
 public:
  Sample apply(Sample sample, Generator& rng) const final;
  /// The transformed image (a new tensor or a view; the input is never modified).
  virtual Tensor apply_image(const Tensor& image, Generator& rng) const = 0;
};

/// Options for Resize: either height and width, or shorter_side alone.
struct ResizeOptions {
  int64_t height = 0;
  int64_t width = 0;
  /// When > 0 (height = width = 0): the shorter side becomes this and the aspect ratio is kept
  /// (torchvision Resize(int)); the longer side is floor(shorter_side * long / short).
  int64_t shorter_side = 0;
  template <class V>
  void visit(V&& v) { v("height", height); v("width", width); v("shorter_side", shorter_side); }
};

/// Bilinear resize (functional.h image::resize). BigDL: Resize.
class Resize final : public ImageTransformer {
 public:
  explicit Resize(ResizeOptions options);
  Resize(int64_t height, int64_t width) : Resize(ResizeOptions{.height = height, .width = width, .shorter_side = 0}) {}
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override;
  const ResizeOptions& options() const { return options_; }

 private:
  ResizeOptions options_;
};

/// Options for CenterCrop.
struct CenterCropOptions {
  int64_t height = 0;
  int64_t width = 0;
  template <class V>
  void visit(V&& v) { v("height", height); v("width", width); }
};

/// The centered height x width window (zero-padded when the image is smaller). BigDL: CenterCrop.
class CenterCrop final : public ImageTransformer {
 public:
  explicit CenterCrop(CenterCropOptions options);
  CenterCrop(int64_t height, int64_t width) : CenterCrop(CenterCropOptions{.height = height, .width = width}) {}
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override;

  /// The options it was made with.
  const CenterCropOptions& options() const { return options_; }

 private:
  CenterCropOptions options_;
};

/// Options for RandomCrop.
struct RandomCropOptions {
  int64_t height = 0;
  int64_t width = 0;
  /// Pixels of `fill` added on every side before cropping (CIFAR's 32x32 with padding 4).
  int64_t padding = 0;
  /// Pads the image up to height x width when it is smaller (otherwise that is a ShapeError).
  bool pad_if_needed = false;
  double fill = 0.0;
  template <class V>
  void visit(V&& v) {
    v("height", height); v("width", width); v("padding", padding); v("pad_if_needed", pad_if_needed); v("fill", fill);
  }
};

/// A height x width window at a uniformly drawn position. BigDL: RandomCrop.
class RandomCrop final : public ImageTransformer {
 public:
  explicit RandomCrop(RandomCropOptions options);
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override;

  /// The options it was made with.
  const RandomCropOptions& options() const { return options_; }

 private:
  RandomCropOptions options_;
};

/// Mirror left-right, always. BigDL: HFlip.
class HorizontalFlip final : public ImageTransformer {
 public:
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override { return "HorizontalFlip()"; }
};

/// Options for RandomHorizontalFlip.
struct RandomHorizontalFlipOptions {
  /// Probability of flipping.
  double p = 0.5;
  template <class V>
  void visit(V&& v) { v("p", p); }
};

/// Mirror left-right with probability p. BigDL: RandomTransformer(HFlip(), p).
class RandomHorizontalFlip final : public ImageTransformer {
 public:
  explicit RandomHorizontalFlip(RandomHorizontalFlipOptions options = {});
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override;

  /// The options it was made with.
  const RandomHorizontalFlipOptions& options() const { return options_; }

 private:
  RandomHorizontalFlipOptions options_;
};

/// uint8 [H, W, C] -> float32 [C, H, W] in [0, 1]; float [H, W, C] -> float32 [C, H, W] unscaled.
/// BigDL: MatToTensor.
class ToTensor final : public ImageTransformer {
 public:
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override { return "ToTensor()"; }
};

/// Options for Normalize: one value per channel, or one for all.
struct NormalizeOptions {
  std::vector<double> mean{};
  std::vector<double> std{};
  template <class V>
  void visit(V&& v) { v("mean", mean); v("std", std); }
};

/// (x - mean[c]) / std[c] on float [C, H, W]. BigDL: ChannelNormalize.
class Normalize final : public ImageTransformer {
 public:
  explicit Normalize(NormalizeOptions options);
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override;

  /// The options it was made with.
  const NormalizeOptions& options() const { return options_; }

 private:
  NormalizeOptions options_;
};

/// Options for ColorJitter (torchvision): brightness/contrast/saturation b draw a factor in
/// [max(0, 1 - b), 1 + b]; hue h in [0, 0.5] draws a shift in [-h, h]. 0 disables one.
struct ColorJitterOptions {
  double brightness = 0;
  double contrast = 0;
  double saturation = 0;
  double hue = 0;
  template <class V>
  void visit(V&& v) { v("brightness", brightness); v("contrast", contrast); v("saturation", saturation); v("hue", hue); }
};

/// The four color adjustments of functional.h with random factors, applied in a random order (as
/// torchvision). BigDL: ColorJitter.
class ColorJitter final : public ImageTransformer {
 public:
  explicit ColorJitter(ColorJitterOptions options);
  Tensor apply_image(const Tensor& image, Generator& rng) const override;
  std::string repr() const override;

  /// The options it was made with.
  const ColorJitterOptions& options() const { return options_; }

 private:
  ColorJitterOptions options_;
};

}  // namespace ember::data
