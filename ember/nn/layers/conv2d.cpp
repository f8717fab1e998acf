#include "ember/nn/layers/conv2d.h"

namespace ember::nn {

namespace {
// Floor division (the numerator may be negative when the input is smaller than the kernel).
int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
}  // namespace

Conv2d::Conv2d(Conv2dOptions options) : options_(options) {
  const auto& o = options_;
  EMBER_CHECK(o.in_channels > 0, "[nn.Conv2d] in_channels must be positive, got ", o.in_channels);
  EMBER_CHECK(o.out_channels > 0, "[nn.Conv2d] out_channels must be positive, got ", o.out_channels);
  EMBER_CHECK(o.kernel_size[0] > 0 && o.kernel_size[1] > 0, "[nn.Conv2d] kernel_size must be positive, got ",
              o.kernel_size);
  EMBER_CHECK(o.stride[0] > 0 && o.stride[1] > 0, "[nn.Conv2d] stride must be positive, got ", o.stride);
  EMBER_CHECK(o.padding[0] >= 0 && o.padding[1] >= 0, "[nn.Conv2d] padding must be non-negative, got ", o.padding);
  EMBER_CHECK(o.dilation[0] > 0 && o.dilation[1] > 0, "[nn.Conv2d] dilation must be positive, got ", o.dilation);
  EMBER_CHECK(o.groups > 0, "[nn.Conv2d] groups must be positive, got ", o.groups);
  EMBER_CHECK(o.in_channels % o.groups == 0,
              "[nn.Conv2d] in_channels must be divisible by groups: expected a multiple of groups=", o.groups,
              ", got in_channels=", o.in_channels);
  EMBER_CHECK(o.out_channels % o.groups == 0,
              "[nn.Conv2d] out_channels must be divisible by groups: expected a multiple of groups=", o.groups,
              ", got out_channels=", o.out_channels);
  params_ = {o.stride[0], o.stride[1], o.padding[0], o.padding[1], o.dilation[0], o.dilation[1], o.groups};
  weight_ = Tensor::empty({o.out_channels, o.in_channels / o.groups, o.kernel_size[0], o.kernel_size[1]});
  grad_weight_ = Tensor::zeros(weight_.shape());
  register_parameter("weight", &weight_, &grad_weight_);
  if (o.bias) {
    bias_ = Tensor::empty({o.out_channels});
    grad_bias_ = Tensor::zeros(bias_.shape());
    register_parameter("bias", &bias_, &grad_bias_);
  }
  reset_parameters();
}

void Conv2d::reset_parameters() {
  const auto& o = options_;
  const int64_t receptive = o.kernel_size[0] * o.kernel_size[1];
  const int64_t fan_in = o.in_channels / o.groups * receptive, fan_out = o.out_channels * receptive;
  const RandomUniform fan_in_uniform;
  init_parameter(weight_, weight_init_, fan_in_uniform, fan_in, fan_out);
  if (o.bias) init_parameter(bias_, bias_init_, fan_in_uniform, fan_in, fan_out);
}

Shape Conv2d::check_input(const Tensor& input) const {
  const auto& o = options_;
  check_input_dims(input, {3, 4});
  const int64_t cdim = input.dim() - 3;
  EMBER_CHECK_SHAPE(input.size(cdim) == o.in_channels, "input channel mismatch: expected in_channels=",
                    o.in_channels, " at dim ", cdim, ", got input of shape ", input.shape(), " (weight shape ",
                    weight_.shape(), ")");
  EMBER_CHECK_TYPE(input.dtype() == weight_.dtype(), "input dtype ", input.dtype(), " does not match weight dtype ",
                   weight_.dtype(), ". Hint: convert the input, or call to(", input.dtype(), ") on the model");
  const int64_t h = input.size(-2), w = input.size(-1);
  const int64_t oh = floor_div(h + 2 * o.padding[0] - o.dilation[0] * (o.kernel_size[0] - 1) - 1, o.stride[0]) + 1;
  const int64_t ow = floor_div(w + 2 * o.padding[1] - o.dilation[1] * (o.kernel_size[1] - 1) - 1, o.stride[1]) + 1;
  EMBER_CHECK_SHAPE(oh > 0 && ow > 0, "input is too small for the kernel: output size would be ", oh, "x", ow,
                    " for input of shape ", input.shape(), " (kernel_size=", o.kernel_size, ", padding=", o.padding,
                    ", dilation=", o.dilation, ")");
  return {input.dim() == 4 ? input.size(0) : 1, o.out_channels, oh, ow};
}

Tensor Conv2d::check_grad_output(const Tensor& input, const Tensor& grad_output) const {
  Shape expected = check_input(input);
  if (input.dim() == 3) expected.erase(0);
  EMBER_CHECK_SHAPE(grad_output.defined() && grad_output.shape() == expected,
                    "grad_output shape mismatch: expected ", expected, " (the output's shape), got ",
                    grad_output.defined() ? grad_output.shape() : Shape());
  EMBER_CHECK_TYPE(grad_output.dtype() == input.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match input dtype ", input.dtype());
  return input.dim() == 3 ? grad_output.unsqueeze(0) : grad_output;
}

const Tensor& Conv2d::update_output(const Tensor& input) {
  const Shape out = check_input(input);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  output_.resize_(out, x.dtype());
  kernels::conv2d_forward(x, weight_, bias_, output_, params_);
  if (input.dim() == 3) output_ = output_.view({out[1], out[2], out[3]});
  return output_;
}

const Tensor& Conv2d::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor gy = check_grad_output(input, grad_output);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  grad_input_.resize_(x.shape(), x.dtype());
  kernels::conv2d_backward_data(gy, weight_, grad_input_, params_);
  if (input.dim() == 3) grad_input_ = grad_input_.view(input.shape());
  return grad_input_;
}

void Conv2d::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  const Tensor gy = check_grad_output(input, grad_output);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  kernels::conv2d_backward_weights(x, gy, grad_weight_, grad_bias_, params_);
}

}  // namespace ember::nn
