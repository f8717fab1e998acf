#include "ember/nn/criteria/bce_criterion.h"

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

namespace {
constexpr double kLogClamp = -100.0;  // PyTorch's clamp, so log(0) stays finite
constexpr double kGradEps = 1e-12;    // PyTorch's floor of x (1 - x) in the gradient

void check_probability(double x, int64_t i) {
  EMBER_CHECK(x >= 0.0 && x <= 1.0, "input element ", i, " is ", x,
              ": expected a probability in [0, 1]. Hint: apply Sigmoid first, or use BCEWithLogitsCriterion on "
              "logits");
}
}  // namespace

BCECriterion::BCECriterion(BCECriterionOptions options) : options_(std::move(options)) {
  for (double w : options_.weights)
    EMBER_CHECK(std::isfinite(w), "[nn.BCECriterion] weights must be finite, got ", w);
}

void BCECriterion::check(const Tensor& input, const Tensor& target) const {
  detail::check_regression_target(input, target);
  detail::check_feature_vector(input, options_.weights, "weights");
}

double BCECriterion::update_output(const Tensor& input, const Tensor& target) {
  check(input, target);
  const std::vector<double>& w = options_.weights;
  const int64_t k = w.empty() ? 1 : static_cast<int64_t>(w.size());
  const double s = detail::sum_elementwise(input, target, [&](double x, double y, int64_t i) {
    check_probability(x, i);
    const double l = y * std::max(std::log(x), kLogClamp) + (1 - y) * std::max(std::log1p(-x), kLogClamp);
    return -(w.empty() ? 1.0 : w[i % k]) * l;
  });
  return s * detail::average_scale(options_.size_average, input.numel());
}

const Tensor& BCECriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  check(input, target);
  const std::vector<double>& w = options_.weights;
  const int64_t k = w.empty() ? 1 : static_cast<int64_t>(w.size());
  const double scale = detail::average_scale(options_.size_average, input.numel());
  detail::fill_elementwise_grad(grad_input_, input, target, scale, [&](double x, double y, int64_t i) {
    check_probability(x, i);
    return (w.empty() ? 1.0 : w[i % k]) * (x - y) / std::max((1 - x) * x, kGradEps);
  });
  return grad_input_;
}

}  // namespace ember::nn
