#pragma once
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `MulConstant`. Field names are the Python keyword arguments.
struct MulConstantOptions {
  double scalar = 1.0;
  /// Accepted for BigDL compatibility and ignored: Ember layers reuse their own output buffers.
  bool inplace = false;
  template <class V>
  void visit(V&& v) {
    v("scalar", scalar);
    v("inplace", inplace);
  }
};

/// y = scalar * x. Any shape; grad_input = scalar * grad_output. BigDL: MulConstant.
///
/// Example:
///   auto half = std::make_shared<MulConstant>(MulConstantOptions{.scalar = 0.5});
class MulConstant final : public OptionsLayer<MulConstant, MulConstantOptions> {
 public:
  static constexpr std::string_view kTypeName = "nn.MulConstant";
  explicit MulConstant(MulConstantOptions options = {});
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
};

}  // namespace ember::nn
