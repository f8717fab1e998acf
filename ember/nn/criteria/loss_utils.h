#pragma once
/// Internals shared by the criteria: target validation and element-wise loss loops.
/// Not a public API (namespace ember::nn::detail).

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ember/nn/activity.h"
#include "ember/tensor/tensor.h"

namespace ember::nn::detail {

/// Throws TypeError unless `input` is a defined float32 or float64 tensor.
void check_float_input(const Tensor& input, const char* what = "input");

/// Checks that input and target are defined, the input is float32 or float64, and the target has the
/// input's shape (ShapeError naming both) and dtype (TypeError with a hint).
void check_regression_target(const Tensor& input, const Tensor& target);

/// Checks an optional per-feature vector (`name` = "weights", "pos_weight"): empty, or one entry per
/// element of the input's last dimension.
void check_feature_vector(const Tensor& input, const std::vector<double>& v, const char* name);

/// Reads any numeric tensor into `out` (row-major, as double) without allocating in the steady state.
void read_values(const Tensor& t, std::vector<double>& out);

/// Throws ValueError unless `value` (element `index` of the target) is 1 or -1.
void check_plus_minus_one(double value, int64_t index);

/// 1/n for size_average (0 for an empty input), else 1.
inline double average_scale(bool size_average, int64_t n) {
  if (!size_average) return 1.0;
  return n > 0 ? 1.0 / static_cast<double>(n) : 0.0;
}

/// log(1 + exp(x)) without overflow.
inline double softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }
/// 1 / (1 + exp(-x)) without overflow.
inline double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

/// Sum over i of f(x[i], y[i], i) for same-shaped float tensors (contiguous copies only when the
/// layout needs them); the sum is accumulated in double.
template <class F>
double sum_elementwise(const Tensor& input, const Tensor& target, F&& f) {
  const Tensor x = input.contiguous(), y = target.contiguous();
  double s = 0;
  dispatch_floating(x.dtype(), "criterion", [&]<class T>() {
    const T* px = x.data<T>();
    const T* py = y.data<T>();
    const int64_t n = x.numel();
    for (int64_t i = 0; i < n; ++i) s += f(static_cast<double>(px[i]), static_cast<double>(py[i]), i);
  });
  return s;
}

/// grad[i] = scale * g(x[i], y[i], i), written into `grad` resized to the input's shape.
template <class G>
void fill_elementwise_grad(Tensor& grad, const Tensor& input, const Tensor& target, double scale, G&& g) {
  const Tensor x = input.contiguous(), y = target.contiguous();
  grad.resize_(input.shape(), input.dtype());
  dispatch_floating(x.dtype(), "criterion", [&]<class T>() {
    const T* px = x.data<T>();
    const T* py = y.data<T>();
    T* pg = grad.data<T>();
    const int64_t n = x.numel();
    for (int64_t i = 0; i < n; ++i)
      pg[i] = static_cast<T>(scale * g(static_cast<double>(px[i]), static_cast<double>(py[i]), i));
  });
}

/// Runs f() for the child criterion at `index` of a composite criterion, prefixing the index to
/// the path of any Ember error (`[nn.MSECriterion '1'] ...`).
template <class F>
decltype(auto) in_child(size_t index, F&& f) {
  try {
    return f();
  } catch (ErrorContext& e) {
    e.prepend_path(std::to_string(index));
    throw;
  }
}

/// dst = w * src, reusing dst's tensor buffers when the structure matches (Tensor or nested Table).
void assign_scaled(Activity& dst, const Activity& src, double w);
/// dst += w * src for activities of the same structure and shapes.
void add_scaled(Activity& dst, const Activity& src, double w);

}  // namespace ember::nn::detail
