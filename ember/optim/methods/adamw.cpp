#include "ember/optim/methods/adamw.h"

#include "ember/optim/methods/adam.h"
#include "ember/optim/methods/adam_kernel.h"

namespace ember::optim {

AdamW::AdamW(AdamWOptions options) : options_(std::move(options)) {
  detail::check_adam_options(kTypeName, options_.learning_rate, options_.betas, options_.eps, options_.weight_decay);
}

std::unique_ptr<OptimMethod> AdamW::clone() const {
  auto m = std::make_unique<AdamW>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double AdamW::step(const Feval& feval, Tensor& weights, double lr) {
  detail::check_weights(kTypeName, weights);
  auto [loss, grad] = feval(weights);
  detail::check_gradient(kTypeName, weights, grad);
  detail::ensure_buffer(kTypeName, "exp_avg", exp_avg_, weights, 0.0);
  detail::ensure_buffer(kTypeName, "exp_avg_sq", exp_avg_sq_, weights, 0.0);
  if (options_.amsgrad) detail::ensure_buffer(kTypeName, "max_exp_avg_sq", max_exp_avg_sq_, weights, 0.0);
  const detail::AdamStep s{lr, options_.betas[0], options_.betas[1], options_.eps, options_.weight_decay,
                           options_.amsgrad, /*decoupled=*/true, iteration() + 1};
  detail::adam_update(s, weights, grad, exp_avg_, exp_avg_sq_, max_exp_avg_sq_, kTypeName);
  return loss;
}

void AdamW::save_buffers(StateDict& state) const {
  detail::save_buffer(state, "exp_avg", exp_avg_);
  detail::save_buffer(state, "exp_avg_sq", exp_avg_sq_);
  detail::save_buffer(state, "max_exp_avg_sq", max_exp_avg_sq_);
}

void AdamW::load_buffers(const StateDict& state) {
  const bool stepped = detail::has_stepped(state);
  Tensor m = detail::load_buffer(kTypeName, state, "exp_avg", stepped);
  Tensor v = detail::load_buffer(kTypeName, state, "exp_avg_sq", stepped);
  Tensor vmax = detail::load_buffer(kTypeName, state, "max_exp_avg_sq", stepped && options_.amsgrad);
  exp_avg_ = m;
  exp_avg_sq_ = v;
  max_exp_avg_sq_ = vmax;
}

}  // namespace ember::optim
