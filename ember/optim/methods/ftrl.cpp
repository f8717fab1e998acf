#include "ember/optim/methods/ftrl.h"

#include <cmath>

#include "ember/optim/methods/method_util.h"

namespace ember::optim {

Ftrl::Ftrl(FtrlOptions options) : options_(options) {
  const auto& o = options_;
  EMBER_CHECK(o.learning_rate > 0, "[", kTypeName, "] learning_rate must be > 0, got ", o.learning_rate);
  EMBER_CHECK(o.learning_rate_power <= 0, "[", kTypeName, "] learning_rate_power must be <= 0, got ",
              o.learning_rate_power);
  EMBER_CHECK(o.initial_accumulator_value >= 0, "[", kTypeName, "] initial_accumulator_value must be >= 0, got ",
              o.initial_accumulator_value);
  EMBER_CHECK(o.l1_regularization_strength >= 0, "[", kTypeName, "] l1_regularization_strength must be >= 0, got ",
              o.l1_regularization_strength);
  EMBER_CHECK(o.l2_regularization_strength >= 0, "[", kTypeName, "] l2_regularization_strength must be >= 0, got ",
              o.l2_regularization_strength);
  EMBER_CHECK(o.l2_shrinkage_regularization_strength >= 0, "[", kTypeName,
              "] l2_shrinkage_regularization_strength must be >= 0, got ", o.l2_shrinkage_regularization_strength);
}

std::unique_ptr<OptimMethod> Ftrl::clone() const {
  auto m = std::make_unique<Ftrl>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double Ftrl::step(const Feval& feval, Tensor& weights, double lr) {
  // The update divides by the rate; a schedule that reaches 0 (Poly) would give inf weights.
  EMBER_CHECK(lr > 0, "[", kTypeName, "] the learning rate must be > 0, got ", lr, " at iteration ", iteration());
  detail::check_weights(kTypeName, weights);
  auto [loss, grad] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad);
  detail::ensure_buffer(kTypeName, "accum", accum_, weights, options_.initial_accumulator_value);
  detail::ensure_buffer(kTypeName, "linear", linear_, weights, 0.0);
  dispatch_floating(weights.dtype(), kTypeName, [&]<class T>() {
    T* w = weights.data<T>();
    const T* g = grad.data<T>();
    T* accum = accum_.data<T>();
    T* linear = linear_.data<T>();
    const double p = -options_.learning_rate_power;
    const bool sqrt_power = p == 0.5;  // the default: sqrt is exact and much cheaper than pow
    const T inv_lr = static_cast<T>(1.0 / lr), l1 = static_cast<T>(options_.l1_regularization_strength);
    const T two_l2 = static_cast<T>(2 * options_.l2_regularization_strength);
    const T two_shrink = static_cast<T>(2 * options_.l2_shrinkage_regularization_strength);
    const T tp = static_cast<T>(p);
    detail::for_chunks(weights.numel(), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T gs = g[i] + two_shrink * w[i];
        const T accum_new = accum[i] + gs * gs;
        const T old_pow = sqrt_power ? std::sqrt(accum[i]) : std::pow(accum[i], tp);
        const T new_pow = sqrt_power ? std::sqrt(accum_new) : std::pow(accum_new, tp);
        // BigDL's order: linear += g'; += accum^p / lr * w; -= accum_new^p / lr * w.
        T lin = linear[i] + gs;
        lin += inv_lr * old_pow * w[i];
        lin -= inv_lr * new_pow * w[i];
        linear[i] = lin;
        const T quadratic = two_l2 + inv_lr * new_pow;
        if (std::abs(lin) > l1) {
          const T signed_l1 = lin > 0 ? l1 : (lin < 0 ? -l1 : T(0));
          w[i] = (signed_l1 - lin) / quadratic;
        } else {
          w[i] = 0;
        }
        accum[i] = accum_new;
      }
    });
  });
  return loss;
}

void Ftrl::save_buffers(StateDict& state) const {
  detail::save_buffer(state, "accum", accum_);
  detail::save_buffer(state, "linear", linear_);
}

void Ftrl::load_buffers(const StateDict& state) {
  const bool stepped = detail::has_stepped(state);
  Tensor accum = detail::load_buffer(kTypeName, state, "accum", stepped);
  Tensor linear = detail::load_buffer(kTypeName, state, "linear", stepped);
  accum_ = accum;
  linear_ = linear;
}

}  // namespace ember::optim
