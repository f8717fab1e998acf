#include "ember/nn/criteria/cross_entropy_criterion.h"

#include "ember/nn/criteria/class_nll_criterion.h"
#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

namespace {
// log(sum_j exp(row[j])) shifted by the row's maximum so that no exp overflows.
template <class T>
double log_sum_exp(const T* row, int64_t c) {
  double m = static_cast<double>(row[0]);
  for (int64_t j = 1; j < c; ++j) m = std::max(m, static_cast<double>(row[j]));
  double s = 0;
  for (int64_t j = 0; j < c; ++j) s += std::exp(static_cast<double>(row[j]) - m);
  return m + std::log(s);
}
}  // namespace

CrossEntropyCriterion::CrossEntropyCriterion(CrossEntropyCriterionOptions options) : options_(std::move(options)) {
  for (double w : options_.weights)
    EMBER_CHECK(w >= 0 && std::isfinite(w), "[nn.CrossEntropyCriterion] class weights must be finite and >= 0, got ",
                w);
}

double CrossEntropyCriterion::read_targets(const Tensor& input, const Tensor& target) {
  detail::check_float_input(input);
  EMBER_CHECK(target.defined(), "target is undefined");
  read_class_targets(input, target, options_.ignore_index, targets_);
  EMBER_CHECK_SHAPE(options_.weights.empty() || static_cast<int64_t>(options_.weights.size()) == input.size(-1),
                    "class weights have ", options_.weights.size(), " entries, expected one per class (",
                    input.size(-1), ") for input of shape ", input.shape());
  if (!options_.size_average) return 1.0;
  double total = 0;
  for (int64_t k : targets_)
    if (k != options_.ignore_index) total += class_weight(k);
  return total > 0 ? 1.0 / total : 0.0;
}

double CrossEntropyCriterion::update_output(const Tensor& input, const Tensor& target) {
  const double scale = read_targets(input, target);
  const Tensor x = (input.dim() == 1 ? input.unsqueeze(0) : input).contiguous();
  const int64_t c = x.size(1);
  double loss = 0;
  dispatch_floating(x.dtype(), "nn.CrossEntropyCriterion", [&]<class T>() {
    const T* p = x.data<T>();
    for (size_t i = 0; i < targets_.size(); ++i) {
      const int64_t k = targets_[i];
      if (k == options_.ignore_index) continue;
      const T* row = p + static_cast<int64_t>(i) * c;
      const double lse = log_sum_exp(row, c);
      loss -= class_weight(k) * (static_cast<double>(row[k]) - lse);
    }
  });
  return loss * scale;
}

const Tensor& CrossEntropyCriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  const double scale = read_targets(input, target);
  const Tensor x = (input.dim() == 1 ? input.unsqueeze(0) : input).contiguous();
  const int64_t c = x.size(1);
  grad_input_.resize_(input.shape(), input.dtype());
  dispatch_floating(x.dtype(), "nn.CrossEntropyCriterion", [&]<class T>() {
    const T* p = x.data<T>();
    T* g = grad_input_.data<T>();
    for (size_t i = 0; i < targets_.size(); ++i) {
      const int64_t k = targets_[i];
      const T* row = p + static_cast<int64_t>(i) * c;
      T* grow = g + static_cast<int64_t>(i) * c;
      if (k == options_.ignore_index) {
        std::fill(grow, grow + c, T(0));
        continue;
      }
      const double lse = log_sum_exp(row, c);
      const double w = class_weight(k) * scale;
      // d/dx_j of -log softmax(x)_k = softmax(x)_j - [j == k].
      for (int64_t j = 0; j < c; ++j)
        grow[j] = static_cast<T>(w * (std::exp(static_cast<double>(row[j]) - lse) - (j == k ? 1.0 : 0.0)));
    }
  });
  return grad_input_;
}

}  // namespace ember::nn
