#include "ember/nn/layers/squeeze.h"

#include <array>

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

Squeeze::Squeeze(SqueezeOptions options) : options_(std::move(options)) {
  EMBER_CHECK(options_.num_input_dims >= 0, "[nn.Squeeze] num_input_dims must be >= 0 (0 = unset), got ",
              options_.num_input_dims);
}

Shape Squeeze::output_shape(const Tensor& input) const {
  EMBER_CHECK(input.defined(), "input is undefined");
  const int64_t nd = input.dim();
  const bool batched = options_.num_input_dims > 0 && nd > options_.num_input_dims;
  std::array<bool, Shape::kMaxDims> drop{};
  if (options_.dim.empty()) {
    for (int64_t d = batched ? 1 : 0; d < nd; ++d) drop[d] = input.size(d) == 1;
  } else {
    for (int64_t d : options_.dim) {
      const int64_t w = detail::wrap_dim_checked(d >= 0 && batched ? d + 1 : d, nd, "dim", input.shape());
      drop[w] = input.size(w) == 1;
    }
  }
  Shape out;
  for (int64_t d = 0; d < nd; ++d)
    if (!drop[d]) out.push_back(input.size(d));
  return out;
}

const Tensor& Squeeze::update_output(const Tensor& input) {
  output_ = detail::view_or_copy(input, output_shape(input), out_buf_);
  return output_;
}

const Tensor& Squeeze::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Shape out = output_shape(input);
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_ = detail::view_or_copy(grad_output, input.shape(), grad_buf_);
  return grad_input_;
}

}  // namespace ember::nn
