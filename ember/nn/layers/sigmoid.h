#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// y = 1 / (1 + exp(-x)). Any shape; backward from the saved output (y (1 - y)).
/// BigDL: Sigmoid.
///
/// Example:
///   auto act = std::make_shared<Sigmoid>();
class Sigmoid final : public OptionsLayer<Sigmoid, EmptyOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.Sigmoid";
  explicit Sigmoid(EmptyOptions options = {});
};

}  // namespace ember::nn
