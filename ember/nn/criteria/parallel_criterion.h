#pragma once
#include <vector>

#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `ParallelCriterion`.
struct ParallelCriterionOptions {
  /// Give every criterion the whole target instead of target[i].
  bool repeat_target = false;
  template <class V>
  void visit(V&& v) {
    v("repeat_target", repeat_target);
  }
};

/// Weighted sum of criteria applied to the entries of a Table input:
/// loss = sum_i w_i c_i(input[i], target[i]) (target instead of target[i] when repeat_target).
/// Input Table with one entry per criterion; target a Table of the same size (or any activity when
/// repeat_target); grad_input a Table {w_i dc_i/dinput[i]}. Errors name the failing criterion by
/// its index, e.g. `[nn.MSECriterion '1'] ...`. BigDL: ParallelCriterion.
///
/// Example:
///   ParallelCriterion crit;
///   crit.add(std::make_shared<CrossEntropyCriterion>()).add(std::make_shared<MSECriterion>(), 0.5);
///   double loss = crit.forward(Table{logits, boxes}, Table{labels, box_targets});
class ParallelCriterion final : public Criterion {
 public:
  using Options = ParallelCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.ParallelCriterion";
  explicit ParallelCriterion(ParallelCriterionOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }

  /// Appends a criterion with its weight; returns *this for chaining.
  ParallelCriterion& add(CriterionPtr criterion, double weight = 1.0);
  /// Number of criteria.
  size_t size() const { return children_.size(); }
  /// The i-th criterion and its weight.
  const CriterionPtr& criterion(size_t i) const;
  double weight(size_t i) const;

  double update_output(const Activity& input, const Activity& target) override;
  const Activity& update_grad_input(const Activity& input, const Activity& target) override;
  Config config() const override { return to_config(options_); }
  /// `repeat_target=false; 0: 1 * nn.MSECriterion(...), ...`.
  std::string extra_repr() const override;
  const ParallelCriterionOptions& options() const { return options_; }

 private:
  void check(const Activity& input, const Activity& target) const;
  const Activity& target_of(const Activity& target, size_t i) const {
    return options_.repeat_target ? target : target.table()[i];
  }
  struct Child {
    CriterionPtr criterion;
    double weight;
  };
  ParallelCriterionOptions options_;
  std::vector<Child> children_;
};

}  // namespace ember::nn
