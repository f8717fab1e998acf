#pragma once
/// Nearest-neighbour 2-d upsampling by integer factors. x: [N, C, H, W] (any strides),
/// y: [N, C, H * scale_h, W * scale_w] contiguous. Only a reference kernel: the op is a strided copy
/// and oneDNN's resampling would not beat it. `reference::` is callable directly.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// y[n, c, i, j] = x[n, c, i / scale_h, j / scale_w].
void upsampling_nearest2d_forward(const Tensor& x, int64_t scale_h, int64_t scale_w, Tensor& y);
/// grad_x[n, c, i, j] = sum of grad_y over the scale_h x scale_w block it was copied to
/// (overwrites grad_x, a contiguous [N, C, H, W] tensor; grad_y may have any strides).
void upsampling_nearest2d_backward(const Tensor& grad_y, int64_t scale_h, int64_t scale_w, Tensor& grad_x);

namespace reference {
void upsampling_nearest2d_forward(const Tensor& x, int64_t scale_h, int64_t scale_w, Tensor& y);
void upsampling_nearest2d_backward(const Tensor& grad_y, int64_t scale_h, int64_t scale_w, Tensor& grad_x);
}  // namespace reference

}  // namespace ember::kernels
