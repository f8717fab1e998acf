#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Flattens a nested Table into a flat Table of its tensors, depth first:
/// {a, {b, {c}}, d} -> {a, b, c, d}. The entries are the input tensors themselves (no copy);
/// backward rebuilds the input's nesting from the flat grad_output. BigDL: FlattenTable.
class FlattenTable final : public Module {
 public:
  using Options = EmptyOptions;
  static constexpr std::string_view kTypeName = "nn.FlattenTable";

  explicit FlattenTable(EmptyOptions = {}) {}
  std::string_view type_name() const override { return kTypeName; }
  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
};

}  // namespace ember::nn
