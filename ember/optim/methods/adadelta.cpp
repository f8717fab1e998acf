#include "ember/optim/methods/adadelta.h"

#include <cmath>

#include "ember/optim/methods/method_util.h"

namespace ember::optim {

Adadelta::Adadelta(AdadeltaOptions options) : options_(options) {
  const auto& o = options_;
  EMBER_CHECK(o.learning_rate >= 0, "[", kTypeName, "] learning_rate must be >= 0, got ", o.learning_rate);
  EMBER_CHECK(o.rho >= 0 && o.rho <= 1, "[", kTypeName, "] rho must be in [0, 1], got ", o.rho);
  EMBER_CHECK(o.eps >= 0, "[", kTypeName, "] eps must be >= 0, got ", o.eps);
  EMBER_CHECK(o.weight_decay >= 0, "[", kTypeName, "] weight_decay must be >= 0, got ", o.weight_decay);
}

std::unique_ptr<OptimMethod> Adadelta::clone() const {
  auto m = std::make_unique<Adadelta>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double Adadelta::step(const Feval& feval, Tensor& weights, double lr) {
  detail::check_weights(kTypeName, weights);
  auto [loss, grad] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad);
  detail::ensure_buffer(kTypeName, "square_avg", square_avg_, weights, 0.0);
  detail::ensure_buffer(kTypeName, "acc_delta", acc_delta_, weights, 0.0);
  dispatch_floating(weights.dtype(), kTypeName, [&]<class T>() {
    T* w = weights.data<T>();
    const T* g = grad.data<T>();
    T* sq = square_avg_.data<T>();
    T* acc = acc_delta_.data<T>();
    const T a = static_cast<T>(lr), rho = static_cast<T>(options_.rho), one_rho = static_cast<T>(1 - options_.rho);
    const T eps = static_cast<T>(options_.eps), wd = static_cast<T>(options_.weight_decay);
    detail::for_chunks(weights.numel(), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T gi = g[i] + wd * w[i];
        sq[i] = rho * sq[i] + one_rho * gi * gi;
        const T delta = std::sqrt(acc[i] + eps) / std::sqrt(sq[i] + eps) * gi;
        acc[i] = rho * acc[i] + one_rho * delta * delta;
        w[i] -= a * delta;
      }
    });
  });
  return loss;
}

void Adadelta::save_buffers(StateDict& state) const {
  detail::save_buffer(state, "square_avg", square_avg_);
  detail::save_buffer(state, "acc_delta", acc_delta_);
}

void Adadelta::load_buffers(const StateDict& state) {
  const bool stepped = detail::has_stepped(state);
  Tensor sq = detail::load_buffer(kTypeName, state, "square_avg", stepped);
  Tensor acc = detail::load_buffer(kTypeName, state, "acc_delta", stepped);
  square_avg_ = sq;
  acc_delta_ = acc;
}

}  // namespace ember::optim
