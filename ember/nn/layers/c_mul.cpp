#include "ember/nn/layers/c_mul.h"

namespace ember::nn {

CMul::CMul(CMulOptions options)
    : OptionsLayer(options, Op::Mul, detail::broadcast_param_shape(options.size, "nn.CMul")) {}

Tensor CMul::operand_view(const Tensor& t) const { return detail::check_broadcastable(t, param_, "weight"); }

}  // namespace ember::nn
