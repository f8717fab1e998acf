#include "ember/optim/schedules/exponential.h"

#include <cmath>

namespace ember::optim {

Exponential::Exponential(ExponentialOptions options) : options_(options) {
  EMBER_CHECK(options_.decay_step >= 1, "[", kTypeName, "] decay_step must be >= 1, got ", options_.decay_step);
  EMBER_CHECK(options_.decay_rate > 0, "[", kTypeName, "] decay_rate must be > 0, got ", options_.decay_rate);
}

double Exponential::rate(double base_lr, int64_t iteration, int64_t /*epoch*/) {
  double p = static_cast<double>(iteration) / static_cast<double>(options_.decay_step);
  if (options_.stair_case) p = std::floor(p);
  return base_lr * std::pow(options_.decay_rate, p);
}

}  // namespace ember::optim
