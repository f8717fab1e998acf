#include "ember/nn/containers/concat_table.h"

#include "ember/nn/containers/activity_ops.h"

namespace ember::nn {

ConcatTable::ConcatTable(std::vector<ModulePtr> modules) {
  for (auto& m : modules) add(std::move(m));
}

const Activity& ConcatTable::update_output(const Activity& input) {
  EMBER_CHECK(size() > 0, "has no children: add modules before calling forward");
  if (!output_.is_table()) output_ = Table();
  Table& out = output_.table();
  if (out.size() != size()) out.resize(size());
  for (size_t i = 0; i < size(); ++i) out[i] = in_child(i, [&](Module& m) -> const Activity& { return m.forward(input); });
  return output_;
}

void ConcatTable::check_grad_output(const Activity& grad_output) const {
  EMBER_CHECK(size() > 0, "has no children: add modules before calling backward");
  EMBER_CHECK_TYPE(grad_output.is_table(), "grad_output must be a Table with one gradient per child: expected a Table of ",
                   size(), ", got ", grad_output.describe());
  EMBER_CHECK_SHAPE(grad_output.table().size() == size(),
                    "grad_output table size mismatch: expected one gradient per child (", size(), "), got ",
                    grad_output.table().size());
}

void ConcatTable::accumulate_grad_input(size_t i, const Activity& input, const Activity& grad, bool first) {
  detail::check_child_grad_input(grad, input, named_children()[i].first);
  if (first) {
    detail::copy_activity(grad_sum_, grad);
  } else {
    if (detail::SumMismatch m = detail::add_activity(grad_sum_, grad))
      detail::throw_sum_mismatch(m, "grad_input of child '" + named_children()[i].first + "'");
  }
}

const Activity& ConcatTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  check_grad_output(grad_output);
  const Table& go = grad_output.table();
  for (size_t i = size(); i-- > 0;) {
    const Activity& g = in_child(i, [&](Module& m) -> const Activity& { return m.update_grad_input(input, go[i]); });
    accumulate_grad_input(i, input, g, i + 1 == size());
  }
  grad_input_ = grad_sum_;
  return grad_input_;
}

void ConcatTable::acc_grad_parameters(const Activity& input, const Activity& grad_output) {
  check_grad_output(grad_output);
  const Table& go = grad_output.table();
  for (size_t i = size(); i-- > 0;) in_child(i, [&](Module& m) { m.acc_grad_parameters(input, go[i]); });
}

const Activity& ConcatTable::backward(const Activity& input, const Activity& grad_output) {
  return with_context([&]() -> const Activity& {
    check_grad_output(grad_output);
    const Table& go = grad_output.table();
    for (size_t i = size(); i-- > 0;) {
      const Activity& g = in_child(i, [&](Module& m) -> const Activity& { return m.backward(input, go[i]); });
      if (propagate_back_) accumulate_grad_input(i, input, g, i + 1 == size());
    }
    if (propagate_back_) grad_input_ = grad_sum_;
    return grad_input_;
  });
}

Module& ConcatTable::set_propagate_back(bool propagate) {
  Module::set_propagate_back(propagate);
  for (const auto& [key, child] : named_children()) child->set_propagate_back(propagate);
  return *this;
}

}  // namespace ember::nn
