#pragma once
#include "ember/nn/layers/broadcast_param.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// y = w * x with one learnable scalar "weight" [1]. Any input shape; output of the same shape.
/// Default init U(-1, 1) as BigDL. BigDL: Mul.
///
/// Example:
///   auto gain = std::make_shared<Mul>();
class Mul final : public OptionsLayer<Mul, EmptyOptions, detail::BroadcastParamLayer> {
 public:
  static constexpr std::string_view kTypeName = "nn.Mul";
  explicit Mul(EmptyOptions options = {}) : OptionsLayer(options, Op::Mul, Shape{1}) {}
  Tensor& weight() { return param_; }
  Tensor& grad_weight() { return grad_param_; }

 protected:
  /// A 0-d input is seen as [1] so that the [1] weight broadcasts to it.
  Tensor operand_view(const Tensor& t) const override { return t.dim() == 0 ? t.unsqueeze(0) : t; }
};

}  // namespace ember::nn
