#pragma once
#include <vector>

#include "ember/optim/methods/adam_kernel.h"
#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `Adam`. Field names are PyTorch's keyword arguments (lr spelt out), plus BigDL's
/// learning_rate_decay.
struct AdamOptions {
  double learning_rate = 1e-3;             // >= 0
  std::vector<double> betas = {0.9, 0.999};  // two values in [0, 1) (BigDL: beta1, beta2)
  double eps = 1e-8;                        // >= 0 (BigDL: Epsilon)
  double weight_decay = 0.0;                // L2 penalty added to the gradient, >= 0
  bool amsgrad = false;                     // keep the maximum of the second moment
  double learning_rate_decay = 0.0;         // BigDL: rate / (1 + iteration * decay), >= 0
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("betas", betas);
    v("eps", eps);
    v("weight_decay", weight_decay);
    v("amsgrad", amsgrad);
    v("learning_rate_decay", learning_rate_decay);
  }
};

/// Adam (Kingma & Ba), PyTorch's torch.optim.Adam update with bias correction and optional
/// AMSGrad. BigDL: Adam. State: "exp_avg", "exp_avg_sq" (and "max_exp_avg_sq" with amsgrad), each
/// shaped like the weights; the step count is iteration() + 1.
///
/// Example:
///   auto adam = std::make_shared<Adam>(AdamOptions{.learning_rate = 1e-3, .betas = {0.9, 0.99}});
class Adam final : public OptimMethod {
 public:
  using Options = AdamOptions;
  static constexpr std::string_view kTypeName = "optim.Adam";

  explicit Adam(AdamOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  double learning_rate_decay() const override { return options_.learning_rate_decay; }
  const AdamOptions& options() const { return options_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  AdamOptions options_;
  detail::AdamMoments moments_;
};

namespace detail {
/// Checks learning_rate, betas, eps and weight_decay of Adam-like options ("[optim.Adam] ...").
void check_adam_options(std::string_view where, double learning_rate, const std::vector<double>& betas, double eps,
                        double weight_decay);
}  // namespace detail

}  // namespace ember::optim
