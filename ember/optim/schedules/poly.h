#pragma once
#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `Poly`.
struct PolyOptions {
  double power = 1.0;         // exponent of the decay, >= 0
  int64_t max_iteration = 1;  // iteration at which the rate reaches 0, >= 1
  template <class V>
  void visit(V&& v) {
    v("power", power);
    v("max_iteration", max_iteration);
  }
};

/// lr * (1 - iteration / max_iteration)^power up to max_iteration, 0 after it. BigDL: SGD.Poly;
/// PyTorch: PolynomialLR(total_iters=max_iteration, power) stepped once per iteration.
///
/// Example:
///   sgd->set_schedule(std::make_shared<Poly>(0.5, 10000));
class Poly final : public LearningRateSchedule {
 public:
  using Options = PolyOptions;
  static constexpr std::string_view kTypeName = "optim.Poly";

  explicit Poly(PolyOptions options);
  Poly(double power, int64_t max_iteration) : Poly(PolyOptions{.power = power, .max_iteration = max_iteration}) {}
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  SchedulePtr clone() const override { return std::make_shared<Poly>(options_); }
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  const PolyOptions& options() const { return options_; }

 private:
  PolyOptions options_;
};

}  // namespace ember::optim
