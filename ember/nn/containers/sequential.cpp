#include "ember/nn/containers/sequential.h"

namespace ember::nn {

Sequential::Sequential(std::vector<ModulePtr> modules) {
  for (auto& m : modules) add(std::move(m));
}

const Activity& Sequential::input_of(size_t i, const Activity& input) const {
  return i == 0 ? input : get(i - 1)->output();
}

const Activity& Sequential::update_output(const Activity& input) {
  if (size() == 0) {
    output_ = input;
    return output_;
  }
  const Activity* x = &input;
  for (size_t i = 0; i < size(); ++i) x = &in_child(i, [&](Module& m) -> const Activity& { return m.forward(*x); });
  output_ = *x;
  return output_;
}

const Activity& Sequential::update_grad_input(const Activity& input, const Activity& grad_output) {
  const Activity* g = &grad_output;
  for (size_t i = size(); i-- > 0;)
    g = &in_child(i, [&](Module& m) -> const Activity& {
      return m.update_grad_input(input_of(i, input), *g);
    });
  grad_input_ = *g;
  return grad_input_;
}

void Sequential::acc_grad_parameters(const Activity& input, const Activity& grad_output) {
  const Activity* g = &grad_output;
  for (size_t i = size(); i-- > 0;) {
    in_child(i, [&](Module& m) { m.acc_grad_parameters(input_of(i, input), *g); });
    g = &get(i)->grad_input();
  }
}

Module& Sequential::set_propagate_back(bool propagate) {
  Module::set_propagate_back(propagate);
  if (size() > 0) get(0)->set_propagate_back(propagate);
  return *this;
}

const Activity& Sequential::backward(const Activity& input, const Activity& grad_output) {
  const Activity* g = &grad_output;
  for (size_t i = size(); i-- > 0;)
    g = &in_child(i, [&](Module& m) -> const Activity& { return m.backward(input_of(i, input), *g); });
  grad_input_ = *g;
  return grad_input_;
}

}  // namespace ember::nn
