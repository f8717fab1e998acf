#include "ember/nn/layers/conv1d.h"

namespace ember::nn {

namespace {
// [O, I, K] -> [O, I, 1, K]: parameters are contiguous (also as views of the flat buffer).
Tensor kernel_view(const Tensor& t) { return t.unsqueeze(2); }
}  // namespace

Conv1d::Conv1d(Conv1dOptions options) : options_(options) {
  const auto& o = options_;
  detail::check_conv_options(kTypeName, o);
  params_ = {1, o.stride, 0, o.padding, 1, o.dilation, o.groups};
  init_parameters({o.out_channels, o.in_channels / o.groups, o.kernel_size}, o.out_channels, o.bias);
  reset_parameters();
}

void Conv1d::reset_parameters() {
  const auto& o = options_;
  reset_uniform(o.in_channels / o.groups * o.kernel_size, o.out_channels * o.kernel_size, o.bias);
}

Shape Conv1d::check_input(const Tensor& input) const {
  const auto& o = options_;
  check_input_channels(input, 3, o.in_channels,
                       ". Hint: BigDL's TemporalConvolution input [N, L, C] needs transpose(1, 2)");
  const int64_t l = input.size(-1);
  const int64_t lo = detail::floor_div(l + 2 * o.padding - o.dilation * (o.kernel_size - 1) - 1, o.stride) + 1;
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
  check_grad_output_shape(input, grad_output, check_input(input), 3);
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
