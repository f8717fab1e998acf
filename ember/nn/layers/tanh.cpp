#include "ember/nn/layers/tanh.h"

namespace ember::nn {

Tanh::Tanh(EmptyOptions options) : OptionsLayer(options, kernels::EltwiseParams{kernels::Eltwise::Tanh}) {}

}  // namespace ember::nn
