#include "ember/nn/layers/mul_constant.h"

#include <cmath>

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/ops.h"

namespace ember::nn {

MulConstant::MulConstant(MulConstantOptions options) : OptionsLayer(options) {
  EMBER_CHECK(std::isfinite(options_.scalar), "[nn.MulConstant] scalar must be finite, got ", options_.scalar);
}

const Tensor& MulConstant::update_output(const Tensor& input) {
  detail::check_floating_input(input);
  output_.resize_(input.shape(), input.dtype());
  output_.copy_(input);
  mul_(output_, options_.scalar);
  return output_;
}

const Tensor& MulConstant::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  detail::check_grad_output(input, grad_output);
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.copy_(grad_output);
  mul_(grad_input_, options_.scalar);
  return grad_input_;
}

}  // namespace ember::nn
