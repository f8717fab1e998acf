#include "ember/nn/layers/pooling_util.h"

namespace ember::nn::detail {

ExpandingArray<2> check_pool_options(std::string_view type, const ExpandingArray<2>& kernel_size,
                                     const ExpandingArray<2>& stride, const ExpandingArray<2>& padding) {
  ExpandingArray<2> s = stride;
  for (size_t i = 0; i < 2; ++i) {
    EMBER_CHECK(kernel_size[i] > 0, "[", type, "] kernel_size must be positive, got ", kernel_size);
    EMBER_CHECK(stride[i] >= 0, "[", type, "] stride must be positive (or 0 for kernel_size), got ", stride);
    EMBER_CHECK(padding[i] >= 0 && padding[i] <= kernel_size[i] / 2, "[", type,
                "] padding must be between 0 and half the kernel size: expected at most ", kernel_size[i] / 2,
                ", got padding=", padding, " for kernel_size=", kernel_size);
    if (s[i] == 0) s[i] = kernel_size[i];
  }
  return s;
}

Tensor pool_input_4d(const Tensor& input) {
  check_input_dims(input, {3, 4});
  EMBER_CHECK_TYPE(input.dtype() == DType::Float32 || input.dtype() == DType::Float64,
                   "input dtype must be float32 or float64, got ", input.dtype());
  const Tensor x = input.dim() == 3 ? input.unsqueeze(0) : input;
  return x.contiguous();
}

kernels::Pool2dParams pool_params(const Tensor& x4, const ExpandingArray<2>& kernel_size,
                                  const ExpandingArray<2>& stride, const ExpandingArray<2>& padding, bool ceil_mode,
                                  bool count_include_pad) {
  kernels::Pool2dParams p;
  p.kh = kernel_size[0];
  p.kw = kernel_size[1];
  p.sh = stride[0];
  p.sw = stride[1];
  p.ph = padding[0];
  p.pw = padding[1];
  p.ceil_mode = ceil_mode;
  p.count_include_pad = count_include_pad;
  p.oh = kernels::pool_output_size(x4.size(2), p.kh, p.sh, p.ph, ceil_mode);
  p.ow = kernels::pool_output_size(x4.size(3), p.kw, p.sw, p.pw, ceil_mode);
  EMBER_CHECK_SHAPE(p.oh >= 1 && p.ow >= 1,
                    "input is too small for the pooling window: expected height + 2*padding >= ", p.kh,
                    " and width + 2*padding >= ", p.kw, ", got input of shape ", x4.shape(), " (output would be ",
                    p.oh, "x", p.ow, ")");
  return p;
}


}  // namespace ember::nn::detail
