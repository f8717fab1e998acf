#include "ember/optim/methods/method_util.h"

#include <array>
#include <cmath>

#include "ember/core/error.h"

namespace ember::optim::detail {

void check_weights(std::string_view where, const Tensor& weights) {
  EMBER_CHECK(weights.defined(), "[", where, "] weights are undefined. Hint: pass the flat weights of "
              "model.get_parameters()");
  EMBER_CHECK_TYPE(weights.dtype() == DType::Float32 || weights.dtype() == DType::Float64, "[", where,
                   "] weights must be float32 or float64, got ", weights.dtype());
  EMBER_CHECK(weights.is_contiguous(), "[", where, "] weights must be contiguous (shape ", weights.shape(),
              ", strides ", weights.strides(), "). Hint: pass the flat weights of model.get_parameters()");
  EMBER_CHECK(weights.storage()->writable(), "[", where, "] weights are read-only");
}

void check_gradient(std::string_view where, const Tensor& weights, const Tensor& grad) {
  EMBER_CHECK(grad.defined(), "[", where, "] feval returned an undefined gradient");
  EMBER_CHECK_TYPE(grad.dtype() == weights.dtype(), "[", where, "] gradient dtype ", grad.dtype(),
                   " does not match the weights: expected ", weights.dtype());
  EMBER_CHECK_SHAPE(grad.shape() == weights.shape(), "[", where, "] gradient shape ", grad.shape(),
                    " does not match the weights: expected ", weights.shape());
  EMBER_CHECK(grad.is_contiguous(), "[", where, "] gradient must be contiguous (strides ", grad.strides(), ")");
}

bool ensure_buffer(std::string_view where, const char* name, Tensor& buffer, const Tensor& weights, double fill) {
  if (!buffer.defined()) {
    buffer = Tensor::full(weights.shape(), fill, weights.dtype());
    return true;
  }
  EMBER_CHECK(buffer.shape() == weights.shape(), "[", where, "] state '", name, "' was built for weights of shape ",
              buffer.shape(), ", got weights of shape ", weights.shape(),
              ". Hint: an optim method belongs to one model; use clone() for another");
  EMBER_CHECK_TYPE(buffer.dtype() == weights.dtype(), "[", where, "] state '", name, "' is ", buffer.dtype(),
                   ", got ", weights.dtype(), " weights");
  return false;
}

void save_buffer(StateDict& state, const char* name, const Tensor& buffer) {
  if (buffer.defined()) state.set(name, buffer.clone());
}

Tensor load_buffer(std::string_view where, const StateDict& state, const char* name, bool required) {
  if (!state.contains(name)) {
    EMBER_CHECK(!required, "[", where, ".load_state_dict] state '", name,
                "' is missing: the state was saved after ", state.integer("iteration"),
                " steps, which create it");
    return Tensor();
  }
  const Tensor& t = state.tensor(name);
  EMBER_CHECK_TYPE(t.dtype() == DType::Float32 || t.dtype() == DType::Float64, "[", where,
                   ".load_state_dict] state '", name, "' must be float32 or float64, got ", t.dtype());
  return t.contiguous().clone();
}

bool has_stepped(const StateDict& state) { return state.contains("iteration") && state.integer("iteration") > 0; }

namespace {
constexpr int64_t kBlock = int64_t{1} << 14;
constexpr int64_t kMaxBlocks = 256;

// Sums f(i) over [0, n) in double: fixed blocks summed in order, so the result is the same for
// every thread count (exact resume and reproducible runs depend on it).
template <class F>
double blocked_sum(int64_t n, const F& f) {
  if (n <= 0) return 0.0;
  const int64_t block = std::max(kBlock, (n + kMaxBlocks - 1) / kMaxBlocks);
  const int64_t blocks = (n + block - 1) / block;
  std::array<double, kMaxBlocks> partial{};
  parallel_for(0, blocks, 1, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t lo = b * block, hi = std::min(n, lo + block);
      double s = 0;
      for (int64_t i = lo; i < hi; ++i) s += f(i);
      partial[b] = s;
    }
  });
  double total = 0;
  for (int64_t b = 0; b < blocks; ++b) total += partial[b];
  return total;
}
}  // namespace

double dot(const Tensor& a, const Tensor& b) {
  return dispatch_floating(a.dtype(), "optim.dot", [&]<class T>() {
    const T* x = a.data<T>();
    const T* y = b.data<T>();
    return blocked_sum(a.numel(), [&](int64_t i) { return static_cast<double>(x[i]) * static_cast<double>(y[i]); });
  });
}

double max_abs(const Tensor& a) {
  return dispatch_floating(a.dtype(), "optim.max_abs", [&]<class T>() {
    const T* x = a.data<T>();
    double m = 0;
    for (int64_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(static_cast<double>(x[i])));
    return m;
  });
}

double sum_abs(const Tensor& a) {
  return dispatch_floating(a.dtype(), "optim.sum_abs", [&]<class T>() {
    const T* x = a.data<T>();
    return blocked_sum(a.numel(), [&](int64_t i) { return std::abs(static_cast<double>(x[i])); });
  });
}

void axpy(Tensor& y, double alpha, const Tensor& x) {
  dispatch_floating(y.dtype(), "optim.axpy", [&]<class T>() {
    T* py = y.data<T>();
    const T* px = x.data<T>();
    const T a = static_cast<T>(alpha);
    for_chunks(y.numel(), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) py[i] += a * px[i];
    });
  });
}

}  // namespace ember::optim::detail
