#include "ember/nn/layers/flatten_table.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

namespace {
void flatten_into(const Activity& a, Table& out) {
  if (a.is_table()) {
    for (const Activity& x : a.table()) flatten_into(x, out);
    return;
  }
  EMBER_CHECK_TYPE(!a.empty(), "input holds an empty entry: expected Tensors or Tables");
  out.push_back(a);
}

size_t count_leaves(const Activity& a) {
  if (!a.is_table()) return 1;
  size_t n = 0;
  for (const Activity& x : a.table()) n += count_leaves(x);
  return n;
}

// Rebuilds like's nesting into `out`, taking flat entries from `next` on.
void unflatten_into(const Activity& like, const Table& flat, size_t& next, Activity& out) {
  if (!like.is_table()) {
    out = flat[next++];
    return;
  }
  Table& t = detail::reuse_table(out, like.table().size());
  for (size_t i = 0; i < t.size(); ++i) unflatten_into(like.table()[i], flat, next, t[i]);
}
}  // namespace

const Activity& FlattenTable::update_output(const Activity& input) {
  const Table& in = detail::as_table(input, "input");
  Table& out = detail::reuse_table(output_, 0);
  for (const Activity& a : in) flatten_into(a, out);
  return output_;
}

const Activity& FlattenTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  detail::as_table(input, "input");
  const Table& g = detail::as_table(grad_output, "grad_output");
  const size_t n = count_leaves(input);
  EMBER_CHECK_SHAPE(g.size() == n, "grad_output has the wrong number of entries: expected ", n,
                    " (the tensors in the input), got ", g.size());
  size_t next = 0;
  unflatten_into(input, g, next, grad_input_);
  return grad_input_;
}

}  // namespace ember::nn
