#include "ember/nn/layers/soft_max.h"

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/kernels/softmax.h"

namespace ember::nn::detail {

int64_t SoftMaxBase::checked_dim(const Tensor& input) const {
  check_floating_input(input);
  const int64_t n = input.dim();
  EMBER_CHECK_SHAPE(n >= 1, "input has the wrong number of dimensions: expected at least 1-d, got shape ",
                    input.shape());
  EMBER_CHECK_INDEX(dim_ >= -n && dim_ < n, "dim out of range: expected dim in [", -n, ", ", n - 1, "], got dim=",
                    dim_, " for input of shape ", input.shape());
  return dim_ < 0 ? dim_ + n : dim_;
}

const Tensor& SoftMaxBase::update_output(const Tensor& input) {
  const int64_t d = checked_dim(input);
  output_.resize_(input.shape(), input.dtype());
  kernels::softmax_forward(input, d, log_, output_);
  return output_;
}

const Tensor& SoftMaxBase::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const int64_t d = checked_dim(input);
  check_grad_output(input, grad_output);
  check_saved_for_backward(output_, input, "output");
  grad_input_.resize_(input.shape(), input.dtype());
  kernels::softmax_backward(output_, grad_output, d, log_, grad_input_);
  return grad_input_;
}

}  // namespace ember::nn::detail
