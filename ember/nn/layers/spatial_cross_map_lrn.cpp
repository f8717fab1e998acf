#include "ember/nn/layers/spatial_cross_map_lrn.h"

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/kernels/lrn.h"

namespace ember::nn {

namespace {
kernels::LrnParams params_of(const SpatialCrossMapLRNOptions& o) { return {o.size, o.alpha, o.beta, o.k}; }
}  // namespace

SpatialCrossMapLRN::SpatialCrossMapLRN(SpatialCrossMapLRNOptions options) : options_(options) {
  EMBER_CHECK(options_.size > 0, "[nn.SpatialCrossMapLRN] size must be positive, got ", options_.size);
  EMBER_CHECK(options_.k > 0, "[nn.SpatialCrossMapLRN] k must be positive, got ", options_.k);
  EMBER_CHECK(options_.alpha >= 0, "[nn.SpatialCrossMapLRN] alpha must be non-negative, got ", options_.alpha);
}

void SpatialCrossMapLRN::check_input(const Tensor& input) const {
  check_input_dims(input, {4});
  EMBER_CHECK_TYPE(input.dtype() == DType::Float32 || input.dtype() == DType::Float64,
                   "input dtype must be float32 or float64, got ", input.dtype());
}

const Tensor& SpatialCrossMapLRN::update_output(const Tensor& input) {
  check_input(input);
  const Tensor x = input.contiguous();
  output_.resize_(x.shape(), x.dtype());
  forward_shape_ = x.shape();
  if (x.numel() == 0) return output_;
  kernels::lrn_forward(x, params_of(options_), output_, workspace_);
  return output_;
}

const Tensor& SpatialCrossMapLRN::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  check_input(input);
  EMBER_CHECK_SHAPE(input.shape() == forward_shape_, "backward input shape differs from the forward's: expected ",
                    forward_shape_, ", got ", input.shape());
  detail::check_grad_output(input, grad_output);
  const Tensor x = input.contiguous();
  grad_input_.resize_(x.shape(), x.dtype());
  if (x.numel() == 0) return grad_input_;
  kernels::lrn_backward(grad_output, x, params_of(options_), workspace_, grad_input_);
  return grad_input_;
}

}  // namespace ember::nn
