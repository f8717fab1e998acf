#pragma once
#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `EpochStep`.
struct EpochStepOptions {
  int64_t step_size = 1;  // epochs between two decays, >= 1
  double gamma = 0.1;     // multiplicative decay, > 0
  template <class V>
  void visit(V&& v) {
    v("step_size", step_size);
    v("gamma", gamma);
  }
};

/// lr * gamma^floor((epoch - 1) / step_size): the rate decays after every `step_size` completed
/// epochs (PyTorch StepLR stepped once per epoch). BigDL: SGD.EpochStep, which divides the 1-based
/// epoch itself and so decays one epoch earlier (already in epoch 1 when step_size = 1).
///
/// Example:
///   sgd->set_schedule(std::make_shared<EpochStep>(30, 0.1));   // /10 after epochs 30, 60, ...
class EpochStep final : public LearningRateSchedule {
 public:
  using Options = EpochStepOptions;
  static constexpr std::string_view kTypeName = "optim.EpochStep";

  explicit EpochStep(EpochStepOptions options);
  EpochStep(int64_t step_size, double gamma) : EpochStep(EpochStepOptions{.step_size = step_size, .gamma = gamma}) {}
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  SchedulePtr clone() const override { return std::make_shared<EpochStep>(options_); }
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  const EpochStepOptions& options() const { return options_; }

 private:
  EpochStepOptions options_;
};

}  // namespace ember::optim
