#include "ember/tensor/kernels/conv2d.h"

#include "ember/tensor/kernels/backend.h"

namespace ember::kernels {

namespace {
// Empty tensors (a batch of 0) take the reference loops, which handle them trivially, so no oneDNN
// primitive is ever created for a zero-sized dimension.
bool onednn_ok(const Tensor& a, const Tensor& b) { return use_onednn(a.dtype()) && a.numel() > 0 && b.numel() > 0; }
}  // namespace

void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  if (onednn_ok(x, y)) return onednn::conv2d_forward(x, w, b, y, p);
  reference::conv2d_forward(x, w, b, y, p);
}

void conv2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  if (onednn_ok(gy, gx)) return onednn::conv2d_backward_data(gy, w, gx, p);
  reference::conv2d_backward_data(gy, w, gx, p);
}

void conv2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb, const Conv2dParams& p) {
  if (onednn_ok(x, gy)) return onednn::conv2d_backward_weights(x, gy, gw, gb, p);
  reference::conv2d_backward_weights(x, gy, gw, gb, p);
}

void conv_transpose2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  if (onednn_ok(x, y)) return onednn::conv_transpose2d_forward(x, w, b, y, p);
  reference::conv_transpose2d_forward(x, w, b, y, p);
}

void conv_transpose2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  if (onednn_ok(gy, gx)) return onednn::conv_transpose2d_backward_data(gy, w, gx, p);
  reference::conv_transpose2d_backward_data(gy, w, gx, p);
}

void conv_transpose2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb,
                                       const Conv2dParams& p) {
  if (onednn_ok(x, gy)) return onednn::conv_transpose2d_backward_weights(x, gy, gw, gb, p);
  reference::conv_transpose2d_backward_weights(x, gy, gw, gb, p);
}

size_t conv2d_cache_size() { return onednn::cache_size(); }

}  // namespace ember::kernels
