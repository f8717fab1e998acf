#pragma once
#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

/// Options for `Warmup`.
struct WarmupOptions {
  double delta = 0.0;  // rate increase per iteration
  template <class V>
  void visit(V&& v) {
    v("delta", delta);
  }
};

/// lr + delta * iteration: a linear ramp, usually the first phase of a SequentialSchedule.
/// BigDL: SGD.Warmup.
///
/// Example (ramp 0.1 -> 3.2 over 1000 iterations, then polynomial decay from 3.2):
///   auto s = std::make_shared<SequentialSchedule>(iterations_per_epoch);
///   s->add(std::make_shared<Warmup>(0.0031), 1000).add(std::make_shared<Poly>(2.0, 50000), 50000);
class Warmup final : public LearningRateSchedule {
 public:
  using Options = WarmupOptions;
  static constexpr std::string_view kTypeName = "optim.Warmup";

  explicit Warmup(WarmupOptions options);
  explicit Warmup(double delta) : Warmup(WarmupOptions{.delta = delta}) {}
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  SchedulePtr clone() const override { return std::make_shared<Warmup>(options_); }
  double rate(double base_lr, int64_t iteration, int64_t epoch) override;
  const WarmupOptions& options() const { return options_; }

 private:
  WarmupOptions options_;
};

}  // namespace ember::optim
