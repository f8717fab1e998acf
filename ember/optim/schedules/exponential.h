#pragma once
#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `Exponential`.
struct ExponentialOptions {
  int64_t decay_step = 1;   // iterations per decay period, >= 1
  double decay_rate = 0.9;  // rate multiplier per period, > 0
  bool stair_case = false;  // true: whole periods only (a staircase), false: smooth
  template <class V>
  void visit(V&& v) {
    v("decay_step", decay_step);
    v("decay_rate", decay_rate);
    v("stair_case", stair_case);
  }
};

/// lr * decay_rate^(iteration / decay_step), the exponent floored when stair_case. BigDL:
/// SGD.Exponential (TensorFlow's exponential_decay); PyTorch: ExponentialLR(gamma) when decay_step = 1.
///
/// Example:
///   sgd->set_schedule(std::make_shared<Exponential>(100, 0.96, true));
class Exponential final : public LearningRateSchedule {
 public:
  using Options = ExponentialOptions;
  static constexpr std::string_view kTypeName = "optim.Exponential";

  explicit Exponential(ExponentialOptions options);
  Exponential(int64_t decay_step, double decay_rate, bool stair_case = false)
      : Exponential(ExponentialOptions{.decay_step = decay_step, .decay_rate = decay_rate, .stair_case = stair_case}) {}
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  SchedulePtr clone() const override { return std::make_shared<Exponential>(options_); }
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  const ExponentialOptions& options() const { return options_; }

 private:
  ExponentialOptions options_;
};

}  // namespace ember::optim
