#include "ember/nn/layers/view.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

View::View(ViewOptions options) : options_(std::move(options)) {
  EMBER_CHECK(!options_.sizes.empty(), "[nn.View] sizes must not be empty");
  EMBER_CHECK(options_.sizes.size() < Shape::kMaxDims, "[nn.View] sizes has too many dims: expected at most ",
              Shape::kMaxDims - 1, ", got ", options_.sizes.size());
  for (int64_t s : options_.sizes) {
    EMBER_CHECK(s > 0 || (s == -1 && !has_infer_), "[nn.View] sizes must be positive with at most one -1, got ",
                Shape(options_.sizes));
    if (s == -1) has_infer_ = true;
    else known_ *= s;
  }
  EMBER_CHECK(options_.num_input_dims >= 0, "[nn.View] num_input_dims must be >= 0 (0 = unset), got ",
              options_.num_input_dims);
}

// Torch7's View batchsize(): the elements of the last num_input_dims dims hold B copies of the view,
// or fill the -1; the dims before them are always batch.
Shape View::output_shape(const Tensor& input) const {
  EMBER_CHECK(input.defined(), "input is undefined");
  const int64_t nd = input.dim();
  const int64_t nin = options_.num_input_dims;
  EMBER_CHECK_SHAPE(nin == 0 || nd >= nin, "input has too few dims: expected at least num_input_dims=", nin,
                    ", got input of shape ", input.shape());
  const int64_t max_dim = nin ? nin : nd;
  int64_t ine = 1;
  for (int64_t i = nd - 1; i >= nd - max_dim; --i) ine *= input.size(i);
  EMBER_CHECK_SHAPE(known_ > 0 && ine % known_ == 0, "input does not fit sizes=", Shape(options_.sizes), ": expected ",
                    "a multiple of ", known_, " elements", nin ? " in the last num_input_dims dims" : "",
                    ", got input of shape ", input.shape());
  int64_t batch = has_infer_ ? 1 : ine / known_;
  for (int64_t i = nd - max_dim - 1; i >= 0; --i) batch *= input.size(i);
  const bool batched = !(batch == 1 && (nin == 0 || nd <= nin));
  std::vector<int64_t> sizes = options_.sizes;
  if (batched) sizes.insert(sizes.begin(), batch);
  return detail::infer_shape(sizes, input.numel(), "sizes", input.shape());
}

const Tensor& View::update_output(const Tensor& input) {
  output_ = detail::view_or_copy(input, output_shape(input), out_buf_);
  return output_;
}

const Tensor& View::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Shape out = output_shape(input);
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_ = detail::view_or_copy(grad_output, input.shape(), grad_buf_);
  return grad_input_;
}

}  // namespace ember::nn
