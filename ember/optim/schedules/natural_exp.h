#pragma once
#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `NaturalExp`.
struct NaturalExpOptions {
  int64_t decay_step = 1;  // iterations per decay period, >= 1
  double gamma = 0.1;      // decay rate, >= 0
  template <class V>
  void visit(V&& v) {
    v("decay_step", decay_step);
    v("gamma", gamma);
  }
};

/// lr * exp(-gamma * floor(iteration / decay_step)). BigDL: SGD.NaturalExp (TensorFlow's
/// natural_exp_decay with staircase).
///
/// Example:
///   sgd->set_schedule(std::make_shared<NaturalExp>(1000, 0.5));
class NaturalExp final : public LearningRateSchedule {
 public:
  using Options = NaturalExpOptions;
  static constexpr std::string_view kTypeName = "optim.NaturalExp";

  explicit NaturalExp(NaturalExpOptions options);
  NaturalExp(int64_t decay_step, double gamma)
      : NaturalExp(NaturalExpOptions{.decay_step = decay_step, .gamma = gamma}) {}
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  SchedulePtr clone() const override { return std::make_shared<NaturalExp>(options_); }
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  const NaturalExpOptions& options() const { return options_; }

 private:
  NaturalExpOptions options_;
};

}  // namespace ember::optim
