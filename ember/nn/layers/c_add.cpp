#include "ember/nn/layers/c_add.h"

namespace ember::nn {

CAdd::CAdd(CAddOptions options)
    : OptionsLayer(options, Op::Add, detail::broadcast_param_shape(options.size, "nn.CAdd")) {}

Tensor CAdd::operand_view(const Tensor& t) const { return detail::check_broadcastable(t, param_, "bias"); }

}  // namespace ember::nn
