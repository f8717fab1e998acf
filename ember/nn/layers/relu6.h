#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// y = min(max(x, 0), 6). Any shape; gradient 0 at and beyond both bounds, as PyTorch.
/// BigDL: ReLU6.
///
/// Example:
///   auto act = std::make_shared<ReLU6>();
class ReLU6 final : public OptionsLayer<ReLU6, EmptyOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.ReLU6";
  explicit ReLU6(EmptyOptions options = {});
};

}  // namespace ember::nn
