#pragma once
/// Element-wise activation kernels, one entry point for every algorithm. x, y, grad_y, grad_x have
/// the same shape; y and grad_x are preallocated contiguous tensors (x and grad_y may be strided).
/// The dispatching functions pick oneDNN `eltwise_forward/eltwise_backward` (float32, where oneDNN
/// has the algorithm) else the reference kernel; `reference::`/`onednn::` are callable directly.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// The element-wise algorithms. alpha/beta meanings are listed per entry.
enum class Eltwise {
  ReLU,       // max(x, 0)
  LeakyReLU,  // x > 0 ? x : alpha * x              (alpha = negative_slope)
  ELU,        // x > 0 ? x : alpha * (exp(x) - 1)
  Tanh,
  Sigmoid,
  HardTanh,   // min(max(x, alpha), beta)           (ReLU6: alpha = 0, beta = 6)
  SoftPlus,   // log(1 + exp(beta * x)) / beta, x when beta * x > alpha (alpha = threshold)
  SoftSign,   // x / (1 + |x|)
};

/// An algorithm with its two scalar parameters.
struct EltwiseParams {
  Eltwise alg = Eltwise::ReLU;
  double alpha = 0.0;
  double beta = 0.0;
};

/// True when the backward pass reads the forward output y instead of the input x (ReLU, ELU with
/// alpha >= 0, Tanh, Sigmoid: what Torch does, and oneDNN's faster `*_use_dst_for_bwd`).
bool eltwise_backward_uses_output(const EltwiseParams& p);

/// y = f(x).
void eltwise_forward(const EltwiseParams& p, const Tensor& x, Tensor& y);
/// grad_x = f'(x) * grad_y, computed from y when eltwise_backward_uses_output(p), else from x.
/// Only the tensor that is read needs to be defined.
void eltwise_backward(const EltwiseParams& p, const Tensor& x, const Tensor& y, const Tensor& grad_y,
                      Tensor& grad_x);

namespace reference {
void eltwise_forward(const EltwiseParams& p, const Tensor& x, Tensor& y);
void eltwise_backward(const EltwiseParams& p, const Tensor& x, const Tensor& y, const Tensor& grad_y,
                      Tensor& grad_x);
}  // namespace reference

namespace onednn {
/// True when oneDNN implements p exactly (SoftSign never; SoftPlus only for beta = 1, threshold >= 20).
bool eltwise_supported(const EltwiseParams& p);
void eltwise_forward(const EltwiseParams& p, const Tensor& x, Tensor& y);
void eltwise_backward(const EltwiseParams& p, const Tensor& x, const Tensor& y, const Tensor& grad_y,
                      Tensor& grad_x);
}  // namespace onednn

}  // namespace ember::kernels
