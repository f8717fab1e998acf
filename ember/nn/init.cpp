#include "ember/nn/init.h"

#include <cmath>

#include "ember/core/error.h"

namespace ember::nn {

std::string Const::repr() const { return ember::detail::str_cat("Const(", value_, ")"); }

RandomUniform::RandomUniform(double lower, double upper) : fan_in_default_(false), lower_(lower), upper_(upper) {
  EMBER_CHECK(lower <= upper, "[nn.RandomUniform] expected lower <= upper, got lower=", lower, ", upper=", upper);
}

void RandomUniform::init(Tensor& t, int64_t fan_in, int64_t, Generator& gen) const {
  if (fan_in_default_) {
    const double a = 1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(fan_in, 1)));
    uniform_(t, -a, a, &gen);
  } else {
    uniform_(t, lower_, upper_, &gen);
  }
}

std::string RandomUniform::repr() const {
  return fan_in_default_ ? "RandomUniform()" : ember::detail::str_cat("RandomUniform(", lower_, ", ", upper_, ")");
}

RandomNormal::RandomNormal(double mean, double stdv) : mean_(mean), stdv_(stdv) {
  EMBER_CHECK(stdv >= 0, "[nn.RandomNormal] expected stdv >= 0, got ", stdv);
}
void RandomNormal::init(Tensor& t, int64_t, int64_t, Generator& gen) const { normal_(t, mean_, stdv_, &gen); }
std::string RandomNormal::repr() const { return ember::detail::str_cat("RandomNormal(", mean_, ", ", stdv_, ")"); }

void Xavier::init(Tensor& t, int64_t fan_in, int64_t fan_out, Generator& gen) const {
  const double a = std::sqrt(6.0 / static_cast<double>(std::max<int64_t>(fan_in + fan_out, 1)));
  uniform_(t, -a, a, &gen);
}

void MsraFiller::init(Tensor& t, int64_t fan_in, int64_t fan_out, Generator& gen) const {
  const double n = average_ ? (fan_in + fan_out) / 2.0 : static_cast<double>(fan_out);
  normal_(t, 0.0, std::sqrt(2.0 / std::max(n, 1.0)), &gen);
}
std::string MsraFiller::repr() const {
  return ember::detail::str_cat("MsraFiller(variance_norm_average=", average_ ? "true" : "false", ")");
}

void BilinearFiller::init(Tensor& t, int64_t, int64_t, Generator&) const {
  EMBER_CHECK_SHAPE(t.dim() == 4 && t.size(2) == t.size(3), "[nn.BilinearFiller] expected a 4-d weight with square ",
                    "kernel [.., .., k, k], got shape ", t.shape());
  const int64_t k = t.size(3);
  const double f = std::ceil(k / 2.0);
  const double c = (2 * f - 1 - std::fmod(f, 2.0)) / (2.0 * f);
  const int64_t plane = k * k;
  std::vector<double> kernel(static_cast<size_t>(plane));
  for (int64_t i = 0; i < plane; ++i) {
    const double x = static_cast<double>(i % k), y = static_cast<double>(i / k);
    kernel[i] = (1 - std::abs(x / f - c)) * (1 - std::abs(y / f - c));
  }
  const Tensor k2 = Tensor::from_vector(kernel, {k, k}, t.dtype());
  for (int64_t a = 0; a < t.size(0); ++a)
    for (int64_t b = 0; b < t.size(1); ++b) t.select(0, a).select(0, b).copy_(k2);
}

}  // namespace ember::nn
