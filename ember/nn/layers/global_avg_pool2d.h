#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Average over the whole spatial extent. Input [N, C, H, W] -> [N, C, 1, 1] (or [C, H, W] ->
/// [C, 1, 1]). BigDL: SpatialAveragePooling(global_pooling = true); PyTorch: AdaptiveAvgPool2d(1).
///
/// Example:
///   auto gap = std::make_shared<GlobalAvgPool2d>();
class GlobalAvgPool2d final : public TensorModule {
 public:
  using Options = EmptyOptions;
  static constexpr std::string_view kTypeName = "nn.GlobalAvgPool2d";

  explicit GlobalAvgPool2d(EmptyOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
};

}  // namespace ember::nn
