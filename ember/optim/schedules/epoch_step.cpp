#include "ember/optim/schedules/epoch_step.h"

#include <algorithm>
#include <cmath>

namespace ember::optim {

EpochStep::EpochStep(EpochStepOptions options) : options_(options) {
  EMBER_CHECK(options_.step_size >= 1, "[", kTypeName, "] step_size must be >= 1 epoch, got ", options_.step_size);
  EMBER_CHECK(options_.gamma > 0, "[", kTypeName, "] gamma must be > 0, got ", options_.gamma);
}

double EpochStep::rate(double base_lr, int64_t /*iteration*/, int64_t epoch) {
  const int64_t completed = std::max<int64_t>(epoch - 1, 0);
  return base_lr * std::pow(options_.gamma, static_cast<double>(completed / options_.step_size));
}

}  // namespace ember::optim
