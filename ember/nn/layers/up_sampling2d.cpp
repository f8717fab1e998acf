#include "ember/nn/layers/up_sampling2d.h"

#include "ember/tensor/kernels/upsampling_nearest2d.h"

namespace ember::nn {

UpSampling2d::UpSampling2d(UpSampling2dOptions options) : options_(options) {
  EMBER_CHECK(options_.size[0] > 0 && options_.size[1] > 0, "[nn.UpSampling2d] size must be positive, got ",
              options_.size);
}

Tensor UpSampling2d::as_4d(const Tensor& input) const {
  check_input_dims(input, {3, 4});
  EMBER_CHECK_TYPE(is_floating(input.dtype()) && input.dtype() != DType::BFloat16,
                   "input dtype not supported: expected float32 or float64, got ", input.dtype());
  return input.dim() == 3 ? input.unsqueeze(0) : input;
}

const Tensor& UpSampling2d::update_output(const Tensor& input) {
  const Tensor x = as_4d(input);
  Shape s = input.shape();
  s[s.size() - 2] *= options_.size[0];
  s[s.size() - 1] *= options_.size[1];
  output_.resize_(s, input.dtype());
  Tensor y = input.dim() == 3 ? output_.unsqueeze(0) : output_;
  kernels::upsampling_nearest2d_forward(x, options_.size[0], options_.size[1], y);
  return output_;
}

const Tensor& UpSampling2d::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  as_4d(input);
  Shape s = input.shape();
  s[s.size() - 2] *= options_.size[0];
  s[s.size() - 1] *= options_.size[1];
  EMBER_CHECK_SHAPE(grad_output.shape() == s, "grad_output shape mismatch: expected ", s, ", got ",
                    grad_output.shape());
  EMBER_CHECK_TYPE(grad_output.dtype() == input.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match input dtype ", input.dtype());
  grad_input_.resize_(input.shape(), input.dtype());
  Tensor gx = input.dim() == 3 ? grad_input_.unsqueeze(0) : grad_input_;
  const Tensor gy = input.dim() == 3 ? grad_output.unsqueeze(0) : grad_output;
  kernels::upsampling_nearest2d_backward(gy, options_.size[0], options_.size[1], gx);
  return grad_input_;
}

}  // namespace ember::nn
