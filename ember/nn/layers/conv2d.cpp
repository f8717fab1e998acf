#include "ember/nn/layers/conv2d.h"

namespace ember::nn {

Conv2d::Conv2d(Conv2dOptions options)
    : Conv2dLayerBase({kernels::conv2d_forward, kernels::conv2d_backward_data, kernels::conv2d_backward_weights}),
      options_(options) {
  const auto& o = options_;
  detail::check_conv_options(kTypeName, o);
  params_ = {o.stride[0], o.stride[1], o.padding[0], o.padding[1], o.dilation[0], o.dilation[1], o.groups};
  init_parameters({o.out_channels, o.in_channels / o.groups, o.kernel_size[0], o.kernel_size[1]}, o.out_channels,
                  o.bias);
  reset_parameters();
}

void Conv2d::reset_parameters() {
  const auto& o = options_;
  const int64_t receptive = o.kernel_size[0] * o.kernel_size[1];
  reset_uniform(o.in_channels / o.groups * receptive, o.out_channels * receptive, o.bias);
}

Shape Conv2d::check_input(const Tensor& input) const {
  const auto& o = options_;
  check_input_channels(input, 4, o.in_channels);
  const int64_t h = input.size(-2), w = input.size(-1);
  const int64_t oh =
      detail::floor_div(h + 2 * o.padding[0] - o.dilation[0] * (o.kernel_size[0] - 1) - 1, o.stride[0]) + 1;
  const int64_t ow =
      detail::floor_div(w + 2 * o.padding[1] - o.dilation[1] * (o.kernel_size[1] - 1) - 1, o.stride[1]) + 1;
  EMBER_CHECK_SHAPE(oh > 0 && ow > 0, "input is too small for the kernel: output size would be ", oh, "x", ow,
                    " for input of shape ", input.shape(), " (kernel_size=", o.kernel_size, ", padding=", o.padding,
                    ", dilation=", o.dilation, ")");
  return {input.dim() == 4 ? input.size(0) : 1, o.out_channels, oh, ow};
}

}  // namespace ember::nn
