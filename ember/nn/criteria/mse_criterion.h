#pragma once
#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `MSECriterion`.
struct MSECriterionOptions {
  /// Average over all elements (true, BigDL's default) or sum them.
  bool size_average = true;
  template <class V>
  void visit(V&& v) {
    v("size_average", size_average);
  }
};

/// Mean squared error: loss = sum_i (x_i - y_i)^2, divided by numel when size_average. Input and
/// target of the same (any) shape and dtype. BigDL: MSECriterion; PyTorch: MSELoss.
///
/// Example:
///   MSECriterion crit;
///   double loss = crit.forward(prediction, target);   // both [N, D]
class MSECriterion final : public TensorCriterion {
 public:
  using Options = MSECriterionOptions;
  static constexpr std::string_view kTypeName = "nn.MSECriterion";
  explicit MSECriterion(MSECriterionOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const MSECriterionOptions& options() const { return options_; }

 private:
  MSECriterionOptions options_;
};

}  // namespace ember::nn
