#pragma once
/// Local response normalization across channels (torch.nn.LocalResponseNorm, BigDL
/// SpatialCrossMapLRN) over a contiguous x viewed as [N, C, S]:
///   y[c] = x[c] / (k + alpha / size * sum_{c' in [c - size/2, c + (size-1)/2]} x[c']^2) ^ beta,
/// channels outside [0, C) contributing 0. oneDNN (float32, odd size), else reference.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// Parameters of LRN.
struct LrnParams {
  int64_t size = 5;
  double alpha = 1e-4, beta = 0.75, k = 1.0;
};

/// y (preallocated, x's shape) from x. `workspace` is set by the kernel: the oneDNN workspace
/// (uint8) or undefined for the reference kernel; pass it back unchanged to lrn_backward.
void lrn_forward(const Tensor& x, const LrnParams& p, Tensor& y, Tensor& workspace);
/// grad_x (preallocated, overwritten) from grad_y, x and the forward's workspace.
void lrn_backward(const Tensor& grad_y, const Tensor& x, const LrnParams& p, const Tensor& workspace, Tensor& grad_x);

namespace reference {
void lrn_forward(const Tensor& x, const LrnParams& p, Tensor& y, Tensor& workspace);
void lrn_backward(const Tensor& grad_y, const Tensor& x, const LrnParams& p, Tensor& grad_x);
}  // namespace reference

namespace onednn {
void lrn_forward(const Tensor& x, const LrnParams& p, Tensor& y, Tensor& workspace);
void lrn_backward(const Tensor& grad_y, const Tensor& x, const LrnParams& p, const Tensor& workspace, Tensor& grad_x);
}  // namespace onednn

}  // namespace ember::kernels
