#include "ember/nn/layers/select.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

std::pair<int64_t, int64_t> Select::resolve(const Tensor& input) const {
  EMBER_CHECK(input.defined(), "input is undefined");
  const int64_t d = detail::wrap_dim_checked(options_.dim, input.dim(), "dim", input.shape());
  const int64_t size = input.size(d);
  EMBER_CHECK_INDEX(options_.index >= -size && options_.index < size, "index out of range: expected a value in [",
                    -size, ", ", size - 1, "] for dim ", d, " of input shape ", input.shape(), ", got ",
                    options_.index);
  return {d, options_.index < 0 ? options_.index + size : options_.index};
}

const Tensor& Select::update_output(const Tensor& input) {
  const auto [d, i] = resolve(input);
  output_ = input.select(d, i);
  return output_;
}

const Tensor& Select::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const auto [d, i] = resolve(input);
  Shape out = input.shape();
  out.erase(d);
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.zero_();
  grad_input_.select(d, i).copy_(grad_output);
  return grad_input_;
}

}  // namespace ember::nn
