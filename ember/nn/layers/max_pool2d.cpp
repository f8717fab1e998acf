#include "ember/nn/layers/max_pool2d.h"

#include "ember/nn/layers/layer_checks.h"
#include "ember/nn/layers/pooling_util.h"

namespace ember::nn {

MaxPool2d::MaxPool2d(MaxPool2dOptions options) : options_(options) {
  stride_ = detail::check_pool_options(kTypeName, options_.kernel_size, options_.stride, options_.padding);
}

const Tensor& MaxPool2d::update_output(const Tensor& input) {
  const Tensor x = detail::pool_input_4d(input);
  const auto p = detail::pool_params(x, options_.kernel_size, stride_, options_.padding, options_.ceil_mode, true);
  output_.resize_({x.size(0), x.size(1), p.oh, p.ow}, x.dtype());
  forward_shape_ = x.shape();
  kernels::max_pool2d_forward(x, p, output_, indices_);
  if (input.dim() == 3) output_ = output_.view({x.size(1), p.oh, p.ow});
  return output_;
}

const Tensor& MaxPool2d::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor x = detail::pool_input_4d(input);
  const auto p = detail::pool_params(x, options_.kernel_size, stride_, options_.padding, options_.ceil_mode, true);
  EMBER_CHECK(indices_.defined() && output_.defined(), "backward called before forward");
  EMBER_CHECK_SHAPE(x.shape() == forward_shape_, "backward input shape differs from the forward's: expected ",
                    forward_shape_, ", got ", x.shape());
  detail::check_grad_output(output_, grad_output, "output");
  const Tensor gy = grad_output.dim() == 3 ? grad_output.unsqueeze(0) : grad_output;
  grad_input_.resize_(x.shape(), x.dtype());
  kernels::max_pool2d_backward(gy, p, indices_, grad_input_);
  if (input.dim() == 3) grad_input_ = grad_input_.view(input.shape());
  return grad_input_;
}

}  // namespace ember::nn
