#pragma once
/// PReLU kernels: y = x > 0 ? x : w * x with w broadcast to x (w already viewed/expanded to x's
/// shape by the caller, stride 0 on the broadcast dims). Reference kernels only: the op is memory
/// bound and oneDNN 2.6's prelu adds nothing for per-channel weights here.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// y = x > 0 ? x : w * x. y contiguous, same shape as x.
void prelu_forward(const Tensor& x, const Tensor& w_expanded, Tensor& y);
/// grad_x = x > 0 ? grad_y : w * grad_y.
void prelu_backward_data(const Tensor& x, const Tensor& w_expanded, const Tensor& grad_y, Tensor& grad_x);
/// grad_w += sum over broadcast dims of (x > 0 ? 0 : x * grad_y). grad_w is a view of the gradient
/// with x.dim() dims and size 1 on the broadcast dims (e.g. [1, C, 1, 1]).
void prelu_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w);

}  // namespace ember::kernels
