#include "ember/tensor/kernels/pooling.h"

#include "ember/tensor/kernels/backend.h"

namespace ember::kernels {

int64_t pool_output_size(int64_t in, int64_t k, int64_t s, int64_t pad, bool ceil_mode) {
  const int64_t span = in + 2 * pad - k + (ceil_mode ? s - 1 : 0);
  // Floor division that rounds toward -inf, as PyTorch's div_rtn.
  int64_t out = (span >= 0 ? span / s : -((-span + s - 1) / s)) + 1;
  if (ceil_mode && (out - 1) * s >= in + pad) --out;
  return out;
}

void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& indices) {
  if (use_onednn(x.dtype()) && tiled2x2::supported(x, p)) return tiled2x2::max_pool2d_forward(x, p, y, indices);
  if (use_onednn(x.dtype())) return onednn::max_pool2d_forward(x, p, y, indices);
  reference::max_pool2d_forward(x, p, y, indices);
}

void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& indices, Tensor& gx) {
  // The forward pass decided the backend: its int64 argmax or its oneDNN workspace.
  if (indices.dtype() == DType::UInt8) return onednn::max_pool2d_backward(gy, p, indices, gx);
  if (indices.dtype() == DType::Int32) return tiled2x2::max_pool2d_backward(gy, p, indices, gx);
  reference::max_pool2d_backward(gy, p, indices, gx);
}

void avg_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y) {
  // oneDNN divides a ceil_mode window that overhangs the padded input by the full kernel area when
  // padding counts; PyTorch excludes the overhang. That case falls back to the reference kernel.
  if (use_onednn(x.dtype()) && onednn::avg_pool2d_supported(p, x.size(2), x.size(3)))
    return onednn::avg_pool2d_forward(x, p, y);
  reference::avg_pool2d_forward(x, p, y);
}

void avg_pool2d_backward(const Tensor& gy, const Pool2dParams& p, Tensor& gx) {
  if (use_onednn(gy.dtype()) && onednn::avg_pool2d_supported(p, gx.size(2), gx.size(3)))
    return onednn::avg_pool2d_backward(gy, p, gx);
  reference::avg_pool2d_backward(gy, p, gx);
}

void adaptive_avg_pool2d_forward(const Tensor& x, Tensor& y) { reference::adaptive_avg_pool2d_forward(x, y); }
void adaptive_avg_pool2d_backward(const Tensor& gy, Tensor& gx) { reference::adaptive_avg_pool2d_backward(gy, gx); }

namespace onednn {
bool avg_pool2d_supported(const Pool2dParams& p, int64_t h, int64_t w) {
  if (!p.count_include_pad) return true;
  // Right/bottom padding oneDNN needs to produce oh x ow; beyond `pad` it is ceil_mode overhang.
  const int64_t pr_h = (p.oh - 1) * p.sh + p.kh - h - p.ph;
  const int64_t pr_w = (p.ow - 1) * p.sw + p.kw - w - p.pw;
  return pr_h <= p.ph && pr_w <= p.pw;
}
}  // namespace onednn

}  // namespace ember::kernels
