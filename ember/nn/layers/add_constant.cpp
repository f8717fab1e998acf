#include "ember/nn/layers/add_constant.h"

#include <cmath>

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/ops.h"

namespace ember::nn {

AddConstant::AddConstant(AddConstantOptions options) : OptionsLayer(options) {
  EMBER_CHECK(std::isfinite(options_.constant_scalar), "[nn.AddConstant] constant_scalar must be finite, got ",
              options_.constant_scalar);
}

const Tensor& AddConstant::update_output(const Tensor& input) {
  detail::check_floating_input(input);
  output_.resize_(input.shape(), input.dtype());
  output_.copy_(input);
  add_(output_, options_.constant_scalar);
  return output_;
}

const Tensor& AddConstant::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  detail::check_grad_output(input, grad_output);
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.copy_(grad_output);
  return grad_input_;
}

}  // namespace ember::nn
