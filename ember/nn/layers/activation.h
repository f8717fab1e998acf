#pragma once
/// Activation: the shared base of the element-wise activation layers (ReLU, Tanh, ...). Any shape,
/// float32 or float64; output and grad_input have the input's shape. A derived layer only names
/// its type and options and passes its kernel algorithm.

#include "ember/nn/module.h"
#include "ember/tensor/kernels/eltwise.h"

namespace ember::nn {

/// Base of element-wise activations: y = f(x), grad_x = f'(x) * grad_y through kernels::eltwise_*.
/// Backward reads the saved output where f' is a function of y (ReLU, ELU, Tanh, Sigmoid), so the
/// forward output must not be modified between forward and backward (as in Torch).
class Activation : public TensorModule {
 public:
  /// Concrete activations derive from `OptionsLayer<Xxx, XxxOptions, Activation>`.
  explicit Activation(kernels::EltwiseParams params) : params_(params) {}
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  /// The kernel algorithm and its parameters.
  const kernels::EltwiseParams& eltwise_params() const { return params_; }

 private:
  kernels::EltwiseParams params_;
};

}  // namespace ember::nn
