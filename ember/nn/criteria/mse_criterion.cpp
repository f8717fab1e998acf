#include "ember/nn/criteria/mse_criterion.h"

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

double MSECriterion::update_output(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double s = detail::sum_elementwise(input, target, [](double x, double y, int64_t) { return (x - y) * (x - y); });
  return s * detail::average_scale(options_.size_average, input.numel());
}

const Tensor& MSECriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double scale = 2.0 * detail::average_scale(options_.size_average, input.numel());
  detail::fill_elementwise_grad(grad_input_, input, target, scale, [](double x, double y, int64_t) { return x - y; });
  return grad_input_;
}

}  // namespace ember::nn
