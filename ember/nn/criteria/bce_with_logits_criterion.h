#pragma once
#include <vector>

#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `BCEWithLogitsCriterion`.
struct BCEWithLogitsCriterionOptions {
  /// Per-feature weights [K], K = the input's last dimension, broadcast over the leading dims;
  /// empty means all 1.
  std::vector<double> weights{};
  /// Weight of the positive term per feature [K] (PyTorch's pos_weight); empty means all 1.
  std::vector<double> pos_weight{};
  /// Average over all elements (true) or sum them.
  bool size_average = true;
  template <class V>
  void visit(V&& v) {
    v("weights", weights);
    v("pos_weight", pos_weight);
    v("size_average", size_average);
  }
};

/// Sigmoid + binary cross entropy in one numerically stable step:
/// loss = sum_i w_i ((1 - y_i) x_i + (1 + (p_i - 1) y_i) softplus(-x_i)), divided by numel when
/// size_average. Input logits and target of the same shape and dtype; finite for any logit.
/// BigDL: BCECriterion after Sigmoid (BigDL has no fused form); PyTorch: BCEWithLogitsLoss.
///
/// Example:
///   BCEWithLogitsCriterion crit({.pos_weight = {3.0, 1.0}});   // input [N, 2]
class BCEWithLogitsCriterion final : public TensorCriterion {
 public:
  using Options = BCEWithLogitsCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.BCEWithLogitsCriterion";
  explicit BCEWithLogitsCriterion(BCEWithLogitsCriterionOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const BCEWithLogitsCriterionOptions& options() const { return options_; }

 private:
  void check(const Tensor& input, const Tensor& target) const;
  BCEWithLogitsCriterionOptions options_;
};

}  // namespace ember::nn
