#include "ember/nn/layers/view_util.h"

#include <algorithm>

namespace ember::nn::detail {

// Mirrors Tensor::view's stride computation (PyTorch's computeStride), without throwing.
Tensor view_or_copy(const Tensor& src, const Shape& shape, Tensor& buf) {
  if (src.can_view(shape)) return src.view(shape);
  buf.resize_(src.shape(), src.dtype());
  buf.copy_(src);
  return buf.view(shape);
}

Shape infer_shape(const std::vector<int64_t>& sizes, int64_t numel, const char* what, const Shape& input_shape) {
  Shape out(sizes);
  int64_t known = 1, infer = -1;
  for (int64_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1 && infer < 0) {
      infer = i;
    } else {
      known *= out[i];
    }
  }
  if (infer >= 0) {
    EMBER_CHECK_SHAPE(known > 0 && numel % known == 0, what, " does not fit the input: expected a number of elements ",
                      "divisible by ", known, ", got input of shape ", input_shape, " (", numel, " elements)");
    out[infer] = numel / known;
  }
  EMBER_CHECK_SHAPE(out.numel() == numel, what, " does not fit the input: expected ", out.numel(),
                    " elements for ", out, ", got input of shape ", input_shape, " (", numel, " elements)");
  return out;
}

int64_t wrap_dim_checked(int64_t dim, int64_t ndim, const char* option, const Shape& input_shape) {
  EMBER_CHECK_INDEX(dim >= -ndim && dim < ndim, option, " out of range: expected a value in [", -ndim, ", ", ndim - 1,
                    "], got ", dim, " for input of shape ", input_shape);
  return dim < 0 ? dim + ndim : dim;
}

const Table& as_table(const Activity& a, const char* what) {
  EMBER_CHECK_TYPE(a.is_table(), what, " must be a Table: expected a Table of tensors, got ", a.describe());
  return a.table();
}

const Tensor& tensor_at(const Table& t, size_t i, const char* what) {
  EMBER_CHECK_TYPE(t[i].is_tensor() && t[i].tensor().defined(), what, " entry ", i,
                   " must be a Tensor: expected a Table of tensors, got ", t[i].describe());
  return t[i].tensor();
}

const Tensor& as_tensor(const Activity& a, const char* what) {
  EMBER_CHECK_TYPE(a.is_tensor() && a.tensor().defined(), what, " must be a Tensor, got ", a.describe());
  return a.tensor();
}

Table& reuse_table(Activity& a, size_t n) {
  if (!a.is_table()) a = Activity(Table());
  Table& t = a.table();
  t.resize(n);
  return t;
}

Shape broadcast_all(const Table& t, const char* what) {
  Shape out = tensor_at(t, 0, what).shape();
  for (size_t i = 1; i < t.size(); ++i) {
    const Shape& s = tensor_at(t, i, what).shape();
    const int64_t nd = std::max(out.size(), s.size());
    Shape b;
    for (int64_t k = 0; k < nd; ++k) {
      const int64_t ka = k - (nd - out.size()), kb = k - (nd - s.size());
      const int64_t da = ka >= 0 ? out[ka] : 1, db = kb >= 0 ? s[kb] : 1;
      EMBER_CHECK_SHAPE(da == db || da == 1 || db == 1, what, " shapes do not broadcast: entry ", i, " has shape ", s,
                        ", expected a shape broadcastable with ", out, " (the entries before it)");
      b.push_back(da == 1 ? db : da);
    }
    out = b;
  }
  return out;
}

Shape check_elementwise_table(const Table& in) {
  EMBER_CHECK_SHAPE(!in.empty(), "input table is empty: expected at least 1 tensor");
  const DType dt = tensor_at(in, 0, "input").dtype();
  for (size_t i = 1; i < in.size(); ++i)
    EMBER_CHECK_TYPE(tensor_at(in, i, "input").dtype() == dt, "input dtypes differ: expected ", dt,
                     " (entry 0), got ", in[i].tensor().dtype(), " at entry ", i);
  return broadcast_all(in, "input");
}

}  // namespace ember::nn::detail
