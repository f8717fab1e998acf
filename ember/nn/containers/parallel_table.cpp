#include "ember/nn/containers/parallel_table.h"

namespace ember::nn {

ParallelTable::ParallelTable(std::vector<ModulePtr> modules) {
  for (auto& m : modules) add(std::move(m));
}

void ParallelTable::check_table(const Activity& a, const char* what) const {
  EMBER_CHECK(size() > 0, "has no children: add modules before calling forward");
  EMBER_CHECK_TYPE(a.is_table(), what, " must be a Table with one element per child: expected a Table of ", size(),
                   ", got ", a.describe());
  EMBER_CHECK_SHAPE(a.table().size() == size(), what, " table size mismatch: expected ", size(),
                    " elements (one per child), got ", a.table().size());
}

Table& ParallelTable::grad_table() {
  if (!grad_input_.is_table()) grad_input_ = Table();
  Table& t = grad_input_.table();
  if (t.size() != size()) t.resize(size());
  return t;
}

const Activity& ParallelTable::update_output(const Activity& input) {
  check_table(input, "input");
  const Table& in = input.table();
  if (!output_.is_table()) output_ = Table();
  Table& out = output_.table();
  if (out.size() != size()) out.resize(size());
  for (size_t i = 0; i < size(); ++i) out[i] = in_child(i, [&](Module& m) -> const Activity& { return m.forward(in[i]); });
  return output_;
}

const Activity& ParallelTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  check_table(input, "input");
  check_table(grad_output, "grad_output");
  const Table &in = input.table(), &go = grad_output.table();
  Table& gi = grad_table();
  for (size_t i = size(); i-- > 0;)
    gi[i] = in_child(i, [&](Module& m) -> const Activity& { return m.update_grad_input(in[i], go[i]); });
  return grad_input_;
}

void ParallelTable::acc_grad_parameters(const Activity& input, const Activity& grad_output) {
  check_table(input, "input");
  check_table(grad_output, "grad_output");
  const Table &in = input.table(), &go = grad_output.table();
  for (size_t i = size(); i-- > 0;) in_child(i, [&](Module& m) { m.acc_grad_parameters(in[i], go[i]); });
}

const Activity& ParallelTable::backward(const Activity& input, const Activity& grad_output) {
  return with_context([&]() -> const Activity& {
    check_table(input, "input");
    check_table(grad_output, "grad_output");
    const Table &in = input.table(), &go = grad_output.table();
    Table& gi = grad_table();
    for (size_t i = size(); i-- > 0;)
      gi[i] = in_child(i, [&](Module& m) -> const Activity& { return m.backward(in[i], go[i]); });
    return grad_input_;
  });
}

}  // namespace ember::nn
