#pragma once
#include <vector>

#include "ember/nn/container.h"

namespace ember::nn {

/// Applies child i to element i of the input Table; the output is the Table of the children's
/// outputs and grad_input the Table of their grad_inputs. The input table must have exactly one
/// element per child. BigDL: ParallelTable.
///
/// Example:
///   ParallelTable both({std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 2}),
///                       std::make_shared<Linear>(LinearOptions{.in_features = 3, .out_features = 2})});
///   const Table& ys = both.forward(Table{x, z}).table();   // {[N, 4], [N, 3]} -> {[N, 2], [N, 2]}
class ParallelTable final : public Container {
 public:
  static constexpr std::string_view kTypeName = "nn.ParallelTable";
  ParallelTable() = default;
  /// Builds with the given children.
  explicit ParallelTable(std::vector<ModulePtr> modules);
  std::string_view type_name() const override { return kTypeName; }

  /// Output: Table{child_0(input[0]), child_1(input[1]), ...}. TypeError when input is not a
  /// Table, ShapeError when its size differs from the number of children.
  const Activity& update_output(const Activity& input) override;
  /// Table{child_i.update_grad_input(input[i], grad_output[i])}.
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  void acc_grad_parameters(const Activity& input, const Activity& grad_output) override;
  /// Each child's backward once, last child first.
  const Activity& backward(const Activity& input, const Activity& grad_output) override;

 private:
  /// TypeError/ShapeError unless `a` is a Table with one element per child; `what` names it.
  void check_table(const Activity& a, const char* what) const;
  Table& grad_table();
};

}  // namespace ember::nn
