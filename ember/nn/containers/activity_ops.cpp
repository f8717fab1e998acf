#include "ember/nn/containers/activity_ops.h"

#include "ember/tensor/ops.h"

namespace ember::nn::detail {

void copy_activity(Activity& dst, const Activity& src) {
  if (src.is_tensor()) {
    const Tensor& s = src.tensor();
    if (!s.defined()) {
      dst = Tensor();
      return;
    }
    if (!dst.is_tensor()) dst = Tensor();
    dst.tensor().resize_(s.shape(), s.dtype()).copy_(s);
  } else if (src.is_table()) {
    const Table& s = src.table();
    if (!dst.is_table()) dst = Table();
    Table& d = dst.table();
    if (d.size() != s.size()) d.resize(s.size());
    for (size_t i = 0; i < s.size(); ++i) copy_activity(d[i], s[i]);
  } else {
    dst = Activity();
  }
}

SumMismatch add_activity(Activity& dst, const Activity& src) {
  if (dst.is_tensor() && src.is_tensor() && dst.tensor().defined() && src.tensor().defined()) {
    Tensor& d = dst.tensor();
    const Tensor& s = src.tensor();
    if (d.shape() != s.shape())
      return {SumMismatch::kShape, ember::detail::str_cat("expected shape ", d.shape(), ", got ", s.shape())};
    if (d.dtype() != s.dtype())
      return {SumMismatch::kType, ember::detail::str_cat("expected dtype ", d.dtype(), ", got ", s.dtype())};
    add_(d, s);
    return {};
  }
  if (dst.is_table() && src.is_table() && dst.table().size() == src.table().size()) {
    for (size_t i = 0; i < src.table().size(); ++i)
      if (SumMismatch m = add_activity(dst.table()[i], src.table()[i])) return m;
    return {};
  }
  return {SumMismatch::kType, ember::detail::str_cat("expected ", dst.describe(), ", got ", src.describe())};
}

void check_child_grad_input(const Activity& grad, const Activity& input, std::string_view key) {
  if (!grad.is_tensor() || !input.is_tensor() || !grad.tensor().defined() || !input.tensor().defined()) return;
  EMBER_CHECK_SHAPE(grad.tensor().shape() == input.tensor().shape(), "grad_input of child '", key, "' has shape ",
                    grad.tensor().shape(), ": expected the input's shape ", input.tensor().shape());
}

void throw_sum_mismatch(const SumMismatch& m, const std::string& what) {
  const std::string msg = ember::detail::str_cat(what, " cannot be summed with the others: ", m.detail);
  if (m.kind == SumMismatch::kShape) throw ShapeError(msg);
  throw TypeError(msg);
}

}  // namespace ember::nn::detail
