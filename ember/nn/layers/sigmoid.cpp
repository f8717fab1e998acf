#include "ember/nn/layers/sigmoid.h"

namespace ember::nn {

Sigmoid::Sigmoid(EmptyOptions options) : OptionsLayer(options, kernels::EltwiseParams{kernels::Eltwise::Sigmoid}) {}

}  // namespace ember::nn
