#include "ember/optim/schedules/natural_exp.h"

#include <cmath>

namespace ember::optim {

NaturalExp::NaturalExp(NaturalExpOptions options) : options_(options) {
  EMBER_CHECK(options_.decay_step >= 1, "[", kTypeName, "] decay_step must be >= 1, got ", options_.decay_step);
  EMBER_CHECK(options_.gamma >= 0, "[", kTypeName, "] gamma must be >= 0, got ", options_.gamma);
}

double NaturalExp::rate(double base_lr, int64_t iteration, int64_t /*epoch*/) {
  return base_lr * std::exp(-options_.gamma * static_cast<double>(iteration / options_.decay_step));
}

}  // namespace ember::optim
