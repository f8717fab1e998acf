#pragma once
/// 2-d pooling kernels over contiguous NCHW tensors: max and average pooling with explicit
/// window geometry (PyTorch's output-size and divisor rules), and adaptive average pooling.
/// The dispatching functions pick oneDNN for float32 where it gives PyTorch's numbers, else the
/// reference kernel; `reference::` and `onednn::` are callable directly for consistency tests.
/// Outputs are preallocated contiguous tensors of the right shape unless said otherwise.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// Window geometry of a 2-d pooling: kernel, stride, padding (top/left, applied on both sides),
/// ceil_mode and the output size computed by `pool_output_size`.
struct Pool2dParams {
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0;
  int64_t oh = 1, ow = 1;
  bool ceil_mode = false;
  bool count_include_pad = true;  // average pooling only
};

/// PyTorch's pooling output size: floor or ceil of (in + 2 pad - k) / s + 1, and with ceil_mode the
/// last window must start inside the input or the left padding. May be < 1 (callers check).
int64_t pool_output_size(int64_t in, int64_t k, int64_t s, int64_t pad, bool ceil_mode);

/// Max pooling. x [N, C, H, W] -> y [N, C, oh, ow]. `indices` is resized by the kernel and keeps
/// what the backward pass needs: int64 argmax offsets (h * W + w) from the reference kernel, or the
/// oneDNN workspace (uint8 bytes). Pass it back unchanged to max_pool2d_backward.
void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& indices);
/// gx [N, C, H, W] (overwritten) from gy [N, C, oh, ow] and the forward's `indices`.
void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& indices, Tensor& gx);

/// Average pooling. x [N, C, H, W] -> y [N, C, oh, ow].
void avg_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y);
/// gx [N, C, H, W] (overwritten) from gy [N, C, oh, ow].
void avg_pool2d_backward(const Tensor& gy, const Pool2dParams& p, Tensor& gx);

/// Adaptive average pooling (reference only): window i spans [floor(i*in/out), ceil((i+1)*in/out)).
/// x [N, C, H, W] -> y [N, C, oh, ow].
void adaptive_avg_pool2d_forward(const Tensor& x, Tensor& y);
/// gx [N, C, H, W] (overwritten) from gy [N, C, oh, ow].
void adaptive_avg_pool2d_backward(const Tensor& gy, Tensor& gx);

namespace reference {
void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& indices);
void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& indices, Tensor& gx);
void avg_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y);
void avg_pool2d_backward(const Tensor& gy, const Pool2dParams& p, Tensor& gx);
void adaptive_avg_pool2d_forward(const Tensor& x, Tensor& y);
void adaptive_avg_pool2d_backward(const Tensor& gy, Tensor& gx);
}  // namespace reference

/// The common 2x2, stride 2, unpadded max pooling over float32 whose windows tile the input
/// exactly: a direct loop that beats oneDNN's plain-NCHW pooling about 3x. It keeps int32 window
/// positions (0-3) in `indices`, which tells max_pool2d_backward to use it too.
namespace tiled2x2 {
bool supported(const Tensor& x, const Pool2dParams& p);
void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& indices);
void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& indices, Tensor& gx);
}  // namespace tiled2x2

namespace onednn {
/// True when oneDNN's divisor matches PyTorch's for these parameters: it counts the ceil_mode
/// overhang past the padded input when count_include_pad is set, PyTorch does not.
bool avg_pool2d_supported(const Pool2dParams& p, int64_t h, int64_t w);
void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& workspace);
void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& workspace, Tensor& gx);
void avg_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y);
void avg_pool2d_backward(const Tensor& gy, const Pool2dParams& p, Tensor& gx);
}  // namespace onednn

}  // namespace ember::kernels
