#include "ember/optim/methods/rmsprop.h"

#include <cmath>

#include "ember/optim/methods/method_util.h"

namespace ember::optim {

RMSprop::RMSprop(RMSpropOptions options) : options_(options) {
  const auto& o = options_;
  EMBER_CHECK(o.learning_rate >= 0, "[", kTypeName, "] learning_rate must be >= 0, got ", o.learning_rate);
  EMBER_CHECK(o.alpha >= 0, "[", kTypeName, "] alpha must be >= 0, got ", o.alpha);
  EMBER_CHECK(o.eps >= 0, "[", kTypeName, "] eps must be >= 0, got ", o.eps);
  EMBER_CHECK(o.weight_decay >= 0, "[", kTypeName, "] weight_decay must be >= 0, got ", o.weight_decay);
  EMBER_CHECK(o.momentum >= 0, "[", kTypeName, "] momentum must be >= 0, got ", o.momentum);
  EMBER_CHECK(o.learning_rate_decay >= 0, "[", kTypeName, "] learning_rate_decay must be >= 0, got ",
              o.learning_rate_decay);
}

std::unique_ptr<OptimMethod> RMSprop::clone() const {
  auto m = std::make_unique<RMSprop>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double RMSprop::step(const Feval& feval, Tensor& weights, double lr) {
  detail::check_weights(kTypeName, weights);
  auto [loss, grad] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad);
  const bool centered = options_.centered, with_momentum = options_.momentum > 0;
  detail::ensure_buffer(kTypeName, "square_avg", square_avg_, weights, 0.0);
  if (centered) detail::ensure_buffer(kTypeName, "grad_avg", grad_avg_, weights, 0.0);
  if (with_momentum) detail::ensure_buffer(kTypeName, "momentum_buffer", momentum_buffer_, weights, 0.0);
  dispatch_floating(weights.dtype(), kTypeName, [&]<class T>() {
    T* w = weights.data<T>();
    const T* g = grad.data<T>();
    T* sq = square_avg_.data<T>();
    T* ga = centered ? grad_avg_.data<T>() : nullptr;
    T* buf = with_momentum ? momentum_buffer_.data<T>() : nullptr;
    const T a = static_cast<T>(lr), alpha = static_cast<T>(options_.alpha);
    const T one_alpha = static_cast<T>(1 - options_.alpha), eps = static_cast<T>(options_.eps);
    const T wd = static_cast<T>(options_.weight_decay), mom = static_cast<T>(options_.momentum);
    detail::for_chunks(weights.numel(), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T gi = g[i] + wd * w[i];
        sq[i] = alpha * sq[i] + one_alpha * gi * gi;
        T avg;
        if (centered) {
          ga[i] = alpha * ga[i] + one_alpha * gi;
          avg = std::sqrt(sq[i] - ga[i] * ga[i]) + eps;
        } else {
          avg = std::sqrt(sq[i]) + eps;
        }
        if (with_momentum) {
          buf[i] = mom * buf[i] + gi / avg;
          w[i] -= a * buf[i];
        } else {
          w[i] -= a * (gi / avg);
        }
      }
    });
  });
  return loss;
}

void RMSprop::save_buffers(StateDict& state) const {
  detail::save_buffer(state, "square_avg", square_avg_);
  detail::save_buffer(state, "grad_avg", grad_avg_);
  detail::save_buffer(state, "momentum_buffer", momentum_buffer_);
}

void RMSprop::load_buffers(const StateDict& state) {
  const bool stepped = detail::has_stepped(state);
  Tensor sq = detail::load_buffer(kTypeName, state, "square_avg", stepped);
  Tensor ga = detail::load_buffer(kTypeName, state, "grad_avg", stepped && options_.centered);
  Tensor buf = detail::load_buffer(kTypeName, state, "momentum_buffer", stepped && options_.momentum > 0);
  square_avg_ = sq;
  grad_avg_ = ga;
  momentum_buffer_ = buf;
}

}  // namespace ember::optim
