#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Linear`. Field names are the Python keyword arguments.
struct LinearOptions {
  int64_t in_features = 0;
  int64_t out_features = 0;
  bool bias = true;
  template <class V>
  void visit(V&& v) {
    v("in_features", in_features);
    v("out_features", out_features);
    v("bias", bias);
  }
};

/// y = x W^T + b. Input [N, in_features] (or [in_features]) -> output [N, out_features].
/// Weight [out_features, in_features], bias [out_features]; default init U(-1/sqrt(in), 1/sqrt(in)).
/// BigDL: Linear.
///
/// Example:
///   auto fc = std::make_shared<Linear>(LinearOptions{.in_features = 784, .out_features = 10});
class Linear final : public TensorModule {
 public:
  using Options = LinearOptions;
  static constexpr std::string_view kTypeName = "nn.Linear";

  explicit Linear(LinearOptions options);
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  void acc_grad_parameters(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const LinearOptions& options() const { return options_; }

  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }
  Tensor& grad_weight() { return grad_weight_; }
  Tensor& grad_bias() { return grad_bias_; }

 protected:
  void reset_parameters() override;

 private:
  void check_input(const Tensor& input) const;
  LinearOptions options_;
  Tensor weight_, grad_weight_;  // "weight": [out_features, in_features]
  Tensor bias_, grad_bias_;      // "bias": [out_features]; undefined when !options_.bias
};

}  // namespace ember::nn
