#include "ember/nn/layers/soft_plus.h"

#include <cmath>

namespace ember::nn {

namespace {
kernels::EltwiseParams validated(const SoftPlusOptions& o) {
  EMBER_CHECK(o.beta > 0, "[nn.SoftPlus] beta must be positive, got ", o.beta);
  EMBER_CHECK(!std::isnan(o.threshold), "[nn.SoftPlus] threshold must be a number, got ", o.threshold);
  return {kernels::Eltwise::SoftPlus, o.threshold, o.beta};
}
}  // namespace

SoftPlus::SoftPlus(SoftPlusOptions options) : OptionsLayer(options, validated(options)) {}

}  // namespace ember::nn
