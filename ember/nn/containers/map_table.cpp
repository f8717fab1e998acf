#include "ember/nn/containers/map_table.h"

#include "ember/nn/containers/activity_ops.h"

namespace ember::nn {

MapTable::MapTable(ModulePtr module) { add(std::move(module)); }

MapTable& MapTable::add(ModulePtr module) {
  EMBER_CHECK(size() == 0, "[", kTypeName, ".add] holds a module already (", get(0)->type_name(),
              "): a MapTable maps exactly one module over its input table");
  Container::add(std::move(module));
  return *this;
}

void MapTable::check_module() const {
  EMBER_CHECK(size() == 1, "maps exactly one module: expected 1 child, got ", size(),
              size() == 0 ? ". Hint: pass the module to MapTable(module) or call add(module)" : "");
}

void MapTable::check_grad_output(const Table& input, const Activity& grad_output) const {
  EMBER_CHECK_TYPE(grad_output.is_table(), "grad_output must be a Table with one gradient per input element: expected a Table of ",
                   input.size(), ", got ", grad_output.describe());
  EMBER_CHECK_SHAPE(grad_output.table().size() == input.size(),
                    "grad_output table size mismatch: expected one gradient per input element (", input.size(),
                    "), got ", grad_output.table().size());
}

static const Table& input_table(const Activity& input) {
  EMBER_CHECK_TYPE(input.is_table(), "input must be a Table (the module is applied to each element), got ",
                   input.describe());
  return input.table();
}

Table& MapTable::grad_table(size_t n) {
  if (!grad_input_.is_table()) grad_input_ = Table();
  Table& t = grad_input_.table();
  if (t.size() != n) t.resize(n);
  return t;
}

void MapTable::restore_state(const Table& input, size_t i) {
  if (state_of_ == i) return;
  state_of_ = kNone;
  in_child(0, [&](Module& m) { m.forward(input[i]); });
  state_of_ = i;
  state_has_grad_ = false;
}

const Activity& MapTable::update_output(const Activity& input) {
  check_module();
  const Table& in = input_table(input);
  state_of_ = kNone;
  if (!output_.is_table()) output_ = Table();
  Table& out = output_.table();
  if (out.size() != in.size()) out.resize(in.size());
  // The module overwrites its output buffer on each call: keep a copy per element.
  for (size_t i = 0; i < in.size(); ++i)
    detail::copy_activity(out[i], in_child(0, [&](Module& m) -> const Activity& { return m.forward(in[i]); }));
  state_of_ = in.empty() ? kNone : in.size() - 1;
  state_has_grad_ = false;
  return output_;
}

const Activity& MapTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  check_module();
  const Table& in = input_table(input);
  check_grad_output(in, grad_output);
  const Table& go = grad_output.table();
  Table& gi = grad_table(in.size());
  for (size_t i = in.size(); i-- > 0;) {
    restore_state(in, i);
    state_has_grad_ = false;
    detail::copy_activity(gi[i], in_child(0, [&](Module& m) -> const Activity& { return m.update_grad_input(in[i], go[i]); }));
    state_has_grad_ = true;
  }
  return grad_input_;
}

void MapTable::acc_grad_parameters(const Activity& input, const Activity& grad_output) {
  check_module();
  const Table& in = input_table(input);
  check_grad_output(in, grad_output);
  const Table& go = grad_output.table();
  for (size_t i = 0; i < in.size(); ++i) {
    // The Torch contract runs update_grad_input before acc_grad_parameters; redo both when the
    // module holds another element's state.
    if (state_of_ != i || !state_has_grad_) {
      restore_state(in, i);
      in_child(0, [&](Module& m) { m.update_grad_input(in[i], go[i]); });
      state_has_grad_ = true;
    }
    in_child(0, [&](Module& m) { m.acc_grad_parameters(in[i], go[i]); });
  }
}

const Activity& MapTable::backward(const Activity& input, const Activity& grad_output) {
  return with_context([&]() -> const Activity& {
    check_module();
    const Table& in = input_table(input);
    check_grad_output(in, grad_output);
    const Table& go = grad_output.table();
    Table& gi = grad_table(in.size());
    for (size_t i = in.size(); i-- > 0;) {
      restore_state(in, i);
      state_has_grad_ = false;
      detail::copy_activity(gi[i], in_child(0, [&](Module& m) -> const Activity& { return m.backward(in[i], go[i]); }));
      state_has_grad_ = true;
    }
    return grad_input_;
  });
}

}  // namespace ember::nn
