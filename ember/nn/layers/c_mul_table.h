#pragma once
#include <vector>

#include "ember/nn/module.h"

namespace ember::nn {

/// Element-wise product of a Table of tensors with NumPy broadcasting: {[N, C], [C]} -> [N, C].
/// grad_input entry i is grad_output times the product of the other inputs, summed down to input
/// i's shape (no division, so zeros in the inputs are fine). BigDL: CMulTable.
///
/// Example:
///   auto mul = std::make_shared<CMulTable>();
///   mul->forward(Table{x, y});                 // x * y
class CMulTable final : public Module {
 public:
  using Options = EmptyOptions;
  static constexpr std::string_view kTypeName = "nn.CMulTable";

  explicit CMulTable(EmptyOptions = {}) {}
  std::string_view type_name() const override { return kTypeName; }
  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;

 private:
  Tensor out_, tmp_;
  std::vector<Tensor> grads_;
};

}  // namespace ember::nn
