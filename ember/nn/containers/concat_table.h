#pragma once
#include <vector>

#include "ember/nn/container.h"

namespace ember::nn {

/// Applies every child to the same input; the output is a Table of the children's outputs, in
/// order. grad_output is a Table with one gradient per child; grad_input is the sum of the
/// children's grad_inputs (Tensors summed, Tables summed element-wise and recursively).
/// BigDL: ConcatTable.
///
/// Example:
///   ConcatTable branches({std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 5}),
///                         std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 3})});
///   const Table& ys = branches.forward(x).table();   // x [N, 4] -> {[N, 5], [N, 3]}
class ConcatTable final : public Container {
 public:
  static constexpr std::string_view kTypeName = "nn.ConcatTable";
  ConcatTable() = default;
  /// Builds with the given children.
  explicit ConcatTable(std::vector<ModulePtr> modules);
  std::string_view type_name() const override { return kTypeName; }

  /// Output: Table{child_0(input), child_1(input), ...} (the children's own output buffers).
  const Activity& update_output(const Activity& input) override;
  /// Sum over children of child_i.update_grad_input(input, grad_output[i]).
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  void acc_grad_parameters(const Activity& input, const Activity& grad_output) override;
  /// Each child's backward once, last child first, then the sum of their grad_inputs.
  const Activity& backward(const Activity& input, const Activity& grad_output) override;
  /// Every child sees this container's input, so every child gets the flag.
  Module& set_propagate_back(bool propagate) override;

 private:
  /// TypeError/ShapeError unless grad_output is a Table with one element per child.
  void check_grad_output(const Activity& grad_output) const;
  void accumulate_grad_input(size_t i, const Activity& input, const Activity& grad, bool first);

  Activity grad_sum_;  // sum of the children's grad_inputs (own buffer, reused)
};

}  // namespace ember::nn
