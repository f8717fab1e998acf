#include "ember/optim/methods/adagrad.h"

#include <cmath>

#include "ember/optim/methods/method_util.h"

namespace ember::optim {

Adagrad::Adagrad(AdagradOptions options) : options_(options) {
  const auto& o = options_;
  EMBER_CHECK(o.learning_rate >= 0, "[", kTypeName, "] learning_rate must be >= 0, got ", o.learning_rate);
  EMBER_CHECK(o.learning_rate_decay >= 0, "[", kTypeName, "] learning_rate_decay must be >= 0, got ",
              o.learning_rate_decay);
  EMBER_CHECK(o.weight_decay >= 0, "[", kTypeName, "] weight_decay must be >= 0, got ", o.weight_decay);
  EMBER_CHECK(o.initial_accumulator_value >= 0, "[", kTypeName, "] initial_accumulator_value must be >= 0, got ",
              o.initial_accumulator_value);
  EMBER_CHECK(o.eps >= 0, "[", kTypeName, "] eps must be >= 0, got ", o.eps);
}

std::unique_ptr<OptimMethod> Adagrad::clone() const {
  auto m = std::make_unique<Adagrad>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double Adagrad::step(const Feval& feval, Tensor& weights, double lr) {
  detail::check_weights(kTypeName, weights);
  auto [loss, grad] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad);
  detail::ensure_buffer(kTypeName, "sum", sum_, weights, options_.initial_accumulator_value);
  dispatch_floating(weights.dtype(), kTypeName, [&]<class T>() {
    T* w = weights.data<T>();
    const T* g = grad.data<T>();
    T* sum = sum_.data<T>();
    const T a = static_cast<T>(lr), wd = static_cast<T>(options_.weight_decay), eps = static_cast<T>(options_.eps);
    detail::for_chunks(weights.numel(), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T gi = g[i] + wd * w[i];
        sum[i] += gi * gi;
        w[i] -= a * (gi / (std::sqrt(sum[i]) + eps));
      }
    });
  });
  return loss;
}

void Adagrad::save_buffers(StateDict& state) const { detail::save_buffer(state, "sum", sum_); }

void Adagrad::load_buffers(const StateDict& state) {
  sum_ = detail::load_buffer(kTypeName, state, "sum", detail::has_stepped(state));
}

}  // namespace ember::optim
