#pragma once
#include <vector>

#include "ember/nn/criterion.h"

namespace ember::nn {

/// Weighted sum of criteria applied to the same input and target:
/// loss = sum_i w_i c_i(input, target); grad_input = sum_i w_i dc_i/dinput (same structure as the
/// input: a Tensor or a Table). Errors name the failing criterion by its index.
/// BigDL: MultiCriterion.
///
/// Example:
///   MultiCriterion crit;
///   crit.add(std::make_shared<MSECriterion>()).add(std::make_shared<AbsCriterion>(), 0.1);
class MultiCriterion final : public Criterion {
 public:
  using Options = EmptyOptions;
  static constexpr std::string_view kTypeName = "nn.MultiCriterion";
  explicit MultiCriterion(EmptyOptions = {}) {}
  std::string_view type_name() const override { return kTypeName; }

  /// Appends a criterion with its weight; returns *this for chaining.
  MultiCriterion& add(CriterionPtr criterion, double weight = 1.0);
  /// Number of criteria.
  size_t size() const { return children_.size(); }
  /// The i-th criterion and its weight.
  const CriterionPtr& criterion(size_t i) const;
  double weight(size_t i) const;

  double update_output(const Activity& input, const Activity& target) override;
  const Activity& update_grad_input(const Activity& input, const Activity& target) override;
  /// `0: 1 * nn.MSECriterion(...), 1: 0.1 * nn.AbsCriterion(...)`.
  std::string extra_repr() const override;

 private:
  struct Child {
    CriterionPtr criterion;
    double weight;
  };
  std::vector<Child> children_;
};

}  // namespace ember::nn
