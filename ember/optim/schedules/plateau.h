#pragma once
#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `Plateau`.
struct PlateauOptions {
  std::string monitor = "score";  // "score" (validation) or "loss" (training), fed by OptimMethod::record
  double factor = 0.1;            // new rate = rate * factor, in [0, 1)
  int64_t patience = 10;          // epochs without improvement before a reduction, >= 0
  std::string mode = "min";       // "min": lower is better, "max": higher is better
  double epsilon = 1e-4;          // an improvement must beat the best by more than this (absolute)
  int64_t cooldown = 0;           // epochs to wait after a reduction before counting again, >= 0
  double min_lr = 0.0;            // the rate never goes below this, >= 0
  template <class V>
  void visit(V&& v) {
    v("monitor", monitor);
    v("factor", factor);
    v("patience", patience);
    v("mode", mode);
    v("epsilon", epsilon);
    v("cooldown", cooldown);
    v("min_lr", min_lr);
  }
};

/// Reduces the rate by `factor` when the monitored value has not improved for `patience` epochs.
/// BigDL: SGD.Plateau (Keras' ReduceLROnPlateau): the schedule looks once per epoch, when the
/// epoch advances, at the last value recorded in the epoch before. The counting follows PyTorch's
/// ReduceLROnPlateau(threshold_mode="abs", threshold=epsilon, eps=1e-8) exactly: BigDL's port lets
/// the bad-epoch counter restart at 1 after a reduction, which shortens later waits by one epoch.
///
/// Example (the trainer records "score" after validation, before set_epoch(epoch + 1)):
///   sgd->set_schedule(std::make_shared<Plateau>(PlateauOptions{.monitor = "score", .patience = 3,
///                                                              .mode = "max"}));
class Plateau final : public LearningRateSchedule {
 public:
  using Options = PlateauOptions;
  static constexpr std::string_view kTypeName = "optim.Plateau";

  explicit Plateau(PlateauOptions options);
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  SchedulePtr clone() const override { return std::make_shared<Plateau>(options_); }
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  /// Keeps the latest value of the monitored metric; other metrics are ignored.
  void record(std::string_view metric, double value) override;
  void save_state(StateDict& state) const override;
  void load_state(const StateDict& state) override;
  const PlateauOptions& options() const { return options_; }

 private:
  void observe(double value);
  PlateauOptions options_;
  double lr_ = -1.0;  // current rate; < 0 until the first call (then the base rate)
  double best_ = 0.0;
  bool has_best_ = false;
  int64_t num_bad_epochs_ = 0;
  int64_t cooldown_counter_ = 0;
  int64_t epoch_ = 1;  // the epoch the rate was last computed for
  double latest_ = 0.0;
  bool has_latest_ = false;
};

}  // namespace ember::optim
