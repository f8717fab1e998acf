#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `HardTanh`. Field names are the Python keyword arguments.
struct HardTanhOptions {
  double min_val = -1.0;
  double max_val = 1.0;
  template <class V>
  void visit(V&& v) {
    v("min_val", min_val);
    v("max_val", max_val);
  }
};

/// y = min(max(x, min_val), max_val). Any shape; gradient 0 outside (min_val, max_val), as PyTorch.
/// BigDL: HardTanh (its `inplace` flag is not needed).
///
/// Example:
///   auto act = std::make_shared<HardTanh>(HardTanhOptions{.min_val = -2.0});
class HardTanh final : public OptionsLayer<HardTanh, HardTanhOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.HardTanh";
  explicit HardTanh(HardTanhOptions options = {});
};

}  // namespace ember::nn
