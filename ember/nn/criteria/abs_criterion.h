#pragma once
#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `AbsCriterion`.
struct AbsCriterionOptions {
  /// Average over all elements (true, BigDL's default) or sum them.
  bool size_average = true;
  template <class V>
  void visit(V&& v) {
    v("size_average", size_average);
  }
};

/// Mean absolute error: loss = sum_i |x_i - y_i|, divided by numel when size_average; the gradient
/// at x_i == y_i is 0 (as PyTorch). Input and target of the same shape and dtype.
/// BigDL: AbsCriterion; PyTorch: L1Loss.
///
/// Example:
///   AbsCriterion crit({.size_average = false});
///   double loss = crit.forward(prediction, target);
class AbsCriterion final : public TensorCriterion {
 public:
  using Options = AbsCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.AbsCriterion";
  explicit AbsCriterion(AbsCriterionOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const AbsCriterionOptions& options() const { return options_; }

 private:
  AbsCriterionOptions options_;
};

}  // namespace ember::nn
