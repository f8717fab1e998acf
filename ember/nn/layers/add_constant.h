#pragma once
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `AddConstant`. Field names are the Python keyword arguments.
struct AddConstantOptions {
  double constant_scalar = 0.0;
  /// Accepted for BigDL compatibility and ignored: Ember layers reuse their own output buffers.
  bool inplace = false;
  template <class V>
  void visit(V&& v) {
    v("constant_scalar", constant_scalar);
    v("inplace", inplace);
  }
};

/// y = x + constant_scalar. Any shape; grad_input = grad_output. BigDL: AddConstant.
///
/// Example:
///   auto shift = std::make_shared<AddConstant>(AddConstantOptions{.constant_scalar = -0.5});
class AddConstant final : public OptionsLayer<AddConstant, AddConstantOptions> {
 public:
  static constexpr std::string_view kTypeName = "nn.AddConstant";
  explicit AddConstant(AddConstantOptions options = {});
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
};

}  // namespace ember::nn
