#include "ember/nn/layers/hard_tanh.h"

#include <cmath>

namespace ember::nn {

namespace {
kernels::EltwiseParams validated(const HardTanhOptions& o) {
  EMBER_CHECK(o.max_val > o.min_val, "[nn.HardTanh] max_val must be greater than min_val: expected max_val > ", o.min_val, ", got max_val=", o.max_val);
  return {kernels::Eltwise::HardTanh, o.min_val, o.max_val};
}
}  // namespace

HardTanh::HardTanh(HardTanhOptions options) : OptionsLayer(options, validated(options)) {}

}  // namespace ember::nn
