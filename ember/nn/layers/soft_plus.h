#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `SoftPlus`. Field names are the Python keyword arguments.
struct SoftPlusOptions {
  double beta = 1.0;
  double threshold = 20.0;
  template <class V>
  void visit(V&& v) {
    v("beta", beta);
    v("threshold", threshold);
  }
};

/// y = log(1 + exp(beta * x)) / beta, and y = x where beta * x > threshold (PyTorch's
/// numerical switch). Any shape.
/// BigDL: SoftPlus (BigDL has no threshold; 20 matches it to float32 precision).
///
/// Example:
///   auto act = std::make_shared<SoftPlus>(SoftPlusOptions{.beta = 0.2});
class SoftPlus final : public OptionsLayer<SoftPlus, SoftPlusOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.SoftPlus";
  explicit SoftPlus(SoftPlusOptions options = {});
};

}  // namespace ember::nn
