#include "ember/nn/layers/activation.h"

#include "ember/nn/layers/layer_checks.h"

namespace ember::nn {

const Tensor& Activation::update_output(const Tensor& input) {
  detail::check_floating_input(input);
  output_.resize_(input.shape(), input.dtype());
  kernels::eltwise_forward(params_, input, output_);
  return output_;
}

const Tensor& Activation::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  detail::check_grad_output(input, grad_output);
  if (kernels::eltwise_backward_uses_output(params_)) detail::check_saved_for_backward(output_, input, "output");
  grad_input_.resize_(input.shape(), input.dtype());
  kernels::eltwise_backward(params_, input, output_, grad_output, grad_input_);
  return grad_input_;
}

}  // namespace ember::nn
