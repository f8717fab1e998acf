#include "ember/nn/layers/elu.h"

#include <cmath>

namespace ember::nn {

namespace {
kernels::EltwiseParams validated(const ELUOptions& o) {
  EMBER_CHECK(std::isfinite(o.alpha), "[nn.ELU] alpha must be finite, got ", o.alpha);
  return {kernels::Eltwise::ELU, o.alpha};
}
}  // namespace

ELU::ELU(ELUOptions options) : OptionsLayer(options, validated(options)) {}

}  // namespace ember::nn
