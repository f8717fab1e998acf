#include "ember/tensor/kernels/lrn.h"

#include "ember/tensor/kernels/backend.h"

namespace ember::kernels {

void lrn_forward(const Tensor& x, const LrnParams& p, Tensor& y, Tensor& workspace) {
  // oneDNN's window for an even size is not PyTorch's (which reaches one channel further back).
  if (use_onednn(x.dtype()) && p.size % 2 == 1) return onednn::lrn_forward(x, p, y, workspace);
  reference::lrn_forward(x, p, y, workspace);
}

void lrn_backward(const Tensor& gy, const Tensor& x, const LrnParams& p, const Tensor& workspace, Tensor& gx) {
  // The forward pass decided the backend: a oneDNN workspace or none.
  if (workspace.defined() && workspace.dtype() == DType::UInt8) return onednn::lrn_backward(gy, x, p, workspace, gx);
  reference::lrn_backward(gy, x, p, gx);
}

}  // namespace ember::kernels
