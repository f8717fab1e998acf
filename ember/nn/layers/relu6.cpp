#include "ember/nn/layers/relu6.h"

namespace ember::nn {

ReLU6::ReLU6(EmptyOptions options) : OptionsLayer(options, kernels::EltwiseParams{kernels::Eltwise::HardTanh, 0.0, 6.0}) {}

}  // namespace ember::nn
