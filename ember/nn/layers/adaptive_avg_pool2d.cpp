#include "ember/nn/layers/adaptive_avg_pool2d.h"

#include "ember/nn/layers/pooling_util.h"

namespace ember::nn {

AdaptiveAvgPool2d::AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions options) : options_(options) {
  EMBER_CHECK(options_.output_size[0] > 0 && options_.output_size[1] > 0,
              "[nn.AdaptiveAvgPool2d] output_size must be positive, got ", options_.output_size);
}

const Tensor& AdaptiveAvgPool2d::update_output(const Tensor& input) {
  const Tensor x = detail::pool_input_4d(input);
  EMBER_CHECK_SHAPE(x.size(2) > 0 && x.size(3) > 0,
                    "input has an empty spatial dimension: expected H, W > 0, got shape ", input.shape());
  const int64_t oh = options_.output_size[0], ow = options_.output_size[1];
  output_.resize_({x.size(0), x.size(1), oh, ow}, x.dtype());
  kernels::adaptive_avg_pool2d_forward(x, output_);
  if (input.dim() == 3) output_ = output_.view({x.size(1), oh, ow});
  return output_;
}

const Tensor& AdaptiveAvgPool2d::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor x = detail::pool_input_4d(input);
  const int64_t oh = options_.output_size[0], ow = options_.output_size[1];
  const Shape out = input.dim() == 3 ? Shape{x.size(1), oh, ow} : Shape{x.size(0), x.size(1), oh, ow};
  EMBER_CHECK_SHAPE(grad_output.defined() && grad_output.shape() == out, "grad_output shape mismatch: expected ", out,
                    ", got ", grad_output.defined() ? grad_output.shape() : Shape{});
  EMBER_CHECK_TYPE(grad_output.dtype() == x.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match input dtype ", x.dtype());
  const Tensor gy = grad_output.dim() == 3 ? grad_output.unsqueeze(0) : grad_output;
  grad_input_.resize_(x.shape(), x.dtype());
  kernels::adaptive_avg_pool2d_backward(gy, grad_input_);
  if (input.dim() == 3) grad_input_ = grad_input_.view(input.shape());
  return grad_input_;
}

}  // namespace ember::nn
