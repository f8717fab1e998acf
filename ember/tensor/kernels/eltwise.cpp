#include "ember/tensor/kernels/eltwise.h"

#include "ember/tensor/kernels/backend.h"

namespace ember::kernels {

bool eltwise_backward_uses_output(const EltwiseParams& p) {
  switch (p.alg) {
    case Eltwise::ReLU:
    case Eltwise::Tanh:
    case Eltwise::Sigmoid: return true;
    // x = log(y / alpha + 1) is only recoverable from y for a positive alpha.
    case Eltwise::ELU: return p.alpha > 0;
    default: return false;
  }
}

void eltwise_forward(const EltwiseParams& p, const Tensor& x, Tensor& y) {
  if (use_onednn(x.dtype()) && onednn::eltwise_supported(p)) return onednn::eltwise_forward(p, x, y);
  reference::eltwise_forward(p, x, y);
}

void eltwise_backward(const EltwiseParams& p, const Tensor& x, const Tensor& y, const Tensor& gy, Tensor& gx) {
  if (use_onednn(gy.dtype()) && onednn::eltwise_supported(p)) return onednn::eltwise_backward(p, x, y, gy, gx);
  reference::eltwise_backward(p, x, y, gy, gx);
}

}  // namespace ember::kernels
