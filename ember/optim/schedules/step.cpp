#include "ember/optim/schedules/step.h"

#include <cmath>

namespace ember::optim {

Step::Step(StepOptions options) : options_(options) {
  EMBER_CHECK(options_.step_size >= 1, "[", kTypeName, "] step_size must be >= 1, got ", options_.step_size);
  EMBER_CHECK(options_.gamma > 0, "[", kTypeName, "] gamma must be > 0, got ", options_.gamma);
}

double Step::rate(double base_lr, int64_t iteration, int64_t /*epoch*/) {
  return base_lr * std::pow(options_.gamma, static_cast<double>(iteration / options_.step_size));
}

}  // namespace ember::optim
