#include "ember/nn/layers/conv1d.h"

namespace ember::nn {

namespace {
int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
// [O, I, K] -> [O, I, 1, K]: parameters are contiguous (also as views of the flat buffer).
Tensor kernel_view(const Tensor& t) { return t.unsqueeze(2); }
}  // namespace

Conv1d::Conv1d(Conv1dOptions options) : options_(options) {
  const auto& o = options_;
  EMBER_CHECK(o.in_channels > 0, "[nn.Conv1d] in_channels must be positive, got ", o.in_channels);
  EMBER_CHECK(o.out_channels > 0, "[nn.Conv1d] out_channels must be positive, got ", o.out_channels);
  EMBER_CHECK(o.kernel_size > 0, "[nn.Conv1d] kernel_size must be positive, got ", o.kernel_size);
  EMBER_CHECK(o.stride > 0, "[nn.Conv1d] stride must be positive, got ", o.stride);
  EMBER_CHECK(o.padding >= 0, "[nn.Conv1d] padding must be non-negative, got ", o.padding);
  EMBER_CHECK(o.dilation > 0, "[nn.Conv1d] dilation must be positive, got ", o.dilation);
  EMBER_CHECK(o.groups > 0, "[nn.Conv1d] groups must be positive, got ", o.groups);
  EMBER_CHECK(o.in_channels % o.groups == 0,
              "[nn.Conv1d] in_channels must be divisible by groups: expected a multiple of groups=", o.groups,
              ", got in_channels=", o.in_channels);
  EMBER_CHECK(o.out_channels % o.groups == 0,
              "[nn.Conv1d] out_channels must be divisible by groups: expected a multiple of groups=", o.groups,
              ", got out_channels=", o.out_channels);
  params_ = {1, o.stride, 0, o.padding, 1, o.dilation, o.groups};
  weight_ = Tensor::empty({o.out_channels, o.in_channels / o.groups, o.kernel_size});
  grad_weight_ = Tensor::zeros(weight_.shape());
  register_parameter("weight", &weight_, &grad_weight_);
  if (o.bias) {
    bias_ = Tensor::empty({o.out_channels});
    grad_bias_ = Tensor::zeros(bias_.shape());
    register_parameter("bias", &bias_, &grad_bias_);
  }
  reset_parameters();
}

void Conv1d::reset_parameters() {
  const auto& o = options_;
  const int64_t fan_in = o.in_channels / o.groups * o.kernel_size, fan_out = o.out_channels * o.kernel_size;
  const RandomUniform fan_in_uniform;
  init_parameter(weight_, weight_init_, fan_in_uniform, fan_in, fan_out);
  if (o.bias) init_parameter(bias_, bias_init_, fan_in_uniform, fan_in, fan_out);
}

Shape Conv1d::check_input(const Tensor& input) const {
  const auto& o = options_;
  check_input_dims(input, {2, 3});
  const int64_t cdim = input.dim() - 2;
  EMBER_CHECK_SHAPE(input.size(cdim) == o.in_channels, "input channel mismatch: expected in_channels=",
                    o.in_channels, " at dim ", cdim, ", got input of shape ", input.shape(), " (weight shape ",
                    weight_.shape(), "). Hint: BigDL's TemporalConvolution input [N, L, C] needs transpose(1, 2)");
  EMBER_CHECK_TYPE(input.dtype() == weight_.dtype(), "input dtype ", input.dtype(), " does not match weight dtype ",
                   weight_.dtype(), ". Hint: convert the input, or call to(", input.dtype(), ") on the model");
  const int64_t l = input.size(-1);
  const int64_t lo = floor_div(l + 2 * o.padding - o.dilation * (o.kernel_size - 1) - 1, o.stride) + 1;
  EMBER_CHECK_SHAPE(lo > 0, "input is too small for the kernel: output size would be ", lo, " for input of shape ",
                    input.shape(), " (kernel_size=", o.kernel_size, ", padding=", o.padding,
                    ", dilation=", o.dilation, ")");
  return {input.dim() == 3 ? input.size(0) : 1, o.out_channels, lo};
}

Tensor Conv1d::as_4d(const Tensor& input) {
  const Tensor x = input.dim() == 2 ? input.unsqueeze(0) : input;
  return x.unsqueeze(2);
}

Tensor Conv1d::check_grad_output(const Tensor& input, const Tensor& grad_output) const {
  Shape expected = check_input(input);
  if (input.dim() == 2) expected.erase(0);
  EMBER_CHECK_SHAPE(grad_output.defined() && grad_output.shape() == expected,
                    "grad_output shape mismatch: expected ", expected, " (the output's shape), got ",
                    grad_output.defined() ? grad_output.shape() : Shape());
  EMBER_CHECK_TYPE(grad_output.dtype() == input.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match input dtype ", input.dtype());
  return as_4d(grad_output);
}

const Tensor& Conv1d::update_output(const Tensor& input) {
  const Shape out = check_input(input);
  output_.resize_(out, input.dtype());
  Tensor y = output_.unsqueeze(2);
  kernels::conv2d_forward(as_4d(input), kernel_view(weight_), bias_, y, params_);
  if (input.dim() == 2) output_ = output_.view({out[1], out[2]});
  return output_;
}

const Tensor& Conv1d::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor gy = check_grad_output(input, grad_output);
  const Tensor x = as_4d(input);
  grad_input_.resize_(x.shape(), x.dtype());
  kernels::conv2d_backward_data(gy, kernel_view(weight_), grad_input_, params_);
  grad_input_ = grad_input_.view(input.shape());
  return grad_input_;
}

void Conv1d::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  const Tensor gy = check_grad_output(input, grad_output);
  Tensor gw = kernel_view(grad_weight_);
  kernels::conv2d_backward_weights(as_4d(input), gy, gw, grad_bias_, params_);
}

}  // namespace ember::nn
