#include "ember/nn/layers/flatten.h"

#include <algorithm>

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

Shape Flatten::output_shape(const Tensor& input) const {
  EMBER_CHECK(input.defined(), "input is undefined");
  const int64_t nd = std::max<int64_t>(input.dim(), 1);  // a 0-d tensor flattens to [1], as in PyTorch
  const int64_t s = detail::wrap_dim_checked(options_.start_dim, nd, "start_dim", input.shape());
  const int64_t e = detail::wrap_dim_checked(options_.end_dim, nd, "end_dim", input.shape());
  EMBER_CHECK_INDEX(s <= e, "start_dim must not come after end_dim: expected start_dim <= end_dim, got ", s, " > ", e,
                    " for input of shape ", input.shape());
  if (input.dim() == 0) return Shape{1};
  Shape out;
  int64_t merged = 1;
  for (int64_t d = 0; d < nd; ++d) {
    if (d < s || d > e) {
      out.push_back(input.size(d));
    } else {
      merged *= input.size(d);
      if (d == e) out.push_back(merged);
    }
  }
  return out;
}

const Tensor& Flatten::update_output(const Tensor& input) {
  output_ = detail::view_or_copy(input, output_shape(input), out_buf_);
  return output_;
}

const Tensor& Flatten::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Shape out = output_shape(input);
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_ = detail::view_or_copy(grad_output, input.shape(), grad_buf_);
  return grad_input_;
}

}  // namespace ember::nn
