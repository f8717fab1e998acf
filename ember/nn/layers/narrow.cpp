#include "ember/nn/layers/narrow.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

Narrow::Narrow(NarrowOptions options) : options_(options) {
  EMBER_CHECK(options_.length != 0, "[nn.Narrow] length must not be 0 (negative counts from the end), got 0");
}

Narrow::Range Narrow::range(const Tensor& input) const {
  EMBER_CHECK(input.defined(), "input is undefined");
  const int64_t d = detail::wrap_dim_checked(options_.dim, input.dim(), "dim", input.shape());
  const int64_t size = input.size(d);
  const int64_t start = options_.start < 0 ? size + options_.start : options_.start;
  const int64_t length = options_.length < 0 ? size - start + options_.length + 1 : options_.length;
  EMBER_CHECK_INDEX(start >= 0 && start < size && length > 0 && start + length <= size,
                    "narrow range out of bounds: expected start in [0, ", size, ") and 0 < length <= ", size,
                    " - start for dim ", d, " of input shape ", input.shape(), ", got start=", options_.start,
                    ", length=", options_.length, " (resolved to [", start, ", ", start + length, "))");
  return {d, start, length};
}

const Tensor& Narrow::update_output(const Tensor& input) {
  const Range r = range(input);
  output_ = input.narrow(r.dim, r.start, r.length);
  return output_;
}

const Tensor& Narrow::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Range r = range(input);
  Shape out = input.shape();
  out[r.dim] = r.length;
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.zero_();
  grad_input_.narrow(r.dim, r.start, r.length).copy_(grad_output);
  return grad_input_;
}

}  // namespace ember::nn
