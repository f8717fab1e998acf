#include "ember/nn/criteria/bce_with_logits_criterion.h"

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

BCEWithLogitsCriterion::BCEWithLogitsCriterion(BCEWithLogitsCriterionOptions options) : options_(std::move(options)) {
  for (double w : options_.weights)
    EMBER_CHECK(std::isfinite(w), "[nn.BCEWithLogitsCriterion] weights must be finite, got ", w);
  for (double p : options_.pos_weight)
    EMBER_CHECK(std::isfinite(p) && p >= 0, "[nn.BCEWithLogitsCriterion] pos_weight must be finite and >= 0, got ", p);
}

void BCEWithLogitsCriterion::check(const Tensor& input, const Tensor& target) const {
  detail::check_regression_target(input, target);
  detail::check_feature_vector(input, options_.weights, "weights");
  detail::check_feature_vector(input, options_.pos_weight, "pos_weight");
}

double BCEWithLogitsCriterion::update_output(const Tensor& input, const Tensor& target) {
  check(input, target);
  const std::vector<double>& w = options_.weights;
  const std::vector<double>& pw = options_.pos_weight;
  const int64_t k = input.dim() == 0 ? 1 : input.size(-1);
  const double s = detail::sum_elementwise(input, target, [&](double x, double y, int64_t i) {
    const double p = pw.empty() ? 1.0 : pw[i % k];
    // -y log(sigmoid(x)) - (1 - y) log(1 - sigmoid(x)) rewritten with softplus, which never overflows.
    const double l = (1 - y) * x + (1 + (p - 1) * y) * detail::softplus(-x);
    return (w.empty() ? 1.0 : w[i % k]) * l;
  });
  return s * detail::average_scale(options_.size_average, input.numel());
}

const Tensor& BCEWithLogitsCriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  check(input, target);
  const std::vector<double>& w = options_.weights;
  const std::vector<double>& pw = options_.pos_weight;
  const int64_t k = input.dim() == 0 ? 1 : input.size(-1);
  const double scale = detail::average_scale(options_.size_average, input.numel());
  detail::fill_elementwise_grad(grad_input_, input, target, scale, [&](double x, double y, int64_t i) {
    const double p = pw.empty() ? 1.0 : pw[i % k];
    return (w.empty() ? 1.0 : w[i % k]) * ((1 + (p - 1) * y) * detail::sigmoid(x) - p * y);
  });
  return grad_input_;
}

}  // namespace ember::nn
