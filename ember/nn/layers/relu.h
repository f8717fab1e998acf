#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// y = max(x, 0). Any shape; backward from the saved output.
/// BigDL: ReLU (its `ip` in-place flag is not needed: buffers are reused).
///
/// Example:
///   auto act = std::make_shared<ReLU>();
class ReLU final : public OptionsLayer<ReLU, EmptyOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.ReLU";
  explicit ReLU(EmptyOptions options = {});
};

}  // namespace ember::nn
