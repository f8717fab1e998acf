// NumPy-like printing for Tensor::to_string: a common format for all elements, nested brackets,
// and "..." summaries (3 items per edge) once a tensor has more than 1000 elements.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "ember/tensor/tensor.h"

namespace ember {
namespace {

constexpr int64_t kSummarizeAbove = 1000;
constexpr int64_t kEdgeItems = 3;

struct Format {
  bool integral = true;  // every value is a whole number: print "1." style (floats) or "1" (ints)
  bool scientific = false;
  bool is_float = true;
  int width = 1;
};

std::string format_value(double v, const Format& f) {
  char buf[64];
  if (!f.is_float) {
    std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(v));
  } else if (std::isnan(v)) {
    std::snprintf(buf, sizeof(buf), "nan");
  } else if (std::isinf(v)) {
    std::snprintf(buf, sizeof(buf), v > 0 ? "inf" : "-inf");
  } else if (f.scientific) {
    std::snprintf(buf, sizeof(buf), "%.4e", v);
  } else if (f.integral) {
    std::snprintf(buf, sizeof(buf), "%.0f.", v);
  } else {
    std::snprintf(buf, sizeof(buf), "%.4f", v);
  }
  return buf;
}

void print_rec(std::ostringstream& os, const Tensor& t, const std::vector<double>& vals, int64_t dim, int64_t base,
               const Format& f, bool summarize, int indent) {
  const Shape& s = t.shape();
  // Row-major element offset of an index prefix: contiguous layout over vals.
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < s.size(); ++d) inner *= s[d];
  os << '[';
  const int64_t n = s[dim];
  for (int64_t i = 0; i < n; ++i) {
    if (summarize && n > 2 * kEdgeItems && i == kEdgeItems) {
      os << (dim + 1 == s.size() ? "..., " : "...,\n" + std::string(indent + 1, ' '));
      i = n - kEdgeItems;
    }
    if (dim + 1 == s.size()) {
      std::string v = format_value(vals[base + i], f);
      os << std::string(f.width - static_cast<int>(v.size()), ' ') << v;
    } else {
      print_rec(os, t, vals, dim + 1, base + i * inner, f, summarize, indent + 1);
    }
    if (i + 1 < n) {
      if (dim + 1 == s.size()) os << ", ";
      else os << ",\n" << std::string(s.size() - dim - 2, '\n') << std::string(indent + 1, ' ');
    }
  }
  os << ']';
}

}  // namespace

std::string Tensor::to_string() const {
  if (!defined()) return "tensor(undefined)";
  std::ostringstream os;
  const std::vector<double> vals = to_vector();
  Format f;
  f.is_float = is_floating(dtype_);
  double amax = 0, amin = INFINITY;
  for (double v : vals) {
    if (!std::isfinite(v)) continue;
    if (v != std::floor(v)) f.integral = false;
    amax = std::max(amax, std::abs(v));
    if (v != 0) amin = std::min(amin, std::abs(v));
  }
  if (f.is_float && !f.integral && (amax >= 1e8 || amin < 1e-4)) f.scientific = true;
  for (double v : vals) f.width = std::max<int>(f.width, static_cast<int>(format_value(v, f).size()));
  const char* prefix = "tensor(";
  if (dim() == 0) {
    os << prefix << format_value(vals[0], f);
  } else if (numel() == 0) {
    os << prefix << "[], shape=" << shape_;
  } else {
    os << prefix;
    print_rec(os, *this, vals, 0, 0, f, numel() > kSummarizeAbove, 7);
  }
  if (dtype_ != DType::Float32) os << ", dtype=" << dtype_;
  os << ')';
  return os.str();
}

}  // namespace ember
