#pragma once
#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `SmoothL1Criterion`.
struct SmoothL1CriterionOptions {
  /// Average over all elements (true, BigDL's default) or sum them.
  bool size_average = true;
  /// Where the loss turns from quadratic to linear (PyTorch's beta; BigDL fixes it at 1). >= 0;
  /// 0 gives the L1 loss.
  double beta = 1.0;
  template <class V>
  void visit(V&& v) {
    v("size_average", size_average);
    v("beta", beta);
  }
};

/// Huber-style loss: per element 0.5 d^2 / beta if |d| < beta, else |d| - 0.5 beta, with
/// d = x - y; summed, divided by numel when size_average. Input and target of the same shape and
/// dtype. BigDL: SmoothL1Criterion (beta = 1; BigDL's sigma variant is SmoothL1CriterionWithWeights,
/// sigma^2 = 1/beta); PyTorch: SmoothL1Loss.
///
/// Example:
///   SmoothL1Criterion crit({.beta = 0.5});
class SmoothL1Criterion final : public TensorCriterion {
 public:
  using Options = SmoothL1CriterionOptions;
  static constexpr std::string_view kTypeName = "nn.SmoothL1Criterion";
  explicit SmoothL1Criterion(SmoothL1CriterionOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const SmoothL1CriterionOptions& options() const { return options_; }

 private:
  SmoothL1CriterionOptions options_;
};

}  // namespace ember::nn
