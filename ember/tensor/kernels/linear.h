#pragma once
/// Fully connected (inner product) kernels. x: [N, I], weight: [O, I], bias: [O], y: [N, O].
/// The dispatching functions pick oneDNN (float32), else BLAS GEMM, else the reference kernel;
/// `reference::` and `onednn::` are callable directly for backend-consistency tests.
/// All outputs are preallocated contiguous tensors. Parameter gradients accumulate (+=).

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// y = x W^T + b (bias may be undefined).
void linear_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y);
/// grad_x = grad_y W.
void linear_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x);
/// grad_w += grad_y^T x; grad_b += sum over rows of grad_y (grad_b may be undefined).
void linear_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b);

namespace reference {
void linear_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y);
void linear_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x);
void linear_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b);
}  // namespace reference

namespace onednn {
void linear_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y);
void linear_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x);
void linear_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b);
}  // namespace onednn

}  // namespace ember::kernels
