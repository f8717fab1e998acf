#pragma once
#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `RMSprop`. Field names are PyTorch's keyword arguments (lr spelt out), plus BigDL's
/// learning_rate_decay.
struct RMSpropOptions {
  double learning_rate = 1e-2;       // >= 0
  double alpha = 0.99;               // decay of the squared-gradient average, >= 0 (BigDL: decayRate)
  double eps = 1e-8;                 // >= 0 (BigDL: Epsilon)
  double weight_decay = 0.0;         // L2 penalty added to the gradient, >= 0
  double momentum = 0.0;             // >= 0
  bool centered = false;             // normalise by the variance estimate instead of the raw second moment
  double learning_rate_decay = 0.0;  // BigDL: rate / (1 + iteration * decay), >= 0
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("alpha", alpha);
    v("eps", eps);
    v("weight_decay", weight_decay);
    v("momentum", momentum);
    v("centered", centered);
    v("learning_rate_decay", learning_rate_decay);
  }
};

/// RMSprop (Hinton): sq = alpha sq + (1-alpha) g^2; avg = sqrt(sq [- mean(g)^2 when centered]) + eps;
/// w -= lr * g / avg (through a momentum buffer when momentum > 0). PyTorch's torch.optim.RMSprop.
/// BigDL: RMSprop. State: "square_avg", "grad_avg" (centered), "momentum_buffer" (momentum > 0).
///
/// Example:
///   auto opt = std::make_shared<RMSprop>(RMSpropOptions{.learning_rate = 1e-3, .momentum = 0.9});
class RMSprop final : public OptimMethod {
 public:
  using Options = RMSpropOptions;
  static constexpr std::string_view kTypeName = "optim.RMSprop";

  explicit RMSprop(RMSpropOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  double learning_rate_decay() const override { return options_.learning_rate_decay; }
  const RMSpropOptions& options() const { return options_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  RMSpropOptions options_;
  Tensor square_avg_, grad_avg_, momentum_buffer_;
};

}  // namespace ember::optim
