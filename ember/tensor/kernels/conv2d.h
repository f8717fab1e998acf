#pragma once
/// 2-d convolution and transposed convolution kernels (NCHW).
///
/// Convolution: x [N, C, H, W], weight [O, C/groups, kH, kW], bias [O], y [N, O, OH, OW] with
/// OH = (H + 2*pad_h - dilation_h*(kH-1) - 1) / stride_h + 1 (PyTorch's formula, dilation >= 1).
/// Transposed convolution (the adjoint of convolution w.r.t. its input): x [N, C, H, W], weight
/// [C, O/groups, kH, kW] (PyTorch's ConvTranspose2d layout), bias [O], y [N, O, OH, OW] with
/// OH = (H-1)*stride_h - 2*pad_h + dilation_h*(kH-1) + output_padding_h + 1; the output size is
/// read from y, so output_padding is implied by y's shape.
///
/// The dispatching functions pick oneDNN (float32) or the reference kernel (float32/float64);
/// `reference::` and `onednn::` are callable directly for backend-consistency tests. Shapes are
/// validated by the layers, not here. Outputs are preallocated contiguous tensors; y / grad_x are
/// overwritten, parameter gradients accumulate (+=). Bias / grad_b may be undefined.

#include <cstddef>
#include <cstdint>

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// Geometry shared by every convolution kernel. Dilation is PyTorch's (1 = dense).
struct Conv2dParams {
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t groups = 1;
};

/// y = conv(x, weight) + bias.
void conv2d_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y, const Conv2dParams& p);
/// grad_x = d(conv)/dx^T grad_y (overwrites grad_x, whose shape gives the input size).
void conv2d_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x, const Conv2dParams& p);
/// grad_w += d(conv)/dw^T grad_y; grad_b += sum of grad_y over N, OH, OW.
void conv2d_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b,
                             const Conv2dParams& p);

/// y = conv_transpose(x, weight) + bias (overwrites y, whose shape gives the output size).
void conv_transpose2d_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y,
                              const Conv2dParams& p);
/// grad_x = conv(grad_y, weight) (overwrites grad_x).
void conv_transpose2d_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x,
                                    const Conv2dParams& p);
/// grad_w += d/dw, grad_b += sum of grad_y over N, OH, OW.
void conv_transpose2d_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b,
                                       const Conv2dParams& p);

/// Number of cached oneDNN convolution / deconvolution primitives on the calling thread (all
/// directions together); 0 without oneDNN. A test hook: the steady state must not grow it.
size_t conv2d_cache_size();

namespace reference {
void conv2d_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y, const Conv2dParams& p);
void conv2d_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x, const Conv2dParams& p);
void conv2d_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b,
                             const Conv2dParams& p);
void conv_transpose2d_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y,
                              const Conv2dParams& p);
void conv_transpose2d_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x,
                                    const Conv2dParams& p);
void conv_transpose2d_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b,
                                       const Conv2dParams& p);
}  // namespace reference

namespace onednn {
void conv2d_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y, const Conv2dParams& p);
void conv2d_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x, const Conv2dParams& p);
void conv2d_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b,
                             const Conv2dParams& p);
void conv_transpose2d_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y,
                              const Conv2dParams& p);
void conv_transpose2d_backward_data(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x,
                                    const Conv2dParams& p);
void conv_transpose2d_backward_weights(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b,
                                       const Conv2dParams& p);
size_t cache_size();
}  // namespace onednn

}  // namespace ember::kernels
