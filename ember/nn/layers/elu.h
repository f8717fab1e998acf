#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `ELU`. Field names are the Python keyword arguments.
struct ELUOptions {
  double alpha = 1.0;
  template <class V>
  void visit(V&& v) {
    v("alpha", alpha);
  }
};

/// y = x > 0 ? x : alpha * (exp(x) - 1). Any shape; backward from the saved output when alpha > 0.
/// BigDL: ELU.
///
/// Example:
///   auto act = std::make_shared<ELU>(ELUOptions{.alpha = 0.2});
class ELU final : public OptionsLayer<ELU, ELUOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.ELU";
  explicit ELU(ELUOptions options = {});
};

}  // namespace ember::nn
