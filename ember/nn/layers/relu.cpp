#include "ember/nn/layers/relu.h"

namespace ember::nn {

ReLU::ReLU(EmptyOptions options) : OptionsLayer(options, kernels::EltwiseParams{kernels::Eltwise::ReLU}) {}

}  // namespace ember::nn
