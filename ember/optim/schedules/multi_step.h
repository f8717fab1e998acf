#pragma once
#include <vector>

#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `MultiStep`.
struct MultiStepOptions {
  std::vector<int64_t> milestones;  // iterations at which the rate decays, non-decreasing, >= 0
  double gamma = 0.1;               // multiplicative decay, > 0
  template <class V>
  void visit(V&& v) {
    v("milestones", milestones);
    v("gamma", gamma);
  }
};

/// lr * gamma^(number of milestones <= iteration). BigDL: SGD.MultiStep (its stepSizes); PyTorch:
/// MultiStepLR stepped once per iteration.
///
/// Example:
///   sgd->set_schedule(std::make_shared<MultiStep>(std::vector<int64_t>{3000, 6000}, 0.1));
class MultiStep final : public LearningRateSchedule {
 public:
  using Options = MultiStepOptions;
  static constexpr std::string_view kTypeName = "optim.MultiStep";

  explicit MultiStep(MultiStepOptions options);
  MultiStep(std::vector<int64_t> milestones, double gamma)
      : MultiStep(MultiStepOptions{.milestones = std::move(milestones), .gamma = gamma}) {}
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  SchedulePtr clone() const override { return std::make_shared<MultiStep>(options_); }
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  const MultiStepOptions& options() const { return options_; }

 private:
  MultiStepOptions options_;
};

}  // namespace ember::optim
