#pragma once
#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `Step`.
struct StepOptions {
  int64_t step_size = 1;  // iterations between two decays, >= 1
  double gamma = 0.1;     // multiplicative decay, > 0
  template <class V>
  void visit(V&& v) {
    v("step_size", step_size);
    v("gamma", gamma);
  }
};

/// lr * gamma^floor(iteration / step_size), iteration counted from 0. BigDL: SGD.Step; PyTorch:
/// StepLR stepped once per iteration.
///
/// Example:
///   sgd->set_schedule(std::make_shared<Step>(1000, 0.5));
class Step final : public LearningRateSchedule {
 public:
  using Options = StepOptions;
  static constexpr std::string_view kTypeName = "optim.Step";

  explicit Step(StepOptions options);
  Step(int64_t step_size, double gamma) : Step(StepOptions{.step_size = step_size, .gamma = gamma}) {}
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  SchedulePtr clone() const override { return std::make_shared<Step>(options_); }
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  const StepOptions& options() const { return options_; }

 private:
  StepOptions options_;
};

}  // namespace ember::optim
