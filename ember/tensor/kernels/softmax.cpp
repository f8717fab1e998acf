#include "ember/tensor/kernels/softmax.h"

#include "ember/tensor/kernels/backend.h"

namespace ember::kernels {

SoftmaxDims softmax_dims(const Shape& shape, int64_t dim) {
  SoftmaxDims d{1, shape.size() == 0 ? 1 : shape[dim], 1};
  for (int64_t i = 0; i < dim; ++i) d.outer *= shape[i];
  for (int64_t i = dim + 1; i < shape.size(); ++i) d.inner *= shape[i];
  return d;
}

void softmax_forward(const Tensor& x, int64_t dim, bool log, Tensor& y) {
  if (use_onednn(x.dtype())) return onednn::softmax_forward(x, dim, log, y);
  reference::softmax_forward(x, dim, log, y);
}

void softmax_backward(const Tensor& y, const Tensor& gy, int64_t dim, bool log, Tensor& gx) {
  if (use_onednn(gy.dtype())) return onednn::softmax_backward(y, gy, dim, log, gx);
  reference::softmax_backward(y, gy, dim, log, gx);
}

}  // namespace ember::kernels
