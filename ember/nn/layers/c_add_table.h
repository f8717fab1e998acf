#pragma once
#include <vector>

#include "ember/nn/module.h"

namespace ember::nn {

/// Element-wise sum of a Table of tensors with NumPy broadcasting: {[N, C], [C]} -> [N, C].
/// grad_input entry i is grad_output summed down to input i's shape; an input of the full output
/// shape gets grad_output itself (shared, not copied). BigDL: CAddTable (which broadcasts only the
/// second input).
///
/// Example:
///   auto add = std::make_shared<CAddTable>();
///   add->forward(Table{x, y});                 // x + y
class CAddTable final : public Module {
 public:
  using Options = EmptyOptions;
  static constexpr std::string_view kTypeName = "nn.CAddTable";

  explicit CAddTable(EmptyOptions = {}) {}
  std::string_view type_name() const override { return kTypeName; }
  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;

 private:
  Tensor out_;
  std::vector<Tensor> grads_;  // reduced gradients of broadcast inputs
};

}  // namespace ember::nn
