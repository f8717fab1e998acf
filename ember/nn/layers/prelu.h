#pragma once
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `PReLU`. Field names are the Python keyword arguments.
struct PReLUOptions {
  /// 1 (one slope shared by every element) or the number of channels (dim 1 of the input).
  int64_t num_parameters = 1;
  /// Initial value of every slope.
  double init = 0.25;
  template <class V>
  void visit(V&& v) {
    v("num_parameters", num_parameters);
    v("init", init);
  }
};

/// y = x > 0 ? x : a_c * x with learnable slopes "weight" [num_parameters], per channel (dim 1)
/// when num_parameters > 1. Input of any shape ([N, C, ...] with C = num_parameters when > 1);
/// output of the same shape. Default init: every slope = init (weight_init_ overrides).
/// BigDL: PReLU (BigDL's nOutputPlane = 0 means num_parameters = 1).
///
/// Example:
///   auto act = std::make_shared<PReLU>(PReLUOptions{.num_parameters = 64});
class PReLU final : public OptionsLayer<PReLU, PReLUOptions> {
 public:
  static constexpr std::string_view kTypeName = "nn.PReLU";
  explicit PReLU(PReLUOptions options = {});
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  void acc_grad_parameters(const Tensor& input, const Tensor& grad_output) override;

  Tensor& weight() { return weight_; }
  Tensor& grad_weight() { return grad_weight_; }

 protected:
  void reset_parameters() override;

 private:
  /// Checks input and returns `t` ("weight" or its gradient) viewed with input.dim() dims.
  Tensor aligned(const Tensor& input, const Tensor& t) const;
  Tensor weight_, grad_weight_;  // "weight": [num_parameters]
};

}  // namespace ember::nn
