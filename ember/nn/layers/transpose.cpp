#include "ember/nn/layers/transpose.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

const Tensor& Transpose::update_output(const Tensor& input) {
  EMBER_CHECK(input.defined(), "input is undefined");
  const int64_t d0 = detail::wrap_dim_checked(options_.dim0, input.dim(), "dim0", input.shape());
  const int64_t d1 = detail::wrap_dim_checked(options_.dim1, input.dim(), "dim1", input.shape());
  output_ = input.transpose(d0, d1);
  return output_;
}

const Tensor& Transpose::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  EMBER_CHECK(input.defined() && grad_output.defined(), "input or grad_output is undefined");
  const int64_t d0 = detail::wrap_dim_checked(options_.dim0, input.dim(), "dim0", input.shape());
  const int64_t d1 = detail::wrap_dim_checked(options_.dim1, input.dim(), "dim1", input.shape());
  Shape out = input.shape();
  std::swap(out[d0], out[d1]);
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_ = grad_output.transpose(d0, d1);
  return grad_input_;
}

}  // namespace ember::nn
