#include "ember/nn/layers/avg_pool2d.h"

#include "ember/nn/layers/pooling_util.h"

namespace ember::nn {

AvgPool2d::AvgPool2d(AvgPool2dOptions options) : options_(options) {
  stride_ = detail::check_pool_options(kTypeName, options_.kernel_size, options_.stride, options_.padding);
}

const Tensor& AvgPool2d::update_output(const Tensor& input) {
  const Tensor x = detail::pool_input_4d(input);
  const auto p = detail::pool_params(x, options_.kernel_size, stride_, options_.padding, options_.ceil_mode,
                                     options_.count_include_pad);
  output_.resize_({x.size(0), x.size(1), p.oh, p.ow}, x.dtype());
  kernels::avg_pool2d_forward(x, p, output_);
  if (input.dim() == 3) output_ = output_.view({x.size(1), p.oh, p.ow});
  return output_;
}

const Tensor& AvgPool2d::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor x = detail::pool_input_4d(input);
  const auto p = detail::pool_params(x, options_.kernel_size, stride_, options_.padding, options_.ceil_mode,
                                     options_.count_include_pad);
  const Shape out = input.dim() == 3 ? Shape{x.size(1), p.oh, p.ow} : Shape{x.size(0), x.size(1), p.oh, p.ow};
  EMBER_CHECK_SHAPE(grad_output.defined() && grad_output.shape() == out, "grad_output shape mismatch: expected ", out,
                    ", got ", grad_output.defined() ? grad_output.shape() : Shape{});
  EMBER_CHECK_TYPE(grad_output.dtype() == x.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match input dtype ", x.dtype());
  const Tensor gy = grad_output.dim() == 3 ? grad_output.unsqueeze(0) : grad_output;
  grad_input_.resize_(x.shape(), x.dtype());
  kernels::avg_pool2d_backward(gy, p, grad_input_);
  if (input.dim() == 3) grad_input_ = grad_input_.view(input.shape());
  return grad_input_;
}

}  // namespace ember::nn
