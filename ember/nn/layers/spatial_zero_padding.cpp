#include "ember/nn/layers/spatial_zero_padding.h"

#include <algorithm>

namespace ember::nn {

Shape SpatialZeroPadding::output_shape(const Tensor& input) const {
  check_input_dims(input, {3, 4});
  const int64_t h = input.size(-2), w = input.size(-1);
  const int64_t oh = h + options_.pad_top + options_.pad_bottom, ow = w + options_.pad_left + options_.pad_right;
  EMBER_CHECK_SHAPE(oh > 0 && ow > 0, "padding crops the input away: expected a positive output size, got ", oh, "x",
                    ow, " for input of shape ", input.shape(), " with pad (left, right, top, bottom) = (",
                    options_.pad_left, ", ", options_.pad_right, ", ", options_.pad_top, ", ", options_.pad_bottom, ")");
  Shape s = input.shape();
  s[s.size() - 2] = oh;
  s[s.size() - 1] = ow;
  return s;
}

std::pair<Tensor, Tensor> SpatialZeroPadding::overlap(const Tensor& in, const Tensor& out) const {
  const int64_t h = in.size(-2), w = in.size(-1);
  const int64_t top = std::max<int64_t>(0, -options_.pad_top), bottom = std::max<int64_t>(0, -options_.pad_bottom);
  const int64_t left = std::max<int64_t>(0, -options_.pad_left), right = std::max<int64_t>(0, -options_.pad_right);
  const int64_t kh = h - top - bottom, kw = w - left - right;  // surviving input rows / columns
  if (kh <= 0 || kw <= 0) return {};
  const int64_t nd = in.dim();
  Tensor src = in.narrow(nd - 2, top, kh).narrow(nd - 1, left, kw);
  Tensor dst = out.narrow(nd - 2, std::max<int64_t>(0, options_.pad_top), kh)
                   .narrow(nd - 1, std::max<int64_t>(0, options_.pad_left), kw);
  return {src, dst};
}

const Tensor& SpatialZeroPadding::update_output(const Tensor& input) {
  output_.resize_(output_shape(input), input.dtype());
  output_.zero_();
  auto [src, dst] = overlap(input, output_);
  if (src.defined()) dst.copy_(src);
  return output_;
}

const Tensor& SpatialZeroPadding::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Shape out = output_shape(input);
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.zero_();
  auto [gi, go] = overlap(grad_input_, grad_output);
  if (gi.defined()) gi.copy_(go);
  return grad_input_;
}

}  // namespace ember::nn
