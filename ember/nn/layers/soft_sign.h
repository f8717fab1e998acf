#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// y = x / (1 + |x|). Any shape. No oneDNN algorithm: always the reference kernel.
/// BigDL: SoftSign.
///
/// Example:
///   auto act = std::make_shared<SoftSign>();
class SoftSign final : public OptionsLayer<SoftSign, EmptyOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.SoftSign";
  explicit SoftSign(EmptyOptions options = {});
};

}  // namespace ember::nn
