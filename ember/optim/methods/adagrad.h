#pragma once
#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `Adagrad`. Field names are PyTorch's keyword arguments (lr and lr_decay spelt out).
struct AdagradOptions {
  double learning_rate = 1e-2;             // >= 0
  double learning_rate_decay = 0.0;        // rate / (1 + iteration * decay), >= 0
  double weight_decay = 0.0;               // L2 penalty added to the gradient, >= 0
  double initial_accumulator_value = 0.0;  // starting value of the sum of squares, >= 0
  double eps = 1e-10;                      // >= 0
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("learning_rate_decay", learning_rate_decay);
    v("weight_decay", weight_decay);
    v("initial_accumulator_value", initial_accumulator_value);
    v("eps", eps);
  }
};

/// Adagrad: sum += g^2, w -= lr / (1 + iteration * lr_decay) * g / (sqrt(sum) + eps). PyTorch's
/// torch.optim.Adagrad. BigDL: Adagrad. State: "sum" (shaped like the weights).
///
/// Example:
///   auto opt = std::make_shared<Adagrad>(AdagradOptions{.learning_rate = 0.01});
class Adagrad final : public OptimMethod {
 public:
  using Options = AdagradOptions;
  static constexpr std::string_view kTypeName = "optim.Adagrad";

  explicit Adagrad(AdagradOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  double learning_rate_decay() const override { return options_.learning_rate_decay; }
  const AdagradOptions& options() const { return options_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  AdagradOptions options_;
  Tensor sum_;
};

}  // namespace ember::optim
