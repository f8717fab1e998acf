#pragma once
#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `Adadelta`. Field names are PyTorch's keyword arguments (lr spelt out).
struct AdadeltaOptions {
  double learning_rate = 1.0;  // scales the update, >= 0 (BigDL has none: 1)
  double rho = 0.9;            // decay of the running averages, in [0, 1] (BigDL: decayRate)
  double eps = 1e-6;           // >= 0 (BigDL: Epsilon, default 1e-10)
  double weight_decay = 0.0;   // L2 penalty added to the gradient, >= 0
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("rho", rho);
    v("eps", eps);
    v("weight_decay", weight_decay);
  }
};

/// Adadelta (Zeiler): sq = rho sq + (1-rho) g^2; delta = sqrt(acc + eps) / sqrt(sq + eps) * g;
/// acc = rho acc + (1-rho) delta^2; w -= lr * delta. PyTorch's torch.optim.Adadelta. BigDL:
/// Adadelta. State: "square_avg", "acc_delta" (shaped like the weights).
///
/// Example:
///   auto opt = std::make_shared<Adadelta>(AdadeltaOptions{.rho = 0.95});
class Adadelta final : public OptimMethod {
 public:
  using Options = AdadeltaOptions;
  static constexpr std::string_view kTypeName = "optim.Adadelta";

  explicit Adadelta(AdadeltaOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  const AdadeltaOptions& options() const { return options_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  AdadeltaOptions options_;
  Tensor square_avg_, acc_delta_;
};

}  // namespace ember::optim
