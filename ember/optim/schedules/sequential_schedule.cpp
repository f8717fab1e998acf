#include "ember/optim/schedules/sequential_schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ember::optim {

SequentialSchedule::SequentialSchedule(SequentialScheduleOptions options) : options_(options) {
  EMBER_CHECK(options_.iteration_per_epoch >= 1, "[", kTypeName, "] iteration_per_epoch must be >= 1, got ",
              options_.iteration_per_epoch);
}

SequentialSchedule& SequentialSchedule::add(SchedulePtr schedule, int64_t max_iteration) {
  EMBER_CHECK(schedule != nullptr, "[", kTypeName, ".add] schedule is null");
  EMBER_CHECK(max_iteration >= 1, "[", kTypeName, ".add] max_iteration must be >= 1, got ", max_iteration,
              " (phase ", phases_.size(), ", ", schedule->type_name(), ")");
  EMBER_CHECK(schedule.get() != this, "[", kTypeName, ".add] a schedule cannot contain itself");
  phases_.emplace_back(std::move(schedule), max_iteration);
  handoff_.push_back(std::numeric_limits<double>::quiet_NaN());
  return *this;
}

SchedulePtr SequentialSchedule::clone() const {
  auto out = std::make_shared<SequentialSchedule>(options_);
  for (const auto& [s, n] : phases_) out->add(s->clone(), n);
  return out;
}

double SequentialSchedule::rate(double base_lr, int64_t iteration, int64_t epoch) {
  EMBER_CHECK(!phases_.empty(), "[", kTypeName, "] has no phases. Hint: add(schedule, max_iteration) first");
  double base = base_lr;
  int64_t start = 0;
  for (size_t p = 0;; ++p) {
    auto& [schedule, length] = phases_[p];
    // BigDL's excludeEpochs: a phase counts epochs from the one it starts in.
    const int64_t local_epoch = std::max<int64_t>(1, epoch - start / options_.iteration_per_epoch);
    if (p + 1 == phases_.size() || iteration < start + length)
      return schedule->rate(base, iteration - start, local_epoch);
    // The rate a phase reaches at its end becomes the next phase's base. It is fixed the first time
    // it is needed, so a stateful phase (Plateau) that is over cannot move it later.
    if (std::isnan(handoff_[p])) handoff_[p] = schedule->rate(base, length, local_epoch);
    base = handoff_[p];
    start += length;
  }
}

void SequentialSchedule::record(std::string_view metric, double value) {
  for (auto& [s, n] : phases_) s->record(metric, value);
}

void SequentialSchedule::save_state(StateDict& state) const {
  state.set("num_phases", static_cast<int64_t>(phases_.size()));
  for (size_t p = 0; p < phases_.size(); ++p) {
    const std::string prefix = std::to_string(p) + ".";
    if (!std::isnan(handoff_[p])) state.set(prefix + "handoff", handoff_[p]);
    StateDict sub;
    phases_[p].first->save_state(sub);
    state.merge(sub, prefix);
  }
}

void SequentialSchedule::load_state(const StateDict& state) {
  const int64_t n = state.integer("num_phases");
  EMBER_CHECK(n == static_cast<int64_t>(phases_.size()), "[", kTypeName, "] the state has ", n,
              " phases, this schedule has ", phases_.size());
  std::vector<double> handoff(phases_.size(), std::numeric_limits<double>::quiet_NaN());
  for (size_t p = 0; p < phases_.size(); ++p) {
    const std::string key = std::to_string(p) + ".handoff";
    if (state.contains(key)) handoff[p] = state.real(key);
  }
  for (size_t p = 0; p < phases_.size(); ++p) phases_[p].first->load_state(state.sub(std::to_string(p) + "."));
  handoff_ = std::move(handoff);
}

std::string SequentialSchedule::repr() const {
  std::string out = LearningRateSchedule::repr() + "[";
  for (size_t p = 0; p < phases_.size(); ++p)
    out += (p ? ", " : "") + phases_[p].first->repr() + " x " + std::to_string(phases_[p].second);
  return out + "]";
}

}  // namespace ember::optim
