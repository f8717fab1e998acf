#pragma once
#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `MarginCriterion`.
struct MarginCriterionOptions {
  /// The hinge's margin.
  double margin = 1.0;
  /// Average over all elements (true, BigDL's default) or sum them.
  bool size_average = true;
  /// Square each hinge term (the L2-SVM loss).
  bool squared = false;
  template <class V>
  void visit(V&& v) {
    v("margin", margin);
    v("size_average", size_average);
    v("squared", squared);
  }
};

/// Hinge loss for two classes: loss = sum_i max(0, margin - y_i x_i) (squared when `squared`),
/// divided by numel when size_average. Input scores and target labels 1 or -1, same shape and dtype.
/// BigDL: MarginCriterion; PyTorch has no direct equivalent (HingeEmbeddingLoss differs).
///
/// Example:
///   MarginCriterion crit({.margin = 0.5, .squared = true});
class MarginCriterion final : public TensorCriterion {
 public:
  using Options = MarginCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.MarginCriterion";
  explicit MarginCriterion(MarginCriterionOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const MarginCriterionOptions& options() const { return options_; }

 private:
  MarginCriterionOptions options_;
};

}  // namespace ember::nn
