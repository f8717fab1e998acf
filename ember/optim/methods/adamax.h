#pragma once
#include <vector>

#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `Adamax`. Field names are PyTorch's keyword arguments (lr spelt out).
struct AdamaxOptions {
  double learning_rate = 2e-3;               // >= 0
  std::vector<double> betas = {0.9, 0.999};  // two values in [0, 1) (BigDL: beta1, beta2)
  double eps = 1e-8;                         // >= 0 (BigDL: Epsilon)
  double weight_decay = 0.0;                 // L2 penalty added to the gradient, >= 0
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("betas", betas);
    v("eps", eps);
    v("weight_decay", weight_decay);
  }
};

/// Adamax, Adam with the infinity norm: u = max(beta2 * u, |g| + eps), w -= lr / (1 - beta1^t) * m / u.
/// PyTorch's torch.optim.Adamax. BigDL: Adamax. State: "exp_avg", "exp_inf" (shaped like the weights).
///
/// Example:
///   auto opt = std::make_shared<Adamax>(AdamaxOptions{.learning_rate = 2e-3});
class Adamax final : public OptimMethod {
 public:
  using Options = AdamaxOptions;
  static constexpr std::string_view kTypeName = "optim.Adamax";

  explicit Adamax(AdamaxOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  const AdamaxOptions& options() const { return options_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  AdamaxOptions options_;
  Tensor exp_avg_, exp_inf_;
};

}  // namespace ember::optim
