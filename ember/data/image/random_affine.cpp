#include "ember/data/image/random_affine.h"

#include <cmath>

#include "ember/core/error.h"
#include "ember/nn/options.h"

namespace ember::data {
namespace {

double uniform(Generator& rng, double lo, double hi) { return lo + (hi - lo) * rng.next_double(); }

// {d} -> [-d, d] (d >= 0), {lo, hi} -> [lo, hi] (lo <= hi).
std::pair<double, double> range_of(const std::vector<double>& v, size_t first, const std::string& where,
                                   const char* name) {
  if (v.size() == 1) {
    EMBER_CHECK(v[0] >= 0, "[data.", where, "] ", name, " as one value d means [-d, d] and must be >= 0, got ", v[0]);
    return {-v[0], v[0]};
  }
  EMBER_CHECK(v[first] <= v[first + 1], "[data.", where, "] ", name, " range must have lo <= hi, got [", v[first],
              ", ", v[first + 1], "]");
  return {v[first], v[first + 1]};
}

// RandomAffineOptions with one component set: what the single-purpose transformers run.
RandomAffineOptions only(std::vector<double> RandomAffineOptions::*field, const std::vector<double>& v, double fill) {
  RandomAffineOptions o;
  o.*field = v;
  o.fill = fill;
  return o;
}

}  // namespace

RandomAffine::RandomAffine(RandomAffineOptions options) : RandomAffine(std::move(options), "RandomAffine") {}

RandomAffine::RandomAffine(RandomAffineOptions options, std::string name)
    : options_(std::move(options)), name_(std::move(name)) {
  const RandomAffineOptions& o = options_;
  EMBER_CHECK(o.degrees.size() <= 2, "[data.", name_, "] degrees takes 1 value d (for [-d, d]) or 2 (lo, hi), got ",
              o.degrees.size());
  if (!o.degrees.empty()) std::tie(deg_lo_, deg_hi_) = range_of(o.degrees, 0, name_, "degrees");
  EMBER_CHECK(o.translate.empty() || o.translate.size() == 2,
              "[data.", name_, "] translate takes 2 fractions (a, b) of the width and height, got ", o.translate.size(),
              " values");
  for (double t : o.translate)
    EMBER_CHECK(t >= 0 && t <= 1, "[data.", name_, "] translate fractions must be in [0, 1], got ", t);
  EMBER_CHECK(o.scale.empty() || o.scale.size() == 2, "[data.", name_, "] scale takes 2 values (lo, hi), got ",
              o.scale.size());
  if (!o.scale.empty()) {
    EMBER_CHECK(o.scale[0] > 0 && o.scale[0] <= o.scale[1], "[data.", name_,
                "] scale range must satisfy 0 < lo <= hi, got [", o.scale[0], ", ", o.scale[1], "]");
  }
  EMBER_CHECK(o.shear.size() <= 2 || o.shear.size() == 4, "[data.", name_,
              "] shear takes 1, 2 or 4 values (degrees), got ", o.shear.size());
  if (!o.shear.empty()) std::tie(shx_lo_, shx_hi_) = range_of(o.shear, 0, name_, "shear");
  if (o.shear.size() == 4) std::tie(shy_lo_, shy_hi_) = range_of(o.shear, 2, name_, "shear (y)");
  for (double s : {shx_lo_, shx_hi_, shy_lo_, shy_hi_})
    EMBER_CHECK(std::abs(s) < 90, "[data.", name_, "] shear angles must be within (-90, 90) degrees, got ", s);
}

image::AffineParams RandomAffine::get_params(int64_t height, int64_t width, Generator& rng) const {
  const RandomAffineOptions& o = options_;
  image::AffineParams p;
  if (!o.degrees.empty()) p.angle = uniform(rng, deg_lo_, deg_hi_);
  if (!o.translate.empty()) {
    const double mx = o.translate[0] * static_cast<double>(width), my = o.translate[1] * static_cast<double>(height);
    p.translate_x = uniform(rng, -mx, mx);
    p.translate_y = uniform(rng, -my, my);
  }
  if (!o.scale.empty()) p.scale_x = p.scale_y = uniform(rng, o.scale[0], o.scale[1]);
  if (!o.shear.empty()) p.shear_x = uniform(rng, shx_lo_, shx_hi_);
  if (o.shear.size() == 4) p.shear_y = uniform(rng, shy_lo_, shy_hi_);
  return p;
}

Tensor RandomAffine::apply_image(const Tensor& img, Generator& rng) const {
  const image::ImageGeometry g = image::image_geometry(img, "data." + name_);
  return image::affine(img, get_params(g.height, g.width, rng), options_.fill);
}

std::string RandomAffine::repr() const { return "RandomAffine(" + nn::options_repr(options_) + ")"; }

RandomRotation::RandomRotation(RandomRotationOptions o)
    : RandomAffine(only(&RandomAffineOptions::degrees, o.degrees, o.fill), "RandomRotation"), ropts_(o) {
  EMBER_CHECK(!o.degrees.empty(), "[data.RandomRotation] degrees must be given (1 or 2 values)");
}
std::string RandomRotation::repr() const { return "RandomRotation(" + nn::options_repr(ropts_) + ")"; }

RandomShear::RandomShear(RandomShearOptions o)
    : RandomAffine(only(&RandomAffineOptions::shear, o.shear, o.fill), "RandomShear"), ropts_(o) {
  EMBER_CHECK(!o.shear.empty(), "[data.RandomShear] shear must be given (1, 2 or 4 values)");
}
std::string RandomShear::repr() const { return "RandomShear(" + nn::options_repr(ropts_) + ")"; }

RandomZoom::RandomZoom(RandomZoomOptions o)
    : RandomAffine(only(&RandomAffineOptions::scale, o.scale, o.fill), "RandomZoom"), ropts_(o) {
  EMBER_CHECK(!o.scale.empty(), "[data.RandomZoom] scale must be given as (lo, hi)");
}
std::string RandomZoom::repr() const { return "RandomZoom(" + nn::options_repr(ropts_) + ")"; }

RandomTranslate::RandomTranslate(RandomTranslateOptions o)
    : RandomAffine(only(&RandomAffineOptions::translate, o.translate, o.fill), "RandomTranslate"), ropts_(o) {
  EMBER_CHECK(!o.translate.empty(), "[data.RandomTranslate] translate must be given as (a, b)");
}
std::string RandomTranslate::repr() const { return "RandomTranslate(" + nn::options_repr(ropts_) + ")"; }

}  // namespace ember::data
