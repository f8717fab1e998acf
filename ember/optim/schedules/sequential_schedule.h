#pragma once
#include <utility>
#include <vector>

#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `SequentialSchedule`.
struct SequentialScheduleOptions {
  int64_t iteration_per_epoch = 1;  // converts a phase's first iteration into its first epoch, >= 1
  template <class V>
  void visit(V&& v) {
    v("iteration_per_epoch", iteration_per_epoch);
  }
};

/// Runs schedules one after another, each for a given number of iterations. BigDL:
/// SGD.SequentialSchedule. Each phase sees its own iteration (from 0) and epoch (from 1), and
/// starts from the rate the previous phase reaches at its end (its rate at local iteration
/// max_iteration): Warmup(delta) for n iterations hands base + n * delta to the next phase. The
/// last phase continues past its max_iteration. (BigDL runs the first phase for max_iteration + 1
/// iterations and starts later phases at local iteration 1; Ember's phases are exactly
/// max_iteration long and start at 0.)
///
/// Example:
///   auto s = std::make_shared<SequentialSchedule>(iterations_per_epoch);
///   s->add(std::make_shared<Warmup>(0.01), 500).add(std::make_shared<Poly>(0.5, 9500), 9500);
class SequentialSchedule final : public LearningRateSchedule {
 public:
  using Options = SequentialScheduleOptions;
  static constexpr std::string_view kTypeName = "optim.SequentialSchedule";

  explicit SequentialSchedule(SequentialScheduleOptions options);
  explicit SequentialSchedule(int64_t iteration_per_epoch)
      : SequentialSchedule(SequentialScheduleOptions{.iteration_per_epoch = iteration_per_epoch}) {}
  /// Appends a phase of `max_iteration` (>= 1) iterations.
  SequentialSchedule& add(SchedulePtr schedule, int64_t max_iteration);

  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  /// A fresh copy: every phase cloned.
  SchedulePtr clone() const override;
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  /// Forwarded to every phase.
  void record(std::string_view metric, double value) override;
  /// Each phase's state under "<index>." (e.g. "1.best").
  void save_state(StateDict& state) const override;
  void load_state(const StateDict& state) override;
  /// "optim.SequentialSchedule(iteration_per_epoch=100)[optim.Warmup(delta=0.01) x 500, ...]".
  std::string repr() const override;

  const std::vector<std::pair<SchedulePtr, int64_t>>& phases() const { return phases_; }

 private:
  SequentialScheduleOptions options_;
  std::vector<std::pair<SchedulePtr, int64_t>> phases_;
  std::vector<double> handoff_;  // rate at the end of each phase (NaN until first needed)
};

}  // namespace ember::optim
