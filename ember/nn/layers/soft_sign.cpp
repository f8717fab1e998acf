#include "ember/nn/layers/soft_sign.h"

namespace ember::nn {

SoftSign::SoftSign(EmptyOptions options) : OptionsLayer(options, kernels::EltwiseParams{kernels::Eltwise::SoftSign}) {}

}  // namespace ember::nn
