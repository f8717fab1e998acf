#include "ember/nn/layers/conv_base.h"

namespace ember::nn::detail {

void ConvLayerBase::init_parameters(Shape weight_shape, int64_t out_channels, bool bias) {
  weight_ = Tensor::empty(weight_shape);
  grad_weight_ = Tensor::zeros(weight_.shape());
  register_parameter("weight", &weight_, &grad_weight_);
  if (bias) {
    bias_ = Tensor::empty({out_channels});
    grad_bias_ = Tensor::zeros(bias_.shape());
    register_parameter("bias", &bias_, &grad_bias_);
  }
}

void ConvLayerBase::reset_uniform(int64_t fan_in, int64_t fan_out, bool bias) {
  const RandomUniform fan_in_uniform;
  init_parameter(weight_, weight_init_, fan_in_uniform, fan_in, fan_out);
  if (bias) init_parameter(bias_, bias_init_, fan_in_uniform, fan_in, fan_out);
}

void ConvLayerBase::check_input_channels(const Tensor& input, int64_t batched_dim, int64_t in_channels,
                                         std::string_view hint) const {
  check_input_dims(input, {batched_dim - 1, batched_dim});
  const int64_t cdim = input.dim() - (batched_dim - 1);
  EMBER_CHECK_SHAPE(input.size(cdim) == in_channels, "input channel mismatch: expected in_channels=", in_channels,
                    " at dim ", cdim, ", got input of shape ", input.shape(), " (weight shape ", weight_.shape(), ")",
                    hint);
  EMBER_CHECK_TYPE(input.dtype() == weight_.dtype(), "input dtype ", input.dtype(), " does not match weight dtype ",
                   weight_.dtype(), ". Hint: convert the input, or call to(", input.dtype(), ") on the model");
}

void ConvLayerBase::check_grad_output_shape(const Tensor& input, const Tensor& grad_output, Shape batched_out,
                                            int64_t batched_dim) {
  Shape expected = std::move(batched_out);
  if (input.dim() < batched_dim) expected.erase(0);
  EMBER_CHECK_SHAPE(grad_output.defined() && grad_output.shape() == expected,
                    "grad_output shape mismatch: expected ", expected, " (the output's shape), got ",
                    grad_output.defined() ? grad_output.shape() : Shape());
  EMBER_CHECK_TYPE(grad_output.dtype() == input.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match input dtype ", input.dtype());
}

Tensor Conv2dLayerBase::check_grad_output(const Tensor& input, const Tensor& grad_output) const {
  check_grad_output_shape(input, grad_output, check_input(input), 4);
  return input.dim() == 3 ? grad_output.unsqueeze(0) : grad_output;
}

const Tensor& Conv2dLayerBase::update_output(const Tensor& input) {
  const Shape out = check_input(input);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  output_.resize_(out, x.dtype());
  kernels_.forward(x, weight_, bias_, output_, params_);
  if (input.dim() == 3) output_ = output_.view({out[1], out[2], out[3]});
  return output_;
}

const Tensor& Conv2dLayerBase::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor gy = check_grad_output(input, grad_output);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  grad_input_.resize_(x.shape(), x.dtype());
  kernels_.backward_data(gy, weight_, grad_input_, params_);
  if (input.dim() == 3) grad_input_ = grad_input_.view(input.shape());
  return grad_input_;
}

void Conv2dLayerBase::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  const Tensor gy = check_grad_output(input, grad_output);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  kernels_.backward_weights(x, gy, grad_weight_, grad_bias_, params_);
}

}  // namespace ember::nn::detail
