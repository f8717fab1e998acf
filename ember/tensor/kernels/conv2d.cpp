#include "ember/tensor/kernels/conv2d.h"

#include "ember/tensor/kernels/backend.h"

namespace ember::kernels {

void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  if (use_onednn(x.dtype())) return onednn::conv2d_forward(x, w, b, y, p);
  reference::conv2d_forward(x, w, b, y, p);
}

void conv2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  if (use_onednn(gy.dtype())) return onednn::conv2d_backward_data(gy, w, gx, p);
  reference::conv2d_backward_data(gy, w, gx, p);
}

void conv2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb, const Conv2dParams& p) {
  if (use_onednn(x.dtype())) return onednn::conv2d_backward_weights(x, gy, gw, gb, p);
  reference::conv2d_backward_weights(x, gy, gw, gb, p);
}

void conv_transpose2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  if (use_onednn(x.dtype())) return onednn::conv_transpose2d_forward(x, w, b, y, p);
  reference::conv_transpose2d_forward(x, w, b, y, p);
}

void conv_transpose2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  if (use_onednn(gy.dtype())) return onednn::conv_transpose2d_backward_data(gy, w, gx, p);
  reference::conv_transpose2d_backward_data(gy, w, gx, p);
}

void conv_transpose2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb,
                                       const Conv2dParams& p) {
  if (use_onednn(x.dtype())) return onednn::conv_transpose2d_backward_weights(x, gy, gw, gb, p);
  reference::conv_transpose2d_backward_weights(x, gy, gw, gb, p);
}

size_t conv2d_cache_size() { return onednn::cache_size(); }

}  // namespace ember::kernels
