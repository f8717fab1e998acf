#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// y = tanh(x). Any shape; backward from the saved output (1 - y^2).
/// BigDL: Tanh.
///
/// Example:
///   auto act = std::make_shared<Tanh>();
class Tanh final : public OptionsLayer<Tanh, EmptyOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.Tanh";
  explicit Tanh(EmptyOptions options = {});
};

}  // namespace ember::nn
