#include "ember/nn/criteria/dist_kl_div_criterion.h"

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

namespace {
void check_probability(double y, int64_t i) {
  EMBER_CHECK(y >= 0, "target element ", i, " is ", y,
              ": expected a probability >= 0. Hint: the target holds probabilities, the input log-probabilities");
}
}  // namespace

double DistKLDivCriterion::update_output(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double s = detail::sum_elementwise(input, target, [](double x, double y, int64_t i) {
    check_probability(y, i);
    return y > 0 ? y * (std::log(y) - x) : 0.0;
  });
  return s * detail::average_scale(options_.size_average, input.numel());
}

const Tensor& DistKLDivCriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  detail::check_regression_target(input, target);
  const double scale = detail::average_scale(options_.size_average, input.numel());
  detail::fill_elementwise_grad(grad_input_, input, target, scale, [](double, double y, int64_t i) {
    check_probability(y, i);
    return y > 0 ? -y : 0.0;
  });
  return grad_input_;
}

}  // namespace ember::nn
