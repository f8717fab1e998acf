#include "ember/tensor/kernels/linear.h"

#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/ops.h"

namespace ember::kernels {

void linear_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y) {
  if (use_onednn(x.dtype())) return onednn::linear_forward(x, w, b, y);
  if (!use_blas()) return reference::linear_forward(x, w, b, y);
  if (b.defined()) {
    y.copy_(b.unsqueeze(0).expand(y.shape()));
    addmm_out(y, x, w.t(), 1.0, 1.0);
  } else {
    addmm_out(y, x, w.t(), 0.0, 1.0);
  }
}

void linear_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx) {
  if (use_onednn(gy.dtype())) return onednn::linear_backward_data(gy, w, gx);
  if (!use_blas()) return reference::linear_backward_data(gy, w, gx);
  addmm_out(gx, gy, w, 0.0, 1.0);
}

void linear_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb) {
  // BLAS accumulates in place (beta = 1) with no scratch, which beats oneDNN's overwrite-then-add.
  if (!use_blas()) return reference::linear_backward_weights(x, gy, gw, gb);
  addmm_out(gw, gy.t(), x, 1.0, 1.0);
  if (gb.defined()) {
    // Row sums accumulated straight into grad_b (no temporary).
    dispatch_floating(gy.dtype(), "linear", [&]<class T>() {
      const Tensor gc = gy.contiguous();
      const T* pg = gc.data<T>();
      T* pb = gb.data<T>();
      const int64_t n = gc.size(0), out = gc.size(1);
      for (int64_t i = 0; i < n; ++i)
        for (int64_t o = 0; o < out; ++o) pb[o] += pg[i * out + o];
    });
  }
}

}  // namespace ember::kernels
