#pragma once
/// OptimMethod: the update rule applied to a flat weight buffer (BigDL: OptimMethod).
///
/// The trainer hands an optim method the model's flat weights and a closure that evaluates the
/// loss and the flat gradient at those weights (BigDL's `feval`). Most methods call it once per
/// step; LBFGS calls it several times. In distributed training each rank runs its own optim method
/// on its shard of the flat buffers, so an optim method never assumes it sees the whole model.
///
///   auto sgd = std::make_shared<SGD>(SGDOptions{.learning_rate = 0.1, .momentum = 0.9});
///   double loss = sgd->optimize([&](const Tensor& w) { return evaluate(w); }, weights);

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "ember/nn/options.h"
#include "ember/tensor/state_dict.h"
#include "ember/tensor/tensor.h"

namespace ember::optim {

class LearningRateSchedule;

/// Evaluates the model at `weights`: returns the loss and the flat gradient (same shape as weights).
using Feval = std::function<std::pair<double, Tensor>(const Tensor& weights)>;

/// Base class of every optim method. Subclasses implement `step`; the base keeps the iteration and
/// epoch counters and the learning-rate schedule, which are part of the saved state.
class OptimMethod {
 public:
  virtual ~OptimMethod() = default;

  /// Registered type name, e.g. "optim.SGD".
  virtual std::string_view type_name() const = 0;
  /// Hyper-parameters (for repr, files and Python keyword arguments).
  virtual nn::Config config() const = 0;
  /// A fresh optim method with the same hyper-parameters and schedule and empty state.
  virtual std::unique_ptr<OptimMethod> clone() const = 0;

  /// One optimization step: evaluates `feval`, updates `weights` in place, returns the loss at the
  /// weights before the update. Increments iteration().
  double optimize(const Feval& feval, Tensor& weights);

  /// The learning rate the next step uses (base rate after the schedule), as a positive number.
  double learning_rate() const;
  /// The base learning rate given in the options.
  virtual double base_learning_rate() const = 0;
  /// BigDL's learning_rate_decay: the rate is divided by (1 + iteration * decay) on top of the
  /// schedule. 0 (default) for methods without the option.
  virtual double learning_rate_decay() const { return 0.0; }
  void set_schedule(std::shared_ptr<LearningRateSchedule> schedule) { schedule_ = std::move(schedule); }
  const std::shared_ptr<LearningRateSchedule>& schedule() const { return schedule_; }

  /// Steps taken so far (BigDL's "neval" - 1).
  int64_t iteration() const { return iteration_; }
  /// The current epoch, 1-based; the trainer sets it at the start of each epoch.
  int64_t epoch() const { return epoch_; }
  void set_epoch(int64_t epoch) { epoch_ = epoch; }
  /// Reports a monitored value to the schedule: "loss" after each step, "score" after validation
  /// (used by the Plateau schedule).
  void record(std::string_view metric, double value);

  /// All state needed to continue exactly: counters, schedule state and per-method buffers
  /// (momentum, moments, ...). Tensors are copies, not views of live buffers.
  StateDict state_dict() const;
  /// Restores what state_dict() returned; throws ValueError naming a missing or mismatched entry.
  void load_state_dict(const StateDict& state);

  /// "optim.SGD(learning_rate=0.1, momentum=0.9, ...)" (every option; the schedule when set).
  std::string repr() const;

 protected:
  /// For clone(): a fresh copy of this method's schedule (nullptr when none is set).
  std::shared_ptr<LearningRateSchedule> cloned_schedule() const;
  /// The update rule: weights -= ...; `lr` is learning_rate() for this step.
  virtual double step(const Feval& feval, Tensor& weights, double lr) = 0;
  /// Per-method buffers; default: none.
  virtual void save_buffers(StateDict& /*state*/) const {}
  virtual void load_buffers(const StateDict& /*state*/) {}

 private:
  int64_t iteration_ = 0;
  int64_t epoch_ = 1;
  std::shared_ptr<LearningRateSchedule> schedule_;
};

/// Makes an optim method from its type name ("sgd", "optim.SGD", "adam", ...) and hyper-parameters
/// (missing ones keep their defaults); throws ValueError listing the known names.
std::unique_ptr<OptimMethod> make_optim_method(std::string_view name, const nn::Config& config = {});

}  // namespace ember::optim
