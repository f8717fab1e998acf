#include "ember/nn/layers/conv_transpose2d.h"

#include <algorithm>

namespace ember::nn {

ConvTranspose2d::ConvTranspose2d(ConvTranspose2dOptions options)
    : Conv2dLayerBase({kernels::conv_transpose2d_forward, kernels::conv_transpose2d_backward_data,
                       kernels::conv_transpose2d_backward_weights}),
      options_(options) {
  const auto& o = options_;
  detail::check_conv_options(kTypeName, o, [&o] {
    for (size_t i = 0; i < 2; ++i) {
      const int64_t op = o.output_padding[i];
      EMBER_CHECK(op >= 0 && (op < o.stride[i] || op < o.dilation[i]),
                  "[nn.ConvTranspose2d] output_padding must be non-negative and smaller than stride or dilation: "
                  "expected output_padding < max(stride, dilation) = ",
                  std::max(o.stride[i], o.dilation[i]), " in dimension ", i, ", got output_padding=", o.output_padding,
                  " (stride=", o.stride, ", dilation=", o.dilation, ")");
    }
  });
  params_ = {o.stride[0], o.stride[1], o.padding[0], o.padding[1], o.dilation[0], o.dilation[1], o.groups};
  init_parameters({o.in_channels, o.out_channels / o.groups, o.kernel_size[0], o.kernel_size[1]}, o.out_channels,
                  o.bias);
  reset_parameters();
}

void ConvTranspose2d::reset_parameters() {
  const auto& o = options_;
  // PyTorch computes fan_in from weight.size(1) = C_out/groups (BigDL's GP_IN_OUT_KW_KH agrees).
  const int64_t receptive = o.kernel_size[0] * o.kernel_size[1];
  reset_uniform(o.out_channels / o.groups * receptive, o.in_channels * receptive, o.bias);
}

Shape ConvTranspose2d::check_input(const Tensor& input) const {
  const auto& o = options_;
  check_input_channels(input, 4, o.in_channels);
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

}  // namespace ember::nn
