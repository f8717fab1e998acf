#include "ember/optim/schedules/poly.h"

#include <cmath>

namespace ember::optim {

Poly::Poly(PolyOptions options) : options_(options) {
  EMBER_CHECK(options_.power >= 0, "[", kTypeName, "] power must be >= 0, got ", options_.power);
  EMBER_CHECK(options_.max_iteration >= 1, "[", kTypeName, "] max_iteration must be >= 1, got ",
              options_.max_iteration);
}

double Poly::rate(double base_lr, int64_t iteration, int64_t /*epoch*/) {
  if (iteration > options_.max_iteration) return 0.0;  // BigDL: 0 past the end (also for power 0)
  const double left = 1.0 - static_cast<double>(iteration) / static_cast<double>(options_.max_iteration);
  return base_lr * std::pow(left, options_.power);
}

}  // namespace ember::optim
