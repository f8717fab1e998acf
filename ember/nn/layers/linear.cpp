#include "ember/nn/layers/linear.h"

#include "ember/tensor/kernels/linear.h"

namespace ember::nn {

Linear::Linear(LinearOptions options) : options_(options) {
  EMBER_CHECK(options_.in_features > 0, "[nn.Linear] in_features must be positive, got ", options_.in_features);
  EMBER_CHECK(options_.out_features > 0, "[nn.Linear] out_features must be positive, got ", options_.out_features);
  weight_ = Tensor::empty({options_.out_features, options_.in_features});
  grad_weight_ = Tensor::zeros(weight_.shape());
  register_parameter("weight", &weight_, &grad_weight_);
  if (options_.bias) {
    bias_ = Tensor::empty({options_.out_features});
    grad_bias_ = Tensor::zeros(bias_.shape());
    register_parameter("bias", &bias_, &grad_bias_);
  }
  reset_parameters();
}

void Linear::reset_parameters() {
  const RandomUniform fan_in_uniform;
  init_parameter(weight_, weight_init_, fan_in_uniform, options_.in_features, options_.out_features);
  if (options_.bias) init_parameter(bias_, bias_init_, fan_in_uniform, options_.in_features, options_.out_features);
}

void Linear::check_input(const Tensor& input) const {
  check_input_dims(input, {1, 2});
  EMBER_CHECK_SHAPE(input.size(-1) == options_.in_features,
                    "input feature size mismatch: expected last dimension in_features=", options_.in_features,
                    ", got input of shape ", input.shape(), " (weight shape ", weight_.shape(), ")");
  EMBER_CHECK_TYPE(input.dtype() == weight_.dtype(), "input dtype ", input.dtype(), " does not match weight dtype ",
                   weight_.dtype(), ". Hint: convert the input, or call to(", input.dtype(), ") on the model");
}

const Tensor& Linear::update_output(const Tensor& input) {
  check_input(input);
  const Tensor x = input.dim() == 1 ? input.unsqueeze(0) : input;
  output_.resize_({x.size(0), options_.out_features}, x.dtype());
  kernels::linear_forward(x, weight_, bias_, output_);
  if (input.dim() == 1) output_ = output_.view({options_.out_features});
  return output_;
}

const Tensor& Linear::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  check_input(input);
  const Tensor gy = grad_output.dim() == 1 ? grad_output.unsqueeze(0) : grad_output;
  const int64_t n = input.dim() == 1 ? 1 : input.size(0);
  EMBER_CHECK_SHAPE(gy.dim() == 2 && gy.size(0) == n && gy.size(1) == options_.out_features,
                    "grad_output shape mismatch: expected [", n, ", ", options_.out_features, "], got ",
                    grad_output.shape());
  grad_input_.resize_({n, options_.in_features}, input.dtype());
  kernels::linear_backward_data(gy, weight_, grad_input_);
  if (input.dim() == 1) grad_input_ = grad_input_.view({options_.in_features});
  return grad_input_;
}

void Linear::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  const Tensor x = input.dim() == 1 ? input.unsqueeze(0) : input;
  const Tensor gy = grad_output.dim() == 1 ? grad_output.unsqueeze(0) : grad_output;
  kernels::linear_backward_weights(x, gy, grad_weight_, grad_bias_);
}

}  // namespace ember::nn
