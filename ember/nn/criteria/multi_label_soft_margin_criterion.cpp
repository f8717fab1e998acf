#include "ember/nn/criteria/multi_label_soft_margin_criterion.h"

#include "ember/nn/criteria/loss_utils.h"
#include "ember/nn/module.h"

namespace ember::nn {

MultiLabelSoftMarginCriterion::MultiLabelSoftMarginCriterion(MultiLabelSoftMarginCriterionOptions options)
    : options_(std::move(options)) {
  for (double w : options_.weights)
    EMBER_CHECK(std::isfinite(w), "[nn.MultiLabelSoftMarginCriterion] weights must be finite, got ", w);
}

double MultiLabelSoftMarginCriterion::check(const Tensor& input, const Tensor& target) const {
  detail::check_float_input(input);
  check_input_dims(input, {1, 2});
  detail::check_regression_target(input, target);
  detail::check_feature_vector(input, options_.weights, "weights");
  const int64_t n = input.dim() == 1 ? 1 : input.size(0), c = input.size(-1);
  return c > 0 ? detail::average_scale(options_.size_average, n) / static_cast<double>(c) : 0.0;
}

double MultiLabelSoftMarginCriterion::update_output(const Tensor& input, const Tensor& target) {
  const double scale = check(input, target);
  const std::vector<double>& w = options_.weights;
  const int64_t c = input.size(-1);
  const double s = detail::sum_elementwise(input, target, [&](double x, double y, int64_t i) {
    // -log sigmoid(x) = softplus(-x) and -log sigmoid(-x) = softplus(x).
    return (w.empty() ? 1.0 : w[i % c]) * (y * detail::softplus(-x) + (1 - y) * detail::softplus(x));
  });
  return s * scale;
}

const Tensor& MultiLabelSoftMarginCriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  const double scale = check(input, target);
  const std::vector<double>& w = options_.weights;
  const int64_t c = input.size(-1);
  detail::fill_elementwise_grad(grad_input_, input, target, scale, [&](double x, double y, int64_t i) {
    return (w.empty() ? 1.0 : w[i % c]) * (detail::sigmoid(x) - y);
  });
  return grad_input_;
}

}  // namespace ember::nn
