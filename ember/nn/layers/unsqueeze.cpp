#include "ember/nn/layers/unsqueeze.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

Unsqueeze::Unsqueeze(UnsqueezeOptions options) : options_(options) {
  EMBER_CHECK(options_.num_input_dims >= 0, "[nn.Unsqueeze] num_input_dims must be >= 0 (0 = unset), got ",
              options_.num_input_dims);
}

int64_t Unsqueeze::position(const Tensor& input) const {
  EMBER_CHECK(input.defined(), "input is undefined");
  const int64_t nd = input.dim();
  EMBER_CHECK_SHAPE(nd < Shape::kMaxDims, "input has too many dims to unsqueeze: expected at most ",
                    Shape::kMaxDims - 1, ", got input of shape ", input.shape());
  const bool batched = options_.num_input_dims > 0 && nd > options_.num_input_dims;
  const int64_t d = options_.dim >= 0 && batched ? options_.dim + 1 : options_.dim;
  return detail::wrap_dim_checked(d, nd + 1, "dim", input.shape());
}

const Tensor& Unsqueeze::update_output(const Tensor& input) {
  output_ = input.unsqueeze(position(input));
  return output_;
}

const Tensor& Unsqueeze::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  Shape out = input.shape();
  out.insert(position(input), 1);
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_ = detail::view_or_copy(grad_output, input.shape(), grad_buf_);
  return grad_input_;
}

}  // namespace ember::nn
