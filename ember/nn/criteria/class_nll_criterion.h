#pragma once
#include <vector>

#include "ember/nn/criterion.h"
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `ClassNLLCriterion`.
struct ClassNLLCriterionOptions {
  /// Per-class weights [C]; empty means all 1.
  std::vector<double> weights{};
  /// Average over the (weighted) batch; otherwise sum.
  bool size_average = true;
  /// Targets equal to this are skipped (BigDL: paddingValue).
  int64_t ignore_index = -100;
  template <class V>
  void visit(V&& v) {
    v("weights", weights);
    v("size_average", size_average);
    v("ignore_index", ignore_index);
  }
};

/// Negative log likelihood of class indices: loss = -sum_i w[t_i] x[i, t_i] / sum_i w[t_i] (or the
/// sum without size_average). Input [N, C] log-probabilities (or [C]); target [N] class indices
/// 0..C-1 (integer or whole-valued float tensor; BigDL counted from 1, Ember from 0 like PyTorch).
/// BigDL: ClassNLLCriterion.
class ClassNLLCriterion final : public TensorCriterion {
 public:
  using Options = ClassNLLCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.ClassNLLCriterion";
  explicit ClassNLLCriterion(ClassNLLCriterionOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Tensor& input, const Tensor& target) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }

 private:
  /// Validates shapes and reads targets into targets_ (as int64).
  void read_targets(const Tensor& input, const Tensor& target);
  ClassNLLCriterionOptions options_;
  std::vector<int64_t> targets_;
  double total_weight_ = 0;
};

/// Validates a class-index target for an [N, C] (or [C]) input and returns the indices. Whole-
/// valued float targets are accepted; anything else (or an index outside [0, C) other than
/// ignore_index) raises with the position and value.
void read_class_targets(const Tensor& input, const Tensor& target, int64_t ignore_index, std::vector<int64_t>& out);

}  // namespace ember::nn
