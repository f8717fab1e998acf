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
  const detail::AdamStep s{lr, options_.betas[0], options_.betas[1], options_.eps, options_.weight_decay,
                           options_.amsgrad, /*decoupled=*/true, iteration() + 1};
  return moments_.step(kTypeName, feval, weights, s);
}

void AdamW::save_buffers(StateDict& state) const { moments_.save(state); }

void AdamW::load_buffers(const StateDict& state) { moments_.load(kTypeName, state, options_.amsgrad); }

}  // namespace ember::optim
