#include "ember/optim/methods/adam.h"

#include "ember/optim/methods/adam_kernel.h"

namespace ember::optim {

namespace detail {
void check_adam_options(std::string_view where, double learning_rate, const std::vector<double>& betas, double eps,
                        double weight_decay) {
  EMBER_CHECK(learning_rate >= 0, "[", where, "] learning_rate must be >= 0, got ", learning_rate);
  EMBER_CHECK(betas.size() == 2, "[", where, "] betas must hold 2 values, got ", betas.size());
  for (size_t i = 0; i < 2; ++i)
    EMBER_CHECK(betas[i] >= 0 && betas[i] < 1, "[", where, "] betas[", i, "] must be in [0, 1), got ", betas[i]);
  EMBER_CHECK(eps >= 0, "[", where, "] eps must be >= 0, got ", eps);
  EMBER_CHECK(weight_decay >= 0, "[", where, "] weight_decay must be >= 0, got ", weight_decay);
}
}  // namespace detail

Adam::Adam(AdamOptions options) : options_(std::move(options)) {
  detail::check_adam_options(kTypeName, options_.learning_rate, options_.betas, options_.eps, options_.weight_decay);
  EMBER_CHECK(options_.learning_rate_decay >= 0, "[", kTypeName, "] learning_rate_decay must be >= 0, got ",
              options_.learning_rate_decay);
}

std::unique_ptr<OptimMethod> Adam::clone() const {
  auto m = std::make_unique<Adam>(options_);
  m->set_schedule(cloned_schedule());
  return m;
}

double Adam::step(const Feval& feval, Tensor& weights, double lr) {
  const detail::AdamStep s{lr, options_.betas[0], options_.betas[1], options_.eps, options_.weight_decay,
                           options_.amsgrad, /*decoupled=*/false, iteration() + 1};
  return moments_.step(kTypeName, feval, weights, s);
}

void Adam::save_buffers(StateDict& state) const { moments_.save(state); }

void Adam::load_buffers(const StateDict& state) { moments_.load(kTypeName, state, options_.amsgrad); }

}  // namespace ember::optim
