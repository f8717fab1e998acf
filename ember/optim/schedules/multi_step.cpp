#include "ember/optim/schedules/multi_step.h"

#include <algorithm>
#include <cmath>

namespace ember::optim {

MultiStep::MultiStep(MultiStepOptions options) : options_(std::move(options)) {
  const auto& m = options_.milestones;
  for (size_t i = 0; i < m.size(); ++i) {
    EMBER_CHECK(m[i] >= 0, "[", kTypeName, "] milestones must be >= 0, got ", m[i], " at index ", i);
    EMBER_CHECK(i == 0 || m[i - 1] <= m[i], "[", kTypeName, "] milestones must be in increasing order, got ",
                m[i - 1], " before ", m[i]);
  }
  EMBER_CHECK(options_.gamma > 0, "[", kTypeName, "] gamma must be > 0, got ", options_.gamma);
}

double MultiStep::rate(double base_lr, int64_t iteration, int64_t /*epoch*/) {
  const auto& m = options_.milestones;
  const auto passed = std::upper_bound(m.begin(), m.end(), iteration) - m.begin();
  return base_lr * std::pow(options_.gamma, static_cast<double>(passed));
}

}  // namespace ember::optim
