#include "ember/nn/criteria/class_nll_criterion.h"

#include <cmath>

namespace ember::nn {

ClassNLLCriterion::ClassNLLCriterion(ClassNLLCriterionOptions options) : options_(std::move(options)) {
  for (double w : options_.weights) EMBER_CHECK(w >= 0, "[nn.ClassNLLCriterion] class weights must be >= 0, got ", w);
}

void read_class_targets(const Tensor& input, const Tensor& target, int64_t ignore_index, std::vector<int64_t>& out) {
  check_input_dims(input, {1, 2});
  const int64_t n = input.dim() == 1 ? 1 : input.size(0), c = input.size(-1);
  EMBER_CHECK_SHAPE(target.numel() == n && target.dim() <= 2 && (target.dim() < 2 || target.size(1) == 1),
                    "target shape mismatch: expected ", n, " class indices (shape [", n, "]) for input of shape ",
                    input.shape(), ", got target of shape ", target.shape());
  out.resize(static_cast<size_t>(n));
  // Read in place (no temporary vector): targets are 1-d or [N, 1], any dtype and stride.
  const Tensor flat = target.dim() == 2 ? target.select(1, 0) : (target.dim() == 0 ? target.unsqueeze(0) : target);
  for (int64_t i = 0; i < n; ++i) {
    const double v = dispatch_all(flat.dtype(), "target", [&]<class T>() {
      return static_cast<double>(static_cast<const T*>(flat.raw_data())[i * flat.stride(0)]);
    });
    EMBER_CHECK(v == std::floor(v), "target ", i, " is ", v, ": expected a whole class index in [0, ", c, ")");
    const int64_t k = static_cast<int64_t>(v);
    EMBER_CHECK_INDEX(k == ignore_index || (k >= 0 && k < c), "target ", i, " is ", k, ": expected a class index in [0, ",
                      c - 1, "] for input of shape ", input.shape(),
                      k == c ? ". Hint: labels count from 0 in Ember (BigDL counted from 1)" : "");
    out[i] = k;
  }
}

void ClassNLLCriterion::read_targets(const Tensor& input, const Tensor& target) {
  read_class_targets(input, target, options_.ignore_index, targets_);
  EMBER_CHECK_SHAPE(options_.weights.empty() || static_cast<int64_t>(options_.weights.size()) == input.size(-1),
                    "class weights have ", options_.weights.size(), " entries, expected one per class (",
                    input.size(-1), ")");
}

double ClassNLLCriterion::update_output(const Tensor& input, const Tensor& target) {
  read_targets(input, target);
  const Tensor x = input.dim() == 1 ? input.unsqueeze(0) : input;
  const int64_t c = x.size(1);
  double loss = 0;
  total_weight_ = 0;
  dispatch_floating(x.dtype(), "nn.ClassNLLCriterion", [&]<class T>() {
    const T* p = x.data<T>();
    const int64_t s0 = x.stride(0), s1 = x.stride(1);
    for (size_t i = 0; i < targets_.size(); ++i) {
      const int64_t k = targets_[i];
      if (k == options_.ignore_index) continue;
      const double w = options_.weights.empty() ? 1.0 : options_.weights[k];
      loss -= w * static_cast<double>(p[static_cast<int64_t>(i) * s0 + k * s1]);
      total_weight_ += w;
    }
    (void)c;
  });
  if (options_.size_average) loss = total_weight_ > 0 ? loss / total_weight_ : 0.0;
  return loss;
}

const Tensor& ClassNLLCriterion::update_grad_input(const Tensor& input, const Tensor& target) {
  read_targets(input, target);
  double total = 0;
  for (int64_t k : targets_)
    if (k != options_.ignore_index) total += options_.weights.empty() ? 1.0 : options_.weights[k];
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.zero_();
  Tensor g = input.dim() == 1 ? grad_input_.unsqueeze(0) : grad_input_;
  const double scale = options_.size_average ? (total > 0 ? 1.0 / total : 0.0) : 1.0;
  dispatch_floating(input.dtype(), "nn.ClassNLLCriterion", [&]<class T>() {
    T* p = g.data<T>();
    const int64_t c = g.size(1);
    for (size_t i = 0; i < targets_.size(); ++i) {
      const int64_t k = targets_[i];
      if (k == options_.ignore_index) continue;
      const double w = options_.weights.empty() ? 1.0 : options_.weights[k];
      p[static_cast<int64_t>(i) * c + k] = static_cast<T>(-w * scale);
    }
  });
  return grad_input_;
}

}  // namespace ember::nn
