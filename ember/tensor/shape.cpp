#include "ember/tensor/shape.h"

#include <algorithm>

namespace ember {

void Shape::insert(int64_t pos, int64_t v) {
  EMBER_CHECK_SHAPE(n_ < kMaxDims, "[Shape] too many dimensions: expected at most ", kMaxDims);
  for (int64_t i = n_; i > pos; --i) d_[i] = d_[i - 1];
  d_[pos] = v;
  ++n_;
}

void Shape::erase(int64_t pos) {
  for (int64_t i = pos; i + 1 < n_; ++i) d_[i] = d_[i + 1];
  --n_;
}

std::ostream& operator<<(std::ostream& os, const Shape& s) {
  os << '[';
  for (int i = 0; i < s.n_; ++i) os << (i ? ", " : "") << s.d_[i];
  return os << ']';
}

int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op) {
  const int64_t lo = ndim > 0 ? -ndim : -1, hi = ndim > 0 ? ndim - 1 : 0;
  EMBER_CHECK_INDEX(dim >= lo && dim <= hi, "[", op, "] dimension out of range: expected dim in [", lo, ", ",
                    hi, "], got ", dim);
  return dim < 0 ? dim + std::max<int64_t>(ndim, 1) : dim;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const int64_t n = std::max(a.size(), b.size());
  Shape out;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t ia = i - (n - a.size()), ib = i - (n - b.size());
    const int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    EMBER_CHECK_SHAPE(da == db || da == 1 || db == 1, "[", op, "] shapes ", a, " and ", b,
                      " do not broadcast: expected equal sizes or 1 at dimension ", i, ", got ", da, " and ", db);
    out.push_back(da == 1 ? db : da);
  }
  return out;
}

Shape contiguous_strides(const Shape& shape) {
  Shape st = shape;
  int64_t acc = 1;
  for (int64_t i = shape.size() - 1; i >= 0; --i) {
    st[i] = acc;
    acc *= std::max<int64_t>(shape[i], 1);
  }
  return st;
}

}  // namespace ember
