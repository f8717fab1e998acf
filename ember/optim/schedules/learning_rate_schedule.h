#pragma once
/// LearningRateSchedule: maps the base learning rate, the iteration and the epoch to the rate of
/// the next step (BigDL: SGD.LearningRateSchedule; BigDL's SGD.scala schedules are the reference
/// for every schedule here, differences are noted where they are).
///
///   auto adam = std::make_shared<Adam>(AdamOptions{.learning_rate = 1e-3});
///   adam->set_schedule(std::make_shared<Step>(1000, 0.5));   // halve every 1000 iterations

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ember/nn/options.h"
#include "ember/tensor/state_dict.h"

namespace ember::optim {

class LearningRateSchedule;
using SchedulePtr = std::shared_ptr<LearningRateSchedule>;

/// Base class of the learning-rate schedules. Most are closed forms of (iteration, epoch); Plateau
/// and SequentialSchedule keep state, which OptimMethod::state_dict saves under "schedule.".
class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;

  /// Registered type name, e.g. "optim.Step".
  virtual std::string_view type_name() const = 0;
  /// Hyper-parameters (for repr and files).
  virtual nn::Config config() const = 0;
  /// A fresh schedule with the same hyper-parameters and empty state.
  virtual SchedulePtr clone() const = 0;

  /// The rate of the step at 0-based `iteration` in 1-based `epoch`, from the base rate `base_lr`.
  /// Stateful schedules may advance here (Plateau acts once per new epoch); calling again with the
  /// same arguments returns the same value.
  virtual double rate(double base_lr, int64_t iteration, int64_t epoch) = 0;
  /// A monitored value ("loss", "score"); only Plateau uses it.
  virtual void record(std::string_view /*metric*/, double /*value*/) {}

  /// Writes / restores the schedule's state (nothing for closed-form schedules).
  virtual void save_state(StateDict& /*state*/) const {}
  virtual void load_state(const StateDict& /*state*/) {}

  /// "optim.Step(step_size=10, gamma=0.1)".
  virtual std::string repr() const;
};

/// A schedule from its type name ("step", "optim.Step", "plateau", ...; case-insensitive) and
/// hyper-parameters; SequentialSchedule is built in code. ValueError listing the known names.
SchedulePtr make_schedule(std::string_view name, const nn::Config& config = {});

}  // namespace ember::optim
