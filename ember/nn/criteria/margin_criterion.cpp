#include "ember/nn/criteria/margin_criterion.h"

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

MarginCriterion::MarginCriterion(MarginCriterionOptions options) : options_(options) {
  EMBER_CHECK(std::isfinite(options_.margin), "[nn.MarginCriterion] margin must be finite, got ", options_.margin);
}

double MarginCriterion::update_output(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double m = options_.margin;
  const bool sq = options_.squared;
  const double s = detail::sum_elementwise(input, target, [m, sq](double x, double y, int64_t i) {
    detail::check_plus_minus_one(y, i);
    const double h = std::max(0.0, m - y * x);
    return sq ? h * h : h;
  });
  return s * detail::average_scale(options_.size_average, input.numel());
}

const Tensor& MarginCriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double m = options_.margin;
  const bool sq = options_.squared;
  const double scale = detail::average_scale(options_.size_average, input.numel());
  detail::fill_elementwise_grad(grad_input_, input, target, scale, [m, sq](double x, double y, int64_t i) {
    detail::check_plus_minus_one(y, i);
    const double h = m - y * x;
    if (h <= 0) return 0.0;
    return sq ? -2.0 * y * h : -y;
  });
  return grad_input_;
}

}  // namespace ember::nn
