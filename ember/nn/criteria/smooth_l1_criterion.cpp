#include "ember/nn/criteria/smooth_l1_criterion.h"

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

SmoothL1Criterion::SmoothL1Criterion(SmoothL1CriterionOptions options) : options_(options) {
  EMBER_CHECK(options_.beta >= 0 && std::isfinite(options_.beta),
              "[nn.SmoothL1Criterion] beta must be a finite number >= 0, got ", options_.beta);
}

double SmoothL1Criterion::update_output(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double beta = options_.beta;
  const double s = detail::sum_elementwise(input, target, [beta](double x, double y, int64_t) {
    const double d = std::abs(x - y);
    return d < beta ? 0.5 * d * d / beta : d - 0.5 * beta;
  });
  return s * detail::average_scale(options_.size_average, input.numel());
}

const Tensor& SmoothL1Criterion::update_grad_input(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double beta = options_.beta;
  const double scale = detail::average_scale(options_.size_average, input.numel());
  detail::fill_elementwise_grad(grad_input_, input, target, scale, [beta](double x, double y, int64_t) {
    const double d = x - y;
    if (std::abs(d) < beta) return d / beta;
    return static_cast<double>((d > 0) - (d < 0));
  });
  return grad_input_;
}

}  // namespace ember::nn
