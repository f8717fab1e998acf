#pragma once
#include <vector>

#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `LayerNorm`. Field names are the Python keyword arguments.
///
/// Example:
///   LayerNormOptions{.normalized_shape = {512}, .eps = 1e-6}
struct LayerNormOptions {
  /// The trailing dimensions normalized together, e.g. {C, H, W} or {hidden}.
  std::vector<int64_t> normalized_shape;
  double eps = 1e-5;
  bool elementwise_affine = true;
  template <class V>
  void visit(V&& v) {
    v("normalized_shape", normalized_shape);
    v("eps", eps);
    v("elementwise_affine", elementwise_affine);
  }
};

/// Layer normalization: each sample is normalized over its trailing `normalized_shape` dims,
/// y = (x - mean) / sqrt(var + eps) * weight + bias (biased variance, statistics per sample, same in
/// training and evaluation; oneDNN for float32). Input [*, normalized_shape...] -> same shape.
/// Parameters "weight" (init 1) and "bias" (init 0) of shape normalized_shape when elementwise_affine.
/// BigDL: LayerNormalization (BigDL normalizes the last dim only; this is PyTorch's LayerNorm).
///
/// Example:
///   auto ln = std::make_shared<LayerNorm>(LayerNormOptions{.normalized_shape = {64}});
class LayerNorm final : public TensorModule {
 public:
  using Options = LayerNormOptions;
  static constexpr std::string_view kTypeName = "nn.LayerNorm";

  explicit LayerNorm(LayerNormOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  void acc_grad_parameters(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const LayerNormOptions& options() const { return options_; }

  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }
  Tensor& grad_weight() { return grad_weight_; }
  Tensor& grad_bias() { return grad_bias_; }

 protected:
  void reset_parameters() override;

 private:
  /// Checks the input and returns it as a contiguous [M, D] view.
  Tensor check_input(const Tensor& input) const;
  /// Checks that a forward ran on an input of this shape (backward reuses its statistics).
  void check_forward_shape(const Tensor& input) const;
  LayerNormOptions options_;
  int64_t d_ = 1;                                   // product of normalized_shape
  Tensor weight_, grad_weight_, bias_, grad_bias_;  // normalized_shape; undefined without affine
  Tensor mean_, var_;                               // [M] row statistics of the last forward
  Shape forward_shape_;                             // input shape of the last forward (empty before one)
};

}  // namespace ember::nn
