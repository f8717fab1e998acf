#include "ember/nn/layers/leaky_relu.h"

#include <cmath>

namespace ember::nn {

namespace {
kernels::EltwiseParams validated(const LeakyReLUOptions& o) {
  EMBER_CHECK(std::isfinite(o.negative_slope), "[nn.LeakyReLU] negative_slope must be finite, got ", o.negative_slope);
  return {kernels::Eltwise::LeakyReLU, o.negative_slope};
}
}  // namespace

LeakyReLU::LeakyReLU(LeakyReLUOptions options) : OptionsLayer(options, validated(options)) {}

}  // namespace ember::nn
