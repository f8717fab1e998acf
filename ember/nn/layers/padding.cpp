#include "ember/nn/layers/padding.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

Padding::Padding(PaddingOptions options) : options_(options) {
  EMBER_CHECK(options_.pad_before >= 0 && options_.pad_after >= 0,
              "[nn.Padding] pad_before and pad_after must be >= 0, got pad_before=", options_.pad_before,
              ", pad_after=", options_.pad_after);
}

const Tensor& Padding::update_output(const Tensor& input) {
  EMBER_CHECK(input.defined(), "input is undefined");
  const int64_t d = detail::wrap_dim_checked(options_.dim, input.dim(), "dim", input.shape());
  Shape out = input.shape();
  out[d] += options_.pad_before + options_.pad_after;
  output_.resize_(out, input.dtype());
  output_.fill_(options_.value);
  output_.narrow(d, options_.pad_before, input.size(d)).copy_(input);
  return output_;
}

const Tensor& Padding::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const int64_t d = detail::wrap_dim_checked(options_.dim, input.dim(), "dim", input.shape());
  Shape out = input.shape();
  out[d] += options_.pad_before + options_.pad_after;
  EMBER_CHECK_SHAPE(grad_output.shape() == out, "grad_output shape mismatch: expected ", out, ", got ",
                    grad_output.shape());
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.copy_(grad_output.narrow(d, options_.pad_before, input.size(d)));
  return grad_input_;
}

}  // namespace ember::nn
