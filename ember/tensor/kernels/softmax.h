#pragma once
/// Softmax and log-softmax along one dimension. The tensor is seen as [outer, n, inner] with the
/// reduced dimension in the middle; y and grad_x are preallocated contiguous tensors of x's shape.
/// The dispatching functions pick oneDNN `softmax_*`/`logsoftmax_*` (float32) else the reference.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// y = softmax(x, dim) (or log_softmax when `log`); dim is already normalised to [0, x.dim()).
void softmax_forward(const Tensor& x, int64_t dim, bool log, Tensor& y);
/// grad_x from the forward output y: y * (gy - sum(gy * y)) or, for log, gy - exp(y) * sum(gy).
void softmax_backward(const Tensor& y, const Tensor& grad_y, int64_t dim, bool log, Tensor& grad_x);

namespace reference {
void softmax_forward(const Tensor& x, int64_t dim, bool log, Tensor& y);
void softmax_backward(const Tensor& y, const Tensor& grad_y, int64_t dim, bool log, Tensor& grad_x);
}  // namespace reference

namespace onednn {
void softmax_forward(const Tensor& x, int64_t dim, bool log, Tensor& y);
void softmax_backward(const Tensor& y, const Tensor& grad_y, int64_t dim, bool log, Tensor& grad_x);
}  // namespace onednn

/// {outer, n, inner} of `shape` around `dim`.
struct SoftmaxDims {
  int64_t outer, n, inner;
};
SoftmaxDims softmax_dims(const Shape& shape, int64_t dim);

}  // namespace ember::kernels
