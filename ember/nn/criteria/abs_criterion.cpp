#include "ember/nn/criteria/abs_criterion.h"

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

double AbsCriterion::update_output(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double s = detail::sum_elementwise(input, target, [](double x, double y, int64_t) { return std::abs(x - y); });
  return s * detail::average_scale(options_.size_average, input.numel());
}

const Tensor& AbsCriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double scale = detail::average_scale(options_.size_average, input.numel());
  detail::fill_elementwise_grad(grad_input_, input, target, scale, [](double x, double y, int64_t) {
    return static_cast<double>((x > y) - (x < y));
  });
  return grad_input_;
}

}  // namespace ember::nn
