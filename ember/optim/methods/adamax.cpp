#include "ember/optim/methods/adamax.h"

#include <cmath>

#include "ember/optim/methods/adam.h"
#include "ember/optim/methods/method_util.h"

namespace ember::optim {

Adamax::Adamax(AdamaxOptions options) : options_(std::move(options)) {
  detail::check_adam_options(kTypeName, options_.learning_rate, options_.betas, options_.eps, options_.weight_decay);
}

std::unique_ptr<OptimMethod> Adamax::clone() const {
  auto m = std::make_unique<Adamax>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double Adamax::step(const Feval& feval, Tensor& weights, double lr) {
  detail::check_weights(kTypeName, weights);
  auto [loss, grad] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad);
  detail::ensure_buffer(kTypeName, "exp_avg", exp_avg_, weights, 0.0);
  detail::ensure_buffer(kTypeName, "exp_inf", exp_inf_, weights, 0.0);
  const double clr = lr / (1 - std::pow(options_.betas[0], static_cast<double>(iteration() + 1)));
  dispatch_floating(weights.dtype(), kTypeName, [&]<class T>() {
    T* w = weights.data<T>();
    const T* g = grad.data<T>();
    T* m = exp_avg_.data<T>();
    T* u = exp_inf_.data<T>();
    const T b1 = static_cast<T>(options_.betas[0]), b2 = static_cast<T>(options_.betas[1]);
    const T one_b1 = static_cast<T>(1 - options_.betas[0]), eps = static_cast<T>(options_.eps);
    const T wd = static_cast<T>(options_.weight_decay), c = static_cast<T>(clr);
    detail::for_chunks(weights.numel(), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T gi = g[i] + wd * w[i];
        m[i] = b1 * m[i] + one_b1 * gi;
        const T decayed = b2 * u[i], fresh = std::abs(gi) + eps;
        u[i] = decayed > fresh ? decayed : fresh;
        w[i] -= c * (m[i] / u[i]);
      }
    });
  });
  return loss;
}

void Adamax::save_buffers(StateDict& state) const {
  detail::save_buffer(state, "exp_avg", exp_avg_);
  detail::save_buffer(state, "exp_inf", exp_inf_);
}

void Adamax::load_buffers(const StateDict& state) {
  const bool stepped = detail::has_stepped(state);
  Tensor m = detail::load_buffer(kTypeName, state, "exp_avg", stepped);
  Tensor u = detail::load_buffer(kTypeName, state, "exp_inf", stepped);
  exp_avg_ = m;
  exp_inf_ = u;
}

}  // namespace ember::optim
