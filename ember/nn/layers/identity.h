#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Passes its input through unchanged (any Activity, Tensor or Table); backward passes grad_output
/// through. Output and grad_input are the very objects given, not copies. BigDL: Identity.
///
/// Example:
///   auto id = std::make_shared<Identity>();
///   const Activity& y = id->forward(x);        // y holds x
class Identity final : public Module {
 public:
  using Options = EmptyOptions;
  static constexpr std::string_view kTypeName = "nn.Identity";

  explicit Identity(EmptyOptions = {}) {}
  std::string_view type_name() const override { return kTypeName; }
  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
};

}  // namespace ember::nn
