#pragma once
/// Trigger: a condition on the training state that decides when to validate, checkpoint, write a
/// summary or stop. BigDL: Trigger (everyEpoch, severalIteration, maxEpoch, maxIteration, maxScore,
/// minLoss, and, or).
///
/// A Trigger is an immutable predicate behind a shared_ptr: cheap to copy, safe to share between
/// threads, and stateless (it reads everything from the TrainingState it is given).
///
/// Example:
///   optimizer.set_end_when(Trigger::max_epoch(10) || Trigger::min_loss(0.01));
///   optimizer.set_validation(Trigger::every_epoch(), ...);
///
/// How the trainer feeds triggers (the contract every factory below relies on):
///   - `epoch` is the 1-based epoch being trained; when an epoch finishes the trainer increments
///     it *before* checking the end trigger, so after n full epochs epoch == n + 1.
///   - `iteration` counts completed iterations; it is incremented before the per-iteration checks.
///   - `epoch_end` is true only for the checks made right after the last iteration of an epoch.
///   - `loss` is the last training loss, `score` the last validation score (absent before the
///     first validation).
/// So a loop reads: for each iteration { train; ++iteration; check triggers with epoch_end = (last
/// batch of the epoch); if last batch { ++epoch; } if end_when(state) stop; }.

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ember::optim {

/// What triggers look at (BigDL: the optimizer's state Table).
struct TrainingState {
  int64_t epoch = 1;        ///< 1-based current epoch (n + 1 once n epochs are complete)
  int64_t iteration = 0;    ///< iterations completed so far
  bool epoch_end = false;   ///< true when checked at the end of an epoch
  double loss = std::numeric_limits<double>::quiet_NaN();  ///< last training loss
  std::optional<double> score;                             ///< last validation score
};

/// A named, immutable predicate over TrainingState.
class Trigger {
 public:
  using Predicate = std::function<bool(const TrainingState&)>;

  /// A custom trigger: `repr` describes it (e.g. "every_100_iterations"), `predicate` decides.
  Trigger(std::string repr, Predicate predicate);

  /// True when the trigger fires for this state.
  bool operator()(const TrainingState& state) const { return impl_->predicate(state); }
  /// "max_epoch(10)", "(min_loss(0.1) or max_epoch(5))".
  const std::string& repr() const { return impl_->repr; }

  /// Fires at the end of every epoch (state.epoch_end). BigDL: Trigger.everyEpoch.
  static Trigger every_epoch();
  /// Fires when iteration > 0 and iteration % n == 0; n >= 1. BigDL: Trigger.severalIteration.
  static Trigger several_iteration(int64_t n);
  /// End condition: fires once n full epochs are done (epoch > n, see the contract above); n >= 1.
  /// BigDL: Trigger.maxEpoch.
  static Trigger max_epoch(int64_t n);
  /// End condition: fires once n iterations are done (iteration >= n); n >= 1. BigDL: maxIteration.
  static Trigger max_iteration(int64_t n);
  /// Fires when a validation score exists and score > s. BigDL: Trigger.maxScore.
  static Trigger max_score(double s);
  /// Fires when loss < l (never while the loss is NaN). BigDL: Trigger.minLoss.
  static Trigger min_loss(double l);
  /// Fires when every trigger fires (at least one). BigDL: Trigger.and.
  static Trigger and_(std::vector<Trigger> triggers);
  /// Fires when any trigger fires (at least one). BigDL: Trigger.or.
  static Trigger or_(std::vector<Trigger> triggers);
  template <class... More>
  static Trigger and_(const Trigger& a, const Trigger& b, const More&... more) {
    return and_(std::vector<Trigger>{a, b, more...});
  }
  template <class... More>
  static Trigger or_(const Trigger& a, const Trigger& b, const More&... more) {
    return or_(std::vector<Trigger>{a, b, more...});
  }

 private:
  struct Impl {
    std::string repr;
    Predicate predicate;
  };
  std::shared_ptr<const Impl> impl_;
};

/// Trigger::and_(a, b).
Trigger operator&&(const Trigger& a, const Trigger& b);
/// Trigger::or_(a, b).
Trigger operator||(const Trigger& a, const Trigger& b);

}  // namespace ember::optim
