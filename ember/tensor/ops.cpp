#include "ember/tensor/ops.h"

#include <cmath>
#include <limits>

#include "ember/tensor/iter.h"

#ifdef EMBER_USE_OPENBLAS
#include <cblas.h>
#endif

namespace ember {

namespace {

void check_same_dtype(const Tensor& a, const Tensor& b, const char* op) {
  EMBER_CHECK(a.defined() && b.defined(), "[", op, "] tensor is undefined");
  EMBER_CHECK_TYPE(a.dtype() == b.dtype(), "[", op, "] dtype mismatch: expected both operands to be ", a.dtype(),
                   ", got ", a.dtype(), " and ", b.dtype(), ". Hint: convert one with .to(", a.dtype(), ")");
}

// out[i] = f(a[i], b[i]) over out's shape, a and b broadcast to it.
template <class T, class F>
void binary_loop(Tensor& out, const Tensor& a, const Tensor& b, F f) {
  const Tensor ea = a.expand(out.shape()), eb = b.expand(out.shape());
  T* po = out.data<T>();
  const T* pa = ea.data<T>();
  const T* pb = eb.data<T>();
  detail::strided_loop<3>(out.shape(), {out.strides(), ea.strides(), eb.strides()},
                          [&](int64_t n, auto offs, auto in) {
                            T* o = po + offs[0];
                            const T* x = pa + offs[1];
                            const T* y = pb + offs[2];
                            if (in[0] == 1 && in[1] == 1 && in[2] == 1) {
                              for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
                            } else if (in[0] == 1 && in[1] == 1 && in[2] == 0) {
                              const T yv = *y;
                              for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], yv);
                            } else {
                              for (int64_t i = 0; i < n; ++i) o[i * in[0]] = f(x[i * in[1]], y[i * in[2]]);
                            }
                          });
}

template <class T, class F>
void unary_loop(Tensor& out, const Tensor& a, F f) {
  T* po = out.data<T>();
  const T* pa = a.data<T>();
  detail::strided_loop<2>(out.shape(), {out.strides(), a.strides()}, [&](int64_t n, auto offs, auto in) {
    T* o = po + offs[0];
    const T* x = pa + offs[1];
    if (in[0] == 1 && in[1] == 1) {
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * in[0]] = f(x[i * in[1]]);
    }
  });
}

template <class Make>
Tensor binary(const Tensor& a, const Tensor& b, const char* op, Make make) {
  check_same_dtype(a, b, op);
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape(), op), a.dtype());
  dispatch_all(a.dtype(), op, [&]<class T>() { binary_loop<T>(out, a, b, make.template operator()<T>()); });
  return out;
}

template <class Make>
Tensor& binary_inplace(Tensor& a, const Tensor& b, const char* op, Make make) {
  check_same_dtype(a, b, op);
  EMBER_CHECK(a.storage()->writable(), "[", op, "] tensor is read-only");
  const Shape s = broadcast_shapes(a.shape(), b.shape(), op);
  EMBER_CHECK_SHAPE(s == a.shape(), "[", op, "] in-place result of shape ", s, " does not fit destination shape ",
                    a.shape());
  dispatch_all(a.dtype(), op, [&]<class T>() { binary_loop<T>(a, a, b, make.template operator()<T>()); });
  return a;
}

template <class Make>
Tensor unary(const Tensor& a, const char* op, Make make) {
  EMBER_CHECK(a.defined(), "[", op, "] tensor is undefined");
  Tensor out = Tensor::empty(a.shape(), a.dtype());
  dispatch_all(a.dtype(), op, [&]<class T>() { unary_loop<T>(out, a, make.template operator()<T>()); });
  return out;
}

template <class Make>
Tensor unary_floating(const Tensor& a, const char* op, Make make) {
  EMBER_CHECK(a.defined(), "[", op, "] tensor is undefined");
  Tensor out = Tensor::empty(a.shape(), a.dtype());
  dispatch_floating(a.dtype(), op, [&]<class T>() { unary_loop<T>(out, a, make.template operator()<T>()); });
  return out;
}

#define EMBER_BINARY_FN(expr) []<class T>() { return [](T x, T y) -> T { return static_cast<T>(expr); }; }
#define EMBER_UNARY_FN(expr) []<class T>() { return [](T x) -> T { return static_cast<T>(expr); }; }

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) { return binary(a, b, "add", EMBER_BINARY_FN(x + y)); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary(a, b, "sub", EMBER_BINARY_FN(x - y)); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary(a, b, "mul", EMBER_BINARY_FN(x * y)); }
Tensor div(const Tensor& a, const Tensor& b) { return binary(a, b, "div", EMBER_BINARY_FN(x / y)); }
Tensor maximum(const Tensor& a, const Tensor& b) { return binary(a, b, "maximum", EMBER_BINARY_FN(x > y ? x : y)); }
Tensor minimum(const Tensor& a, const Tensor& b) { return binary(a, b, "minimum", EMBER_BINARY_FN(x < y ? x : y)); }
Tensor eq(const Tensor& a, const Tensor& b) { return binary(a, b, "eq", EMBER_BINARY_FN(x == y ? 1 : 0)); }
Tensor gt(const Tensor& a, const Tensor& b) { return binary(a, b, "gt", EMBER_BINARY_FN(x > y ? 1 : 0)); }
Tensor lt(const Tensor& a, const Tensor& b) { return binary(a, b, "lt", EMBER_BINARY_FN(x < y ? 1 : 0)); }

Tensor add(const Tensor& a, double b) { return add(a, Tensor::scalar(b, a.dtype())); }
Tensor sub(const Tensor& a, double b) { return sub(a, Tensor::scalar(b, a.dtype())); }
Tensor mul(const Tensor& a, double b) { return mul(a, Tensor::scalar(b, a.dtype())); }
Tensor div(const Tensor& a, double b) { return div(a, Tensor::scalar(b, a.dtype())); }

Tensor pow(const Tensor& a, double e) {
  return unary_floating(a, "pow", [e]<class T>() { return [e](T x) -> T { return static_cast<T>(std::pow(x, e)); }; });
}

Tensor& add_(Tensor& a, const Tensor& b, double alpha) {
  if (alpha == 1.0) return binary_inplace(a, b, "add_", EMBER_BINARY_FN(x + y));
  return binary_inplace(a, b, "add_", [alpha]<class T>() {
    const T al = static_cast<T>(alpha);
    return [al](T x, T y) -> T { return static_cast<T>(x + al * y); };
  });
}
Tensor& sub_(Tensor& a, const Tensor& b) { return binary_inplace(a, b, "sub_", EMBER_BINARY_FN(x - y)); }
Tensor& mul_(Tensor& a, const Tensor& b) { return binary_inplace(a, b, "mul_", EMBER_BINARY_FN(x * y)); }
Tensor& div_(Tensor& a, const Tensor& b) { return binary_inplace(a, b, "div_", EMBER_BINARY_FN(x / y)); }
Tensor& add_(Tensor& a, double b) { return add_(a, Tensor::scalar(b, a.dtype())); }
Tensor& mul_(Tensor& a, double b) { return mul_(a, Tensor::scalar(b, a.dtype())); }

Tensor neg(const Tensor& a) { return unary(a, "neg", EMBER_UNARY_FN(-x)); }
Tensor abs(const Tensor& a) { return unary(a, "abs", EMBER_UNARY_FN(x < 0 ? -x : x)); }
Tensor square(const Tensor& a) { return unary(a, "square", EMBER_UNARY_FN(x * x)); }
Tensor sign(const Tensor& a) { return unary(a, "sign", EMBER_UNARY_FN((x > 0) - (x < 0))); }
Tensor relu(const Tensor& a) { return unary(a, "relu", EMBER_UNARY_FN(x > 0 ? x : 0)); }
Tensor exp(const Tensor& a) { return unary_floating(a, "exp", EMBER_UNARY_FN(std::exp(x))); }
Tensor log(const Tensor& a) { return unary_floating(a, "log", EMBER_UNARY_FN(std::log(x))); }
Tensor sqrt(const Tensor& a) { return unary_floating(a, "sqrt", EMBER_UNARY_FN(std::sqrt(x))); }
Tensor tanh(const Tensor& a) { return unary_floating(a, "tanh", EMBER_UNARY_FN(std::tanh(x))); }
Tensor sigmoid(const Tensor& a) { return unary_floating(a, "sigmoid", EMBER_UNARY_FN(1 / (1 + std::exp(-x)))); }
Tensor clamp(const Tensor& a, double lo, double hi) {
  EMBER_CHECK(lo <= hi, "[clamp] expected min <= max, got min=", lo, ", max=", hi);
  return unary(a, "clamp", [lo, hi]<class T>() {
    return [lo, hi](T x) -> T { return static_cast<T>(x < lo ? lo : (x > hi ? hi : x)); };
  });
}

#undef EMBER_BINARY_FN
#undef EMBER_UNARY_FN

// ---- reductions ------------------------------------------------------------------------------
namespace {
// Views a contiguous copy of a as [outer, n, inner] around dim and calls f(T* in, outer, n, inner).
Shape reduced_shape(const Shape& s, int64_t dim, bool keepdim) {
  Shape out = s;
  if (keepdim) out[dim] = 1;
  else out.erase(dim);
  return out;
}
void split_dims(const Shape& s, int64_t dim, int64_t& outer, int64_t& n, int64_t& inner) {
  outer = 1;
  inner = 1;
  for (int64_t d = 0; d < dim; ++d) outer *= s[d];
  for (int64_t d = dim + 1; d < s.size(); ++d) inner *= s[d];
  n = s[dim];
}
// Accumulator type: double for float, the type itself otherwise (int64 for small ints).
template <class T> using acc_t = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
}  // namespace

Tensor sum(const Tensor& a, int64_t dim, bool keepdim) {
  EMBER_CHECK(a.defined(), "[sum] tensor is undefined");
  dim = wrap_dim(dim, a.dim(), "sum");
  if (a.dim() == 0) return a.clone();
  const Tensor c = a.contiguous();
  int64_t outer, n, inner;
  split_dims(c.shape(), dim, outer, n, inner);
  Tensor out = Tensor::empty(reduced_shape(c.shape(), dim, keepdim), a.dtype());
  dispatch_all(a.dtype(), "sum", [&]<class T>() {
    const T* p = c.data<T>();
    T* o = out.data<T>();
    parallel_for(0, outer * inner, std::max<int64_t>(1, 16384 / std::max<int64_t>(n, 1)), [&](int64_t lo, int64_t hi) {
      for (int64_t r = lo; r < hi; ++r) {
        const int64_t i = r / inner, j = r % inner;
        acc_t<T> s = 0;
        const T* base = p + i * n * inner + j;
        for (int64_t k = 0; k < n; ++k) s += base[k * inner];
        o[r] = static_cast<T>(s);
      }
    });
  });
  return out;
}

Tensor sum(const Tensor& a) {
  EMBER_CHECK(a.defined(), "[sum] tensor is undefined");
  return Tensor::scalar(sum_all(a), a.dtype());
}

double sum_all(const Tensor& a) {
  EMBER_CHECK(a.defined(), "[sum] tensor is undefined");
  const Tensor c = a.contiguous();
  return dispatch_all(c.dtype(), "sum", [&]<class T>() {
    const T* p = c.data<T>();
    double s = 0;
    for (int64_t i = 0; i < c.numel(); ++i) s += static_cast<double>(p[i]);
    return s;
  });
}

Tensor mean(const Tensor& a) {
  EMBER_CHECK(a.defined() && a.numel() > 0, "[mean] expected a non-empty tensor, got shape ", a.shape());
  return Tensor::scalar(sum_all(a) / static_cast<double>(a.numel()), a.dtype());
}

Tensor mean(const Tensor& a, int64_t dim, bool keepdim) {
  EMBER_CHECK(a.defined(), "[mean] tensor is undefined");
  dispatch_floating(a.dtype(), "mean", [&]<class T>() {});
  const int64_t d = wrap_dim(dim, a.dim(), "mean");
  Tensor s = sum(a, d, keepdim);
  const int64_t n = a.dim() ? a.size(d) : 1;
  mul_(s, 1.0 / static_cast<double>(n));
  return s;
}

namespace {
template <bool kMax>
std::pair<Tensor, Tensor> extreme(const Tensor& a, int64_t dim, bool keepdim, const char* op) {
  EMBER_CHECK(a.defined(), "[", op, "] tensor is undefined");
  dim = wrap_dim(dim, a.dim(), op);
  const Tensor c = a.dim() ? a.contiguous() : a.reshape({1});
  EMBER_CHECK_SHAPE(c.size(dim) > 0, "[", op, "] cannot reduce an empty dimension ", dim, " of shape ", a.shape());
  int64_t outer, n, inner;
  split_dims(c.shape(), dim, outer, n, inner);
  const Shape rs = a.dim() ? reduced_shape(c.shape(), dim, keepdim) : Shape{};
  Tensor vals = Tensor::empty(rs, a.dtype());
  Tensor idx = Tensor::empty(rs, DType::Int64);
  dispatch_all(a.dtype(), op, [&]<class T>() {
    const T* p = c.data<T>();
    T* v = vals.data<T>();
    int64_t* ix = idx.data<int64_t>();
    for (int64_t r = 0; r < outer * inner; ++r) {
      const int64_t i = r / inner, j = r % inner;
      const T* base = p + i * n * inner + j;
      T best = base[0];
      int64_t bi = 0;
      for (int64_t k = 1; k < n; ++k) {
        const T x = base[k * inner];
        // NaN wins, as in NumPy/PyTorch.
        const bool better = kMax ? (x > best) : (x < best);
        if (better || (x != x && best == best)) {
          best = x;
          bi = k;
        }
      }
      v[r] = best;
      ix[r] = bi;
    }
  });
  return {vals, idx};
}
}  // namespace

std::pair<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim) { return extreme<true>(a, dim, keepdim, "max"); }
std::pair<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim) { return extreme<false>(a, dim, keepdim, "min"); }
Tensor argmax(const Tensor& a, int64_t dim, bool keepdim) { return max(a, dim, keepdim).second; }
Tensor max(const Tensor& a) {
  EMBER_CHECK(a.defined() && a.numel() > 0, "[max] expected a non-empty tensor, got shape ", a.shape());
  return extreme<true>(a.reshape({-1}), 0, false, "max").first;
}
Tensor min(const Tensor& a) {
  EMBER_CHECK(a.defined() && a.numel() > 0, "[min] expected a non-empty tensor, got shape ", a.shape());
  return extreme<false>(a.reshape({-1}), 0, false, "min").first;
}

double norm(const Tensor& a) {
  const Tensor c = a.contiguous();
  return dispatch_floating(c.dtype(), "norm", [&]<class T>() {
    const T* p = c.data<T>();
    double s = 0;
    for (int64_t i = 0; i < c.numel(); ++i) s += static_cast<double>(p[i]) * static_cast<double>(p[i]);
    return std::sqrt(s);
  });
}

// ---- linear algebra --------------------------------------------------------------------------
namespace {
// A 2-d operand as BLAS sees it: row-major with leading dimension, possibly transposed.
struct GemmOperand {
  Tensor t;
  bool trans = false;
  int64_t ld = 0;
};
GemmOperand as_gemm_operand(const Tensor& x) {
  const int64_t r = x.size(0), c = x.size(1);
  const int64_t s0 = x.stride(0), s1 = x.stride(1);
  if ((s1 == 1 || c == 1) && s0 >= std::max<int64_t>(c, 1)) return {x, false, s0};
  if ((s0 == 1 || r == 1) && s1 >= std::max<int64_t>(r, 1)) return {x, true, s1};
  Tensor cc = x.contiguous();
  return {cc, false, std::max<int64_t>(c, 1)};
}

template <class T>
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
          int64_t ldb, T beta, T* c, int64_t ldc) {
#ifdef EMBER_USE_OPENBLAS
  if (m == 0 || n == 0) return;
  if constexpr (std::is_same_v<T, float>) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a,
                lda, b, ldb, beta, c, ldc);
    return;
  } else if constexpr (std::is_same_v<T, double>) {
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a,
                lda, b, ldb, beta, c, ldc);
    return;
  }
#endif
  // Reference GEMM (also the integer path).
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      acc_t<T> s = 0;
      for (int64_t p = 0; p < k; ++p) {
        const T av = ta ? a[p * lda + i] : a[i * lda + p];
        const T bv = tb ? b[j * ldb + p] : b[p * ldb + j];
        s += static_cast<acc_t<T>>(av) * static_cast<acc_t<T>>(bv);
      }
      c[i * ldc + j] = static_cast<T>(alpha * static_cast<T>(s) + (beta == T(0) ? T(0) : beta * c[i * ldc + j]));
    }
  }
}
}  // namespace

void addmm_out(Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha) {
  check_same_dtype(a, b, "addmm");
  check_same_dtype(out, a, "addmm");
  EMBER_CHECK_SHAPE(a.dim() == 2 && b.dim() == 2, "[addmm] expected 2-d operands, got shapes ", a.shape(), " and ",
                    b.shape());
  EMBER_CHECK_SHAPE(a.size(1) == b.size(0), "[addmm] inner dimensions differ: first operand ", a.shape(),
                    " has ", a.size(1), " columns, second operand ", b.shape(), " has ", b.size(0), " rows");
  EMBER_CHECK_SHAPE(out.dim() == 2 && out.size(0) == a.size(0) && out.size(1) == b.size(1) && out.is_contiguous(),
                    "[addmm] expected a contiguous output of shape [", a.size(0), ", ", b.size(1), "], got ",
                    out.shape());
  const GemmOperand ga = as_gemm_operand(a), gb = as_gemm_operand(b);
  dispatch_all(a.dtype(), "addmm", [&]<class T>() {
    gemm<T>(ga.trans, gb.trans, a.size(0), b.size(1), a.size(1), static_cast<T>(alpha), ga.t.template data<T>(),
            ga.ld, gb.t.template data<T>(), gb.ld, static_cast<T>(beta), out.data<T>(), std::max<int64_t>(b.size(1), 1));
  });
}

Tensor addmm(const Tensor& c, const Tensor& a, const Tensor& b, double beta, double alpha) {
  EMBER_CHECK_SHAPE(a.dim() == 2 && b.dim() == 2, "[addmm] expected 2-d operands, got shapes ", a.shape(), " and ",
                    b.shape());
  Tensor out = Tensor::empty({a.size(0), b.size(1)}, a.dtype());
  if (beta != 0.0) out.copy_(c.expand(out.shape()));
  addmm_out(out, a, b, beta, alpha);
  return out;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  check_same_dtype(a, b, "matmul");
  if (a.dim() == 1 && b.dim() == 1) {
    EMBER_CHECK_SHAPE(a.size(0) == b.size(0), "[matmul] vectors of different lengths ", a.shape(), " and ",
                      b.shape());
    return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape({});
  }
  if (a.dim() == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
  if (b.dim() == 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
  EMBER_CHECK_SHAPE(a.size(-1) == b.size(-2), "[matmul] last dimension of first input with shape ", a.shape(),
                    " must match second to last dimension of second input with shape ", b.shape());
  if (a.dim() == 2 && b.dim() == 2) {
    Tensor out = Tensor::empty({a.size(0), b.size(1)}, a.dtype());
    addmm_out(out, a, b, 0.0, 1.0);
    return out;
  }
  EMBER_CHECK_SHAPE(a.dim() == 3 && b.dim() == 3 && a.size(0) == b.size(0),
                    "[matmul] batched matmul expects [b, n, k] @ [b, k, m] with equal b, got ", a.shape(), " and ",
                    b.shape());
  Tensor out = Tensor::empty({a.size(0), a.size(1), b.size(2)}, a.dtype());
  for (int64_t i = 0; i < a.size(0); ++i) {
    Tensor o = out.select(0, i);
    addmm_out(o, a.select(0, i), b.select(0, i), 0.0, 1.0);
  }
  return out;
}

// ---- joining ---------------------------------------------------------------------------------
Tensor cat(const std::vector<Tensor>& ts, int64_t dim) {
  EMBER_CHECK(!ts.empty(), "[cat] expected a non-empty list of tensors");
  const Tensor& f = ts[0];
  dim = wrap_dim(dim, f.dim(), "cat");
  Shape s = f.shape();
  int64_t total = 0;
  for (size_t i = 0; i < ts.size(); ++i) {
    check_same_dtype(f, ts[i], "cat");
    EMBER_CHECK_SHAPE(ts[i].dim() == f.dim(), "[cat] tensor ", i, " has ", ts[i].dim(), " dims, expected ", f.dim(),
                      " like tensor 0 (shapes ", f.shape(), " and ", ts[i].shape(), ")");
    for (int64_t d = 0; d < f.dim(); ++d)
      EMBER_CHECK_SHAPE(d == dim || ts[i].size(d) == f.size(d), "[cat] sizes must match except in dimension ", dim,
                        ": tensor 0 has shape ", f.shape(), ", tensor ", i, " has shape ", ts[i].shape());
    total += ts[i].size(dim);
  }
  s[dim] = total;
  Tensor out = Tensor::empty(s, f.dtype());
  int64_t at = 0;
  for (const Tensor& t : ts) {
    out.narrow(dim, at, t.size(dim)).copy_(t);
    at += t.size(dim);
  }
  return out;
}

Tensor stack(const std::vector<Tensor>& ts, int64_t dim) {
  EMBER_CHECK(!ts.empty(), "[stack] expected a non-empty list of tensors");
  std::vector<Tensor> u;
  u.reserve(ts.size());
  const int64_t d = wrap_dim(dim, ts[0].dim() + 1, "stack");
  for (size_t i = 0; i < ts.size(); ++i) {
    EMBER_CHECK_SHAPE(ts[i].shape() == ts[0].shape(), "[stack] expected all tensors of shape ", ts[0].shape(),
                      ", got ", ts[i].shape(), " at position ", i);
    u.push_back(ts[i].unsqueeze(d));
  }
  return cat(u, d);
}

Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index) {
  EMBER_CHECK_TYPE(index.dtype() == DType::Int64 || index.dtype() == DType::Int32,
                   "[index_select] index dtype: expected int64 or int32, got ", index.dtype());
  EMBER_CHECK_SHAPE(index.dim() == 1, "[index_select] expected a 1-d index, got shape ", index.shape());
  dim = wrap_dim(dim, a.dim(), "index_select");
  Shape s = a.shape();
  s[dim] = index.numel();
  Tensor out = Tensor::empty(s, a.dtype());
  const std::vector<double> idx = index.to_vector();
  for (int64_t i = 0; i < index.numel(); ++i) {
    const int64_t k = static_cast<int64_t>(idx[i]);
    EMBER_CHECK_INDEX(k >= 0 && k < a.size(dim), "[index_select] index ", k, " at position ", i,
                      " out of range for dimension ", dim, " of size ", a.size(dim));
    out.select(dim, i).copy_(a.select(dim, k));
  }
  return out;
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol) {
  EMBER_CHECK_SHAPE(a.shape() == b.shape(), "[allclose] shapes differ: ", a.shape(), " and ", b.shape());
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  for (size_t i = 0; i < x.size(); ++i)
    if (!(std::abs(x[i] - y[i]) <= atol + rtol * std::abs(y[i]))) return false;
  return true;
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  EMBER_CHECK_SHAPE(a.shape() == b.shape(), "[max_abs_diff] shapes differ: ", a.shape(), " and ", b.shape());
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  double m = 0;
  for (size_t i = 0; i < x.size(); ++i) m = std::max(m, std::abs(x[i] - y[i]));
  return m;
}

}  // namespace ember
