#pragma once
#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `DistKLDivCriterion`.
struct DistKLDivCriterionOptions {
  /// Divide by the number of elements (true, BigDL's default; PyTorch's reduction="mean", not
  /// "batchmean") or sum.
  bool size_average = true;
  template <class V>
  void visit(V&& v) {
    v("size_average", size_average);
  }
};

/// Kullback-Leibler divergence of a target distribution from the input:
/// loss = sum_i y_i (log y_i - x_i) over the elements with y_i > 0 (0 log 0 = 0), divided by numel
/// when size_average. Input log-probabilities, target probabilities (>= 0), same shape and dtype.
/// BigDL: DistKLDivCriterion; PyTorch: KLDivLoss(log_target=False).
///
/// Example:
///   DistKLDivCriterion crit;
///   double loss = crit.forward(log_softmax_output, target_probs);   // both [N, C]
class DistKLDivCriterion final : public TensorCriterion {
 public:
  using Options = DistKLDivCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.DistKLDivCriterion";
  explicit DistKLDivCriterion(DistKLDivCriterionOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const DistKLDivCriterionOptions& options() const { return options_; }

 private:
  DistKLDivCriterionOptions options_;
};

}  // namespace ember::nn
