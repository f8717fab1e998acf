#pragma once
#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `Ftrl`: BigDL's parameters (TensorFlow's FtrlOptimizer), snake_case.
struct FtrlOptions {
  double learning_rate = 1e-3;                       // > 0
  double learning_rate_power = -0.5;                 // <= 0
  double initial_accumulator_value = 0.1;            // >= 0
  double l1_regularization_strength = 0.0;           // >= 0
  double l2_regularization_strength = 0.0;           // >= 0, a stabilisation penalty
  double l2_shrinkage_regularization_strength = 0.0; // >= 0, a magnitude penalty on the weights
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("learning_rate_power", learning_rate_power);
    v("initial_accumulator_value", initial_accumulator_value);
    v("l1_regularization_strength", l1_regularization_strength);
    v("l2_regularization_strength", l2_regularization_strength);
    v("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength);
  }
};

/// FTRL-Proximal (McMahan et al., "Ad Click Prediction"), BigDL's Ftrl update (PyTorch has none):
/// with p = -learning_rate_power and g' = g + 2 * l2_shrinkage * w,
///   accum_new = accum + g'^2;  linear += g' + (accum^p - accum_new^p) / lr * w
///   w = |linear| > l1 ? (sign(linear) * l1 - linear) / (accum_new^p / lr + 2 * l2) : 0
/// State: "accum", "linear" (shaped like the weights). The schedule scales lr as for other methods.
///
/// Example:
///   auto opt = std::make_shared<Ftrl>(FtrlOptions{.learning_rate = 0.05, .l1_regularization_strength = 1e-3});
class Ftrl final : public OptimMethod {
 public:
  using Options = FtrlOptions;
  static constexpr std::string_view kTypeName = "optim.Ftrl";

  explicit Ftrl(FtrlOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  const FtrlOptions& options() const { return options_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  FtrlOptions options_;
  Tensor accum_, linear_;
};

}  // namespace ember::optim
