#pragma once
#include <vector>

#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `BCECriterion`.
struct BCECriterionOptions {
  /// Per-feature weights [K], K = the input's last dimension, broadcast over the leading dims;
  /// empty means all 1 (BigDL: weights over the input dimension).
  std::vector<double> weights{};
  /// Average over all elements (true, BigDL's default) or sum them.
  bool size_average = true;
  template <class V>
  void visit(V&& v) {
    v("weights", weights);
    v("size_average", size_average);
  }
};

/// Binary cross entropy of probabilities: loss = -sum_i w_i (y_i log x_i + (1 - y_i) log(1 - x_i)),
/// divided by numel when size_average. Input probabilities in [0, 1] and target (soft labels) of the
/// same shape and dtype. Each log is clamped at -100 as in PyTorch, so x = 0 or 1 gives a finite
/// loss. BigDL: BCECriterion; PyTorch: BCELoss.
///
/// Example:
///   BCECriterion crit({.weights = {1.0, 2.0, 0.5}});   // input [N, 3]
class BCECriterion final : public TensorCriterion {
 public:
  using Options = BCECriterionOptions;
  static constexpr std::string_view kTypeName = "nn.BCECriterion";
  explicit BCECriterion(BCECriterionOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const BCECriterionOptions& options() const { return options_; }

 private:
  void check(const Tensor& input, const Tensor& target) const;
  BCECriterionOptions options_;
};

}  // namespace ember::nn
