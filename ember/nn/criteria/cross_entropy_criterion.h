#pragma once
#include <vector>

#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `CrossEntropyCriterion`.
struct CrossEntropyCriterionOptions {
  /// Per-class weights [C]; empty means all 1.
  std::vector<double> weights{};
  /// Average over the (weighted) batch (true, BigDL's default); otherwise sum.
  bool size_average = true;
  /// Targets equal to this are skipped (PyTorch's ignore_index).
  int64_t ignore_index = -100;
  template <class V>
  void visit(V&& v) {
    v("weights", weights);
    v("size_average", size_average);
    v("ignore_index", ignore_index);
  }
};

/// Log-softmax + negative log likelihood in one stable step:
/// loss = -sum_i w[t_i] log softmax(x_i)[t_i] / sum_i w[t_i] (or the sum without size_average).
/// Input [N, C] logits (or [C]); target [N] class indices 0..C-1 (integer or whole-valued float;
/// BigDL counted from 1, Ember from 0 like PyTorch). BigDL: CrossEntropyCriterion; PyTorch:
/// CrossEntropyLoss (class-index targets).
///
/// Example:
///   CrossEntropyCriterion crit({.weights = {1.0, 2.0, 1.0}});
///   double loss = crit.forward(logits, labels);   // logits [N, 3], labels [N]
class CrossEntropyCriterion final : public TensorCriterion {
 public:
  using Options = CrossEntropyCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.CrossEntropyCriterion";
  explicit CrossEntropyCriterion(CrossEntropyCriterionOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const CrossEntropyCriterionOptions& options() const { return options_; }

 private:
  /// Validates, reads the targets into targets_, and returns 1 / total weight (size_average) or 1.
  double read_targets(const Tensor& input, const Tensor& target);
  double class_weight(int64_t k) const { return options_.weights.empty() ? 1.0 : options_.weights[k]; }
  CrossEntropyCriterionOptions options_;
  std::vector<int64_t> targets_;
};

}  // namespace ember::nn
