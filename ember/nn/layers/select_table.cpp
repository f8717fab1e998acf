#include "ember/nn/layers/select_table.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

namespace {
// Makes `buf` zeros with the structure of `like`, reusing its tensors' storage.
void zeros_like_into(Activity& buf, const Activity& like) {
  if (like.is_table()) {
    Table& t = detail::reuse_table(buf, like.table().size());
    for (size_t i = 0; i < t.size(); ++i) zeros_like_into(t[i], like.table()[i]);
    return;
  }
  const Tensor& x = detail::as_tensor(like, "input entry");
  if (!buf.is_tensor()) buf = Activity(Tensor());
  buf.tensor().resize_(x.shape(), x.dtype());
  buf.tensor().zero_();
}
}  // namespace

size_t SelectTable::resolve(const Table& in) const {
  const int64_t n = static_cast<int64_t>(in.size());
  EMBER_CHECK_INDEX(options_.index >= -n && options_.index < n, "index out of range: expected a value in [", -n, ", ",
                    n - 1, "] for a table of ", n, " entries, got ", options_.index);
  return static_cast<size_t>(options_.index < 0 ? options_.index + n : options_.index);
}

const Activity& SelectTable::update_output(const Activity& input) {
  const Table& in = detail::as_table(input, "input");
  output_ = in[resolve(in)];
  return output_;
}

const Activity& SelectTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  const Table& in = detail::as_table(input, "input");
  const size_t k = resolve(in);
  EMBER_CHECK(!grad_output.empty(), "grad_output is empty: expected the gradient of entry ", k);
  Table& z = detail::reuse_table(zeros_, in.size());
  Table& gi = detail::reuse_table(grad_input_, in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (i == k) {
      gi[i] = grad_output;
    } else {
      zeros_like_into(z[i], in[i]);
      gi[i] = z[i];
    }
  }
  return grad_input_;
}

}  // namespace ember::nn
