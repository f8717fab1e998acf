#include "ember/nn/layers/reshape.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

Reshape::Reshape(ReshapeOptions options) : options_(std::move(options)) {
  EMBER_CHECK(!options_.size.empty(), "[nn.Reshape] size must not be empty");
  EMBER_CHECK(options_.size.size() < Shape::kMaxDims, "[nn.Reshape] size has too many dims: expected at most ",
              Shape::kMaxDims - 1, ", got ", options_.size.size());
  for (int64_t s : options_.size) {
    EMBER_CHECK(s > 0, "[nn.Reshape] size entries must be positive, got ", Shape(options_.size));
    numel_ *= s;
  }
  EMBER_CHECK(options_.batch_mode >= -1 && options_.batch_mode <= 1,
              "[nn.Reshape] batch_mode must be -1 (auto), 0 or 1, got ", options_.batch_mode);
}

Shape Reshape::output_shape(const Tensor& input) const {
  EMBER_CHECK(input.defined(), "input is undefined");
  const bool batch = options_.batch_mode == 1 || (options_.batch_mode == -1 && input.numel() != numel_);
  Shape s(options_.size);
  if (!batch) {
    EMBER_CHECK_SHAPE(input.numel() == numel_, "input does not fit size=", s, ": expected ", numel_,
                      " elements, got input of shape ", input.shape());
    return s;
  }
  EMBER_CHECK_SHAPE(input.dim() >= 1 && input.numel() == input.size(0) * numel_,
                    "input does not fit size=", s, " with a batch dimension: expected [N, ...] with N * ", numel_,
                    " elements, got input of shape ", input.shape());
  s.insert(0, input.size(0));
  return s;
}

const Tensor& Reshape::update_output(const Tensor& input) {
  output_ = detail::view_or_copy(input, output_shape(input), out_buf_);
  return output_;
}

const Tensor& Reshape::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Shape out = output_shape(input);
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_ = detail::view_or_copy(grad_output, input.shape(), grad_buf_);
  return grad_input_;
}

}  // namespace ember::nn
