#pragma once
#include "ember/nn/layers/activation.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `LeakyReLU`. Field names are the Python keyword arguments.
struct LeakyReLUOptions {
  double negative_slope = 0.01;
  template <class V>
  void visit(V&& v) {
    v("negative_slope", negative_slope);
  }
};

/// y = x > 0 ? x : negative_slope * x. Any shape.
/// BigDL: LeakyReLU (BigDL calls negative_slope `negval`).
///
/// Example:
///   auto act = std::make_shared<LeakyReLU>(LeakyReLUOptions{.negative_slope = 0.2});
class LeakyReLU final : public OptionsLayer<LeakyReLU, LeakyReLUOptions, Activation> {
 public:
  static constexpr std::string_view kTypeName = "nn.LeakyReLU";
  explicit LeakyReLU(LeakyReLUOptions options = {});
};

}  // namespace ember::nn
