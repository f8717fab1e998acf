#pragma once
#include "ember/optim/optim_method.h"

namespace ember::optim {

/// Options for `SGD`. Field names are PyTorch's keyword arguments (lr spelt out), plus BigDL's
/// learning_rate_decay.
struct SGDOptions {
  double learning_rate = 1e-3;      // >= 0 (BigDL's default; PyTorch has none)
  double learning_rate_decay = 0.0; // BigDL: rate / (1 + iteration * decay), >= 0
  double weight_decay = 0.0;        // L2 penalty added to the gradient, >= 0
  double momentum = 0.0;            // >= 0
  double dampening = 0.0;           // PyTorch's default 0 (BigDL's default is `momentum`)
  bool nesterov = false;            // needs momentum > 0 and dampening = 0
  template <class V>
  void visit(V&& v) {
    v("learning_rate", learning_rate);
    v("learning_rate_decay", learning_rate_decay);
    v("weight_decay", weight_decay);
    v("momentum", momentum);
    v("dampening", dampening);
    v("nesterov", nesterov);
  }
};

/// Stochastic gradient descent with momentum and Nesterov momentum, PyTorch's torch.optim.SGD
/// update: d = g + weight_decay * w; buf = momentum * buf + (1 - dampening) * d (buf = d on the
/// first step); w -= lr * (nesterov ? d + momentum * buf : buf). BigDL: SGD.
/// State: "momentum_buffer" (same shape as the weights) when momentum > 0.
///
/// Example:
///   auto sgd = std::make_shared<SGD>(SGDOptions{.learning_rate = 0.1, .momentum = 0.9});
class SGD final : public OptimMethod {
 public:
  using Options = SGDOptions;
  static constexpr std::string_view kTypeName = "optim.SGD";

  explicit SGD(SGDOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  nn::Config config() const override { return nn::to_config(options_); }
  std::unique_ptr<OptimMethod> clone() const override;
  double base_learning_rate() const override { return options_.learning_rate; }
  double learning_rate_decay() const override { return options_.learning_rate_decay; }
  const SGDOptions& options() const { return options_; }

 protected:
  double step(const Feval& feval, Tensor& weights, double lr) override;
  void save_buffers(StateDict& state) const override;
  void load_buffers(const StateDict& state) override;

 private:
  SGDOptions options_;
  Tensor momentum_buffer_;
};

}  // namespace ember::optim
