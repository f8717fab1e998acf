#pragma once
/// The Adam/AdamW update shared by both classes (PyTorch's _single_tensor_adam/_adamw).

#include <cmath>
#include <string_view>

#include "ember/optim/methods/method_util.h"
#include "ember/optim/optim_method.h"

namespace ember::optim::detail {

struct AdamStep {
  double lr, beta1, beta2, eps, weight_decay;
  bool amsgrad;
  bool decoupled;  // AdamW: w *= 1 - lr * weight_decay before the update; Adam: g += weight_decay * w
  int64_t step;    // 1-based
};

/// One Adam/AdamW step over contiguous buffers of the same dtype and size.
inline void adam_update(const AdamStep& s, Tensor& weights, const Tensor& grad, Tensor& exp_avg,
                        Tensor& exp_avg_sq, Tensor& max_exp_avg_sq, std::string_view where) {
  const double bias1 = 1 - std::pow(s.beta1, static_cast<double>(s.step));
  const double bias2 = 1 - std::pow(s.beta2, static_cast<double>(s.step));
  const double step_size = s.lr / bias1;
  const double bias2_sqrt = std::sqrt(bias2);
  dispatch_floating(weights.dtype(), where, [&]<class T>() {
    T* w = weights.data<T>();
    const T* g = grad.data<T>();
    T* m = exp_avg.data<T>();
    T* v = exp_avg_sq.data<T>();
    T* vmax = s.amsgrad ? max_exp_avg_sq.data<T>() : nullptr;
    const T b1 = static_cast<T>(s.beta1), b2 = static_cast<T>(s.beta2);
    const T one_b1 = static_cast<T>(1 - s.beta1), one_b2 = static_cast<T>(1 - s.beta2);
    const T eps = static_cast<T>(s.eps), wd = static_cast<T>(s.weight_decay);
    const T shrink = static_cast<T>(1 - s.lr * s.weight_decay);
    const T c2 = static_cast<T>(bias2_sqrt), ss = static_cast<T>(step_size);
    const bool decoupled = s.decoupled, ams = s.amsgrad;
    for_chunks(weights.numel(), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        T gi = g[i];
        if (decoupled) w[i] *= shrink;
        else gi += wd * w[i];
        m[i] = b1 * m[i] + one_b1 * gi;
        v[i] = b2 * v[i] + one_b2 * gi * gi;
        T second = v[i];
        if (ams) {
          vmax[i] = vmax[i] > v[i] ? vmax[i] : v[i];
          second = vmax[i];
        }
        const T denom = std::sqrt(second) / c2 + eps;
        w[i] -= ss * (m[i] / denom);
      }
    });
  });
}

/// The moment buffers of Adam and AdamW with the step, save and load both classes share.
struct AdamMoments {
  Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;

  /// Evaluates feval, updates weights and moments with `s` (its step counter 1-based), returns the loss.
  double step(std::string_view type, const Feval& feval, Tensor& weights, const AdamStep& s) {
    check_weights(type, weights);
    auto [loss, grad] = feval(weights);
    check_gradient(type, weights, grad);
    ensure_buffer(type, "exp_avg", exp_avg, weights, 0.0);
    ensure_buffer(type, "exp_avg_sq", exp_avg_sq, weights, 0.0);
    if (s.amsgrad) ensure_buffer(type, "max_exp_avg_sq", max_exp_avg_sq, weights, 0.0);
    adam_update(s, weights, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, type);
    return loss;
  }
  void save(StateDict& state) const {
    save_buffer(state, "exp_avg", exp_avg);
    save_buffer(state, "exp_avg_sq", exp_avg_sq);
    save_buffer(state, "max_exp_avg_sq", max_exp_avg_sq);
  }
  void load(std::string_view type, const StateDict& state, bool amsgrad) {
    const bool stepped = has_stepped(state);
    // Load all three before assigning any, so a bad state leaves the moments untouched.
    Tensor m = load_buffer(type, state, "exp_avg", stepped);
    Tensor v = load_buffer(type, state, "exp_avg_sq", stepped);
    Tensor vmax = load_buffer(type, state, "max_exp_avg_sq", stepped && amsgrad);
    exp_avg = m;
    exp_avg_sq = v;
    max_exp_avg_sq = vmax;
  }
};

}  // namespace ember::optim::detail
