#include "ember/data/image/transforms.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "ember/core/error.h"
#include "ember/data/image/functional.h"
#include "ember/nn/options.h"

namespace ember::data {

Sample ImageTransformer::apply(Sample sample, Generator& rng) const {
  EMBER_CHECK(!sample.features.empty(), "[data.", repr(), "] the sample has no feature (expected an image)");
  sample.features[0] = apply_image(sample.features[0], rng);
  return sample;
}

namespace {
template <class Options>
std::string repr_of(const char* name, const Options& o) {
  return std::string(name) + "(" + nn::options_repr(o) + ")";
}
double uniform(Generator& rng, double lo, double hi) { return lo + (hi - lo) * rng.next_double(); }
}  // namespace

// ---- Resize -----------------------------------------------------------------------------------

Resize::Resize(ResizeOptions options) : options_(options) {
  const bool hw = options_.height > 0 && options_.width > 0 && options_.shorter_side == 0;
  const bool side = options_.shorter_side > 0 && options_.height == 0 && options_.width == 0;
  EMBER_CHECK(hw || side, "[data.Resize] expected height > 0 and width > 0, or shorter_side > 0 alone, got height=",
              options_.height, ", width=", options_.width, ", shorter_side=", options_.shorter_side);
}

Tensor Resize::apply_image(const Tensor& img, Generator&) const {
  if (options_.shorter_side == 0) return image::resize(img, options_.height, options_.width);
  const image::ImageGeometry g = image::image_geometry(img, "data.Resize");
  const int64_t s = options_.shorter_side;
  if (g.height <= g.width) return image::resize(img, s, s * g.width / g.height);
  return image::resize(img, s * g.height / g.width, s);
}

std::string Resize::repr() const { return repr_of("Resize", options_); }

// ---- crops and flips --------------------------------------------------------------------------

CenterCrop::CenterCrop(CenterCropOptions options) : options_(options) {
  EMBER_CHECK(options_.height > 0 && options_.width > 0, "[data.CenterCrop] height and width must be > 0, got ",
              options_.height, " x ", options_.width);
}

Tensor CenterCrop::apply_image(const Tensor& img, Generator&) const {
  return image::center_crop(img, options_.height, options_.width);
}

std::string CenterCrop::repr() const { return repr_of("CenterCrop", options_); }

RandomCrop::RandomCrop(RandomCropOptions options) : options_(options) {
  EMBER_CHECK(options_.height > 0 && options_.width > 0, "[data.RandomCrop] height and width must be > 0, got ",
              options_.height, " x ", options_.width);
  EMBER_CHECK(options_.padding >= 0, "[data.RandomCrop] padding must be >= 0, got ", options_.padding);
}

Tensor RandomCrop::apply_image(const Tensor& img, Generator& rng) const {
  Tensor src = img;
  if (options_.padding > 0) {
    const int64_t p = options_.padding;
    src = image::pad(img, p, p, p, p, options_.fill);
  }
  image::ImageGeometry g = image::image_geometry(src, "data.RandomCrop");
  if (options_.pad_if_needed && (g.height < options_.height || g.width < options_.width)) {
    const int64_t ph = std::max<int64_t>(0, options_.height - g.height);
    const int64_t pw = std::max<int64_t>(0, options_.width - g.width);
    src = image::pad(src, ph, ph, pw, pw, options_.fill);  // torchvision pads both sides by the gap
    g = image::image_geometry(src, "data.RandomCrop");
  }
  EMBER_CHECK_SHAPE(g.height >= options_.height && g.width >= options_.width, "[data.RandomCrop] the crop ",
                    options_.height, " x ", options_.width, " is larger than the ", g.height, " x ", g.width,
                    " image (after padding=", options_.padding,
                    "). Hint: set pad_if_needed = true or Resize first");
  const auto top = static_cast<int64_t>(rng.next_below(static_cast<uint64_t>(g.height - options_.height + 1)));
  const auto left = static_cast<int64_t>(rng.next_below(static_cast<uint64_t>(g.width - options_.width + 1)));
  return image::crop(src, top, left, options_.height, options_.width);
}

std::string RandomCrop::repr() const { return repr_of("RandomCrop", options_); }

Tensor HorizontalFlip::apply_image(const Tensor& img, Generator&) const { return image::hflip(img); }

RandomHorizontalFlip::RandomHorizontalFlip(RandomHorizontalFlipOptions options) : options_(options) {
  EMBER_CHECK(options_.p >= 0 && options_.p <= 1, "[data.RandomHorizontalFlip] p must be in [0, 1], got ", options_.p);
}

Tensor RandomHorizontalFlip::apply_image(const Tensor& img, Generator& rng) const {
  // Always draw, so that the stream position does not depend on the outcome.
  const bool flip = rng.next_double() < options_.p;
  if (!flip) {
    image::image_geometry(img, "data.RandomHorizontalFlip");
    return img;
  }
  return image::hflip(img);
}

std::string RandomHorizontalFlip::repr() const { return repr_of("RandomHorizontalFlip", options_); }

// ---- tensor conversion ------------------------------------------------------------------------

Tensor ToTensor::apply_image(const Tensor& img, Generator&) const { return image::to_tensor(img); }

Normalize::Normalize(NormalizeOptions options) : options_(std::move(options)) {
  EMBER_CHECK(!options_.mean.empty() && !options_.std.empty(), "[data.Normalize] mean and std must not be empty, got ",
              options_.mean.size(), " and ", options_.std.size(), " values");
  for (double s : options_.std) EMBER_CHECK(s != 0.0, "[data.Normalize] std must be non-zero, got ", s);
}

Tensor Normalize::apply_image(const Tensor& img, Generator&) const {
  return image::normalize(img, options_.mean, options_.std);
}

std::string Normalize::repr() const { return repr_of("Normalize", options_); }

// ---- color ------------------------------------------------------------------------------------

ColorJitter::ColorJitter(ColorJitterOptions options) : options_(options) {
  EMBER_CHECK(options_.brightness >= 0 && options_.contrast >= 0 && options_.saturation >= 0,
              "[data.ColorJitter] brightness, contrast and saturation must be >= 0, got ", nn::options_repr(options_));
  EMBER_CHECK(options_.hue >= 0 && options_.hue <= 0.5, "[data.ColorJitter] hue must be in [0, 0.5], got ",
              options_.hue);
}

Tensor ColorJitter::apply_image(const Tensor& img, Generator& rng) const {
  // torchvision's order of draws: a permutation of the four adjustments, then their factors.
  std::array<int, 4> order{0, 1, 2, 3};
  for (int i = 3; i > 0; --i) std::swap(order[i], order[rng.next_below(static_cast<uint64_t>(i + 1))]);
  auto factor = [&](double r) { return uniform(rng, std::max(0.0, 1.0 - r), 1.0 + r); };
  const double b = options_.brightness > 0 ? factor(options_.brightness) : 1.0;
  const double c = options_.contrast > 0 ? factor(options_.contrast) : 1.0;
  const double s = options_.saturation > 0 ? factor(options_.saturation) : 1.0;
  const double h = options_.hue > 0 ? uniform(rng, -options_.hue, options_.hue) : 0.0;
  Tensor out = img;
  image::image_geometry(img, "data.ColorJitter");
  for (int op : order) {
    if (op == 0 && options_.brightness > 0) out = image::adjust_brightness(out, b);
    if (op == 1 && options_.contrast > 0) out = image::adjust_contrast(out, c);
    if (op == 2 && options_.saturation > 0) out = image::adjust_saturation(out, s);
    if (op == 3 && options_.hue > 0) out = image::adjust_hue(out, h);
  }
  return out;
}

std::string ColorJitter::repr() const { return repr_of("ColorJitter", options_); }

}  // namespace ember::data
