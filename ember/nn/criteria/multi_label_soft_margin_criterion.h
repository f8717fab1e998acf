#pragma once
#include <vector>

#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `MultiLabelSoftMarginCriterion`.
struct MultiLabelSoftMarginCriterionOptions {
  /// Per-class weights [C]; empty means all 1.
  std::vector<double> weights{};
  /// Average over the batch (true, BigDL's default) or sum over it.
  bool size_average = true;
  template <class V>
  void visit(V&& v) {
    v("weights", weights);
    v("size_average", size_average);
  }
};

/// Multi-label one-versus-all loss on logits: per sample
/// l_n = -1/C sum_c w_c (y_nc log sigmoid(x_nc) + (1 - y_nc) log sigmoid(-x_nc)); loss = mean of l_n
/// over the batch (size_average) or their sum. Input [N, C] logits (or [C]); target multi-hot 0/1
/// of the same shape and dtype. Computed stably (softplus), finite for any logit.
/// BigDL: MultiLabelSoftMarginCriterion (BigDL's size_average=false sums without the 1/C; Ember
/// follows PyTorch's reduction="sum"); PyTorch: MultiLabelSoftMarginLoss.
///
/// Example:
///   MultiLabelSoftMarginCriterion crit;
///   double loss = crit.forward(logits, multi_hot);   // both [N, C]
class MultiLabelSoftMarginCriterion final : public TensorCriterion {
 public:
  using Options = MultiLabelSoftMarginCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.MultiLabelSoftMarginCriterion";
  explicit MultiLabelSoftMarginCriterion(MultiLabelSoftMarginCriterionOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const MultiLabelSoftMarginCriterionOptions& options() const { return options_; }

 private:
  /// Validates and returns the scale 1 / (C * (size_average ? N : 1)).
  double check(const Tensor& input, const Tensor& target) const;
  MultiLabelSoftMarginCriterionOptions options_;
};

}  // namespace ember::nn
