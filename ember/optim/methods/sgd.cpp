#include "ember/optim/methods/sgd.h"

#include "ember/optim/methods/method_util.h"

namespace ember::optim {

SGD::SGD(SGDOptions options) : options_(options) {
  const auto& o = options_;
  EMBER_CHECK(o.learning_rate >= 0, "[", kTypeName, "] learning_rate must be >= 0, got ", o.learning_rate);
  EMBER_CHECK(o.learning_rate_decay >= 0, "[", kTypeName, "] learning_rate_decay must be >= 0, got ",
              o.learning_rate_decay);
  EMBER_CHECK(o.weight_decay >= 0, "[", kTypeName, "] weight_decay must be >= 0, got ", o.weight_decay);
  EMBER_CHECK(o.momentum >= 0, "[", kTypeName, "] momentum must be >= 0, got ", o.momentum);
  EMBER_CHECK(!o.nesterov || (o.momentum > 0 && o.dampening == 0), "[", kTypeName,
              "] nesterov needs momentum > 0 and dampening = 0, got momentum=", o.momentum,
              ", dampening=", o.dampening);
}

std::unique_ptr<OptimMethod> SGD::clone() const {
  auto m = std::make_unique<SGD>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double SGD::step(const Feval& feval, Tensor& weights, double lr) {
  detail::check_weights(kTypeName, weights);
  auto [loss, grad] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad);
  const bool first =
      options_.momentum != 0 && detail::ensure_buffer(kTypeName, "momentum_buffer", momentum_buffer_, weights, 0.0);
  dispatch_floating(weights.dtype(), kTypeName, [&]<class T>() {
    T* w = weights.data<T>();
    const T* g = grad.data<T>();
    const T a = static_cast<T>(lr), wd = static_cast<T>(options_.weight_decay);
    const T mom = static_cast<T>(options_.momentum), keep = static_cast<T>(1 - options_.dampening);
    if (options_.momentum == 0) {
      detail::for_chunks(weights.numel(), [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) w[i] -= a * (g[i] + wd * w[i]);
      });
      return;
    }
    T* buf = momentum_buffer_.data<T>();
    const bool nesterov = options_.nesterov;
    detail::for_chunks(weights.numel(), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T d = g[i] + wd * w[i];
        buf[i] = first ? d : mom * buf[i] + keep * d;  // PyTorch starts the buffer at d, undamped
        w[i] -= a * (nesterov ? d + mom * buf[i] : buf[i]);
      }
    });
  });
  return loss;
}

void SGD::save_buffers(StateDict& state) const { detail::save_buffer(state, "momentum_buffer", momentum_buffer_); }

void SGD::load_buffers(const StateDict& state) {
  const bool required = options_.momentum != 0 && detail::has_stepped(state);
  momentum_buffer_ = detail::load_buffer(kTypeName, state, "momentum_buffer", required);
}

}  // namespace ember::optim
