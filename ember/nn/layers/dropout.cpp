#include "ember/nn/layers/dropout.h"

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"

namespace ember::nn {

Dropout::Dropout(DropoutOptions options) : OptionsLayer(options) {
  EMBER_CHECK(options_.p >= 0 && options_.p <= 1, "[nn.Dropout] dropout probability must be in [0, 1]: expected 0 <= p <= 1, got p=",
              options_.p);
}

const Tensor& Dropout::update_output(const Tensor& input) {
  detail::check_floating_input(input);
  output_.resize_(input.shape(), input.dtype());
  output_.copy_(input);
  masked_ = is_training() && options_.p > 0;
  if (!masked_) return output_;
  mask_.resize_(input.shape(), input.dtype());
  if (options_.p == 1) {
    mask_.zero_();
  } else {
    bernoulli_(mask_, 1.0 - options_.p);
    mul_(mask_, 1.0 / (1.0 - options_.p));
  }
  mul_(output_, mask_);
  return output_;
}

const Tensor& Dropout::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  detail::check_grad_output(input, grad_output);
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.copy_(grad_output);
  if (masked_) {
    detail::check_saved_for_backward(mask_, input, "mask");
    mul_(grad_input_, mask_);
  }
  return grad_input_;
}

}  // namespace ember::nn
