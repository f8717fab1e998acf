#include "ember/tensor/kernels/layer_norm.h"

#include "ember/tensor/kernels/backend.h"

namespace ember::kernels {

void layer_norm_forward(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y, Tensor& mean,
                        Tensor& var) {
  if (use_onednn(x.dtype())) return onednn::layer_norm_forward(x, w, b, eps, y, mean, var);
  reference::layer_norm_forward(x, w, b, eps, y, mean, var);
}

void layer_norm_backward_data(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean,
                              const Tensor& var, double eps, Tensor& gx) {
  if (use_onednn(x.dtype())) return onednn::layer_norm_backward_data(gy, x, w, mean, var, eps, gx);
  reference::layer_norm_backward_data(gy, x, w, mean, var, eps, gx);
}

void layer_norm_backward_params(const Tensor& gy, const Tensor& x, const Tensor& mean, const Tensor& var, double eps,
                                Tensor& gw, Tensor& gb) {
  // Per-column reductions that accumulate, as for batch norm.
  reference::layer_norm_backward_params(gy, x, mean, var, eps, gw, gb);
}

}  // namespace ember::kernels
