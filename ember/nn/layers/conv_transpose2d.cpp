#include "ember/nn/layers/conv_transpose2d.h"

#include <algorithm>

namespace ember::nn {

ConvTranspose2d::ConvTranspose2d(ConvTranspose2dOptions options) : options_(options) {
  const auto& o = options_;
  EMBER_CHECK(o.in_channels > 0, "[nn.ConvTranspose2d] in_channels must be positive, got ", o.in_channels);
  EMBER_CHECK(o.out_channels > 0, "[nn.ConvTranspose2d] out_channels must be positive, got ", o.out_channels);
  EMBER_CHECK(o.kernel_size[0] > 0 && o.kernel_size[1] > 0, "[nn.ConvTranspose2d] kernel_size must be positive, got ",
              o.kernel_size);
  EMBER_CHECK(o.stride[0] > 0 && o.stride[1] > 0, "[nn.ConvTranspose2d] stride must be positive, got ", o.stride);
  EMBER_CHECK(o.padding[0] >= 0 && o.padding[1] >= 0, "[nn.ConvTranspose2d] padding must be non-negative, got ",
              o.padding);
  EMBER_CHECK(o.dilation[0] > 0 && o.dilation[1] > 0, "[nn.ConvTranspose2d] dilation must be positive, got ",
              o.dilation);
  for (size_t i = 0; i < 2; ++i) {
    EMBER_CHECK(o.output_padding[i] >= 0 && (o.output_padding[i] < o.stride[i] || o.output_padding[i] < o.dilation[i]),
                "[nn.ConvTranspose2d] output_padding must be non-negative and smaller than stride or dilation: "
                "expected output_padding < max(stride, dilation) = ",
                std::max(o.stride[i], o.dilation[i]), " in dimension ", i, ", got output_padding=", o.output_padding,
                " (stride=", o.stride, ", dilation=", o.dilation, ")");
  }
  EMBER_CHECK(o.groups > 0, "[nn.ConvTranspose2d] groups must be positive, got ", o.groups);
  EMBER_CHECK(o.in_channels % o.groups == 0,
              "[nn.ConvTranspose2d] in_channels must be divisible by groups: expected a multiple of groups=", o.groups,
              ", got in_channels=", o.in_channels);
  EMBER_CHECK(o.out_channels % o.groups == 0,
              "[nn.ConvTranspose2d] out_channels must be divisible by groups: expected a multiple of groups=",
              o.groups, ", got out_channels=", o.out_channels);
  params_ = {o.stride[0], o.stride[1], o.padding[0], o.padding[1], o.dilation[0], o.dilation[1], o.groups};
  weight_ = Tensor::empty({o.in_channels, o.out_channels / o.groups, o.kernel_size[0], o.kernel_size[1]});
  grad_weight_ = Tensor::zeros(weight_.shape());
  register_parameter("weight", &weight_, &grad_weight_);
  if (o.bias) {
    bias_ = Tensor::empty({o.out_channels});
    grad_bias_ = Tensor::zeros(bias_.shape());
    register_parameter("bias", &bias_, &grad_bias_);
  }
  reset_parameters();
}

void ConvTranspose2d::reset_parameters() {
  const auto& o = options_;
  // PyTorch computes fan_in from weight.size(1) = C_out/groups (BigDL's GP_IN_OUT_KW_KH agrees).
  const int64_t receptive = o.kernel_size[0] * o.kernel_size[1];
  const int64_t fan_in = o.out_channels / o.groups * receptive, fan_out = o.in_channels * receptive;
  const RandomUniform fan_in_uniform;
  init_parameter(weight_, weight_init_, fan_in_uniform, fan_in, fan_out);
  if (o.bias) init_parameter(bias_, bias_init_, fan_in_uniform, fan_in, fan_out);
}

Shape ConvTranspose2d::check_input(const Tensor& input) const {
  const auto& o = options_;
  check_input_dims(input, {3, 4});
  const int64_t cdim = input.dim() - 3;
  EMBER_CHECK_SHAPE(input.size(cdim) == o.in_channels, "input channel mismatch: expected in_channels=",
                    o.in_channels, " at dim ", cdim, ", got input of shape ", input.shape(), " (weight shape ",
                    weight_.shape(), ")");
  EMBER_CHECK_TYPE(input.dtype() == weight_.dtype(), "input dtype ", input.dtype(), " does not match weight dtype ",
                   weight_.dtype(), ". Hint: convert the input, or call to(", input.dtype(), ") on the model");
  const int64_t h = input.size(-2), w = input.size(-1);
  const int64_t oh = (h - 1) * o.stride[0] - 2 * o.padding[0] + o.dilation[0] * (o.kernel_size[0] - 1) +
                     o.output_padding[0] + 1;
  const int64_t ow = (w - 1) * o.stride[1] - 2 * o.padding[1] + o.dilation[1] * (o.kernel_size[1] - 1) +
                     o.output_padding[1] + 1;
  EMBER_CHECK_SHAPE(h > 0 && w > 0 && oh > 0 && ow > 0, "input is too small for the padding: output size would be ", oh,
                    "x", ow, " for input of shape ", input.shape(), " (kernel_size=", o.kernel_size,
                    ", stride=", o.stride, ", padding=", o.padding, ", output_padding=", o.output_padding,
                    ", dilation=", o.dilation, ")");
  return {input.dim() == 4 ? input.size(0) : 1, o.out_channels, oh, ow};
}

Tensor ConvTranspose2d::check_grad_output(const Tensor& input, const Tensor& grad_output) const {
  Shape expected = check_input(input);
  if (input.dim() == 3) expected.erase(0);
  EMBER_CHECK_SHAPE(grad_output.defined() && grad_output.shape() == expected,
                    "grad_output shape mismatch: expected ", expected, " (the output's shape), got ",
                    grad_output.defined() ? grad_output.shape() : Shape());
  EMBER_CHECK_TYPE(grad_output.dtype() == input.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match input dtype ", input.dtype());
  return input.dim() == 3 ? grad_output.unsqueeze(0) : grad_output;
}

const Tensor& ConvTranspose2d::update_output(const Tensor& input) {
  const Shape out = check_input(input);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  output_.resize_(out, x.dtype());
  kernels::conv_transpose2d_forward(x, weight_, bias_, output_, params_);
  if (input.dim() == 3) output_ = output_.view({out[1], out[2], out[3]});
  return output_;
}

const Tensor& ConvTranspose2d::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor gy = check_grad_output(input, grad_output);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  grad_input_.resize_(x.shape(), x.dtype());
  kernels::conv_transpose2d_backward_data(gy, weight_, grad_input_, params_);
  if (input.dim() == 3) grad_input_ = grad_input_.view(input.shape());
  return grad_input_;
}

void ConvTranspose2d::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  const Tensor gy = check_grad_output(input, grad_output);
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  kernels::conv_transpose2d_backward_weights(x, gy, grad_weight_, grad_bias_, params_);
}

}  // namespace ember::nn
