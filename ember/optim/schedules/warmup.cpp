#include "ember/optim/schedules/warmup.h"

#include <cmath>

namespace ember::optim {

Warmup::Warmup(WarmupOptions options) : options_(options) {
  EMBER_CHECK(std::isfinite(options_.delta), "[", kTypeName, "] delta must be finite, got ", options_.delta);
}

double Warmup::rate(double base_lr, int64_t iteration, int64_t /*epoch*/) {
  return base_lr + options_.delta * static_cast<double>(iteration);
}

}  // namespace ember::optim
