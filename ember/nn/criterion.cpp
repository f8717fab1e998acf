#include "ember/nn/criterion.h"

namespace ember::nn {

double Criterion::forward(const Activity& input, const Activity& target) {
  return with_context([&] { return update_output(input, target); });
}

const Activity& Criterion::backward(const Activity& input, const Activity& target) {
  return with_context([&]() -> const Activity& { return update_grad_input(input, target); });
}

double TensorCriterion::update_output(const Activity& input, const Activity& target) {
  output_ = update_output(input.tensor(), target.tensor());
  return output_;
}

const Activity& TensorCriterion::update_grad_input(const Activity& input, const Activity& target) {
  Criterion::grad_input_ = update_grad_input(input.tensor(), target.tensor());
  return Criterion::grad_input_;
}

const Tensor& TensorCriterion::backward(const Tensor& input, const Tensor& target) {
  Criterion::backward(Activity(input), Activity(target));
  return grad_input_;
}

}  // namespace ember::nn
