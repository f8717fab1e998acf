#pragma once
#include <vector>

#include "ember/optim/methods/adam_kernel.h"
#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `AdamW`. Field names are PyTorch's keyword arguments (lr spelt out).
struct AdamWOptions {
  double learning_rate = 1e-3;               // >= 0
  std::vector<double> betas = {0.9, 0.999};  // two values in [0, 1)
  double eps = 1e-8;                         // >= 0
  double weight_decay = 1e-2;                // decoupled decay: w *= 1 - lr * weight_decay, >= 0
  bool amsgrad = false;                      // keep the maximum of the second moment
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("betas", betas);
    v("eps", eps);
    v("weight_decay", weight_decay);
    v("amsgrad", amsgrad);
  }
};

/// AdamW (Loshchilov & Hutter): Adam whose weight decay shrinks the weights directly instead of
/// entering the moments, PyTorch's torch.optim.AdamW. BigDL has no AdamW. State: as Adam
/// ("exp_avg", "exp_avg_sq", "max_exp_avg_sq" with amsgrad).
///
/// Example:
///   auto opt = std::make_shared<AdamW>(AdamWOptions{.learning_rate = 3e-4, .weight_decay = 0.05});
class AdamW final : public OptimMethod {
 public:
  using Options = AdamWOptions;
  static constexpr std::string_view kTypeName = "optim.AdamW";

  explicit AdamW(AdamWOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  const AdamWOptions& options() const { return options_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  AdamWOptions options_;
  detail::AdamMoments moments_;
};

}  // namespace ember::optim
