#include "ember/nn/layers/identity.h"

namespace ember::nn {

const Activity& Identity::update_output(const Activity& input) {
  EMBER_CHECK(!input.empty(), "input is empty: expected a Tensor or a Table, got ", input.describe());
  output_ = input;
  return output_;
}

const Activity& Identity::update_grad_input(const Activity&, const Activity& grad_output) {
  EMBER_CHECK(!grad_output.empty(), "grad_output is empty: expected a Tensor or a Table, got ", grad_output.describe());
  grad_input_ = grad_output;
  return grad_input_;
}

}  // namespace ember::nn
