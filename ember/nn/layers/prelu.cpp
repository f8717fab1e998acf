#include "ember/nn/layers/prelu.h"

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/kernels/prelu.h"

namespace ember::nn {

PReLU::PReLU(PReLUOptions options) : OptionsLayer(options) {
  EMBER_CHECK(options_.num_parameters > 0, "[nn.PReLU] num_parameters must be positive, got ",
              options_.num_parameters);
  weight_ = Tensor::empty({options_.num_parameters});
  grad_weight_ = Tensor::zeros(weight_.shape());
  register_parameter("weight", &weight_, &grad_weight_);
  reset_parameters();
}

void PReLU::reset_parameters() {
  init_parameter(weight_, weight_init_, Const(options_.init), options_.num_parameters, options_.num_parameters);
}

Tensor PReLU::aligned(const Tensor& input, const Tensor& t) const {
  detail::check_floating_input(input);
  detail::check_param_dtype(input, weight_, "weight");
  Shape s;
  for (int64_t d = 0; d < input.dim(); ++d) s.push_back(1);
  if (options_.num_parameters > 1) {
    EMBER_CHECK_SHAPE(input.dim() >= 2 && input.size(1) == options_.num_parameters,
                      "input channel mismatch: expected dim 1 of size num_parameters=", options_.num_parameters,
                      ", got input of shape ", input.shape());
    s[1] = options_.num_parameters;
  }
  return t.view(s);
}

const Tensor& PReLU::update_output(const Tensor& input) {
  const Tensor w = aligned(input, weight_).expand(input.shape());
  output_.resize_(input.shape(), input.dtype());
  kernels::prelu_forward(input, w, output_);
  return output_;
}

const Tensor& PReLU::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor w = aligned(input, weight_).expand(input.shape());
  detail::check_grad_output(input, grad_output);
  grad_input_.resize_(input.shape(), input.dtype());
  kernels::prelu_backward_data(input, w, grad_output, grad_input_);
  return grad_input_;
}

void PReLU::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  Tensor gw = aligned(input, grad_weight_);
  detail::check_grad_output(input, grad_output);
  kernels::prelu_backward_weights(input, grad_output, gw);
}

}  // namespace ember::nn
