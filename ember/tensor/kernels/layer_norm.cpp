#include "ember/tensor/kernels/layer_norm.h"

namespace ember::kernels {

void layer_norm_forward(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y, Tensor& mean,
                        Tensor& rstd) {
  reference::layer_norm_forward(x, w, b, eps, y, mean, rstd);
}

void layer_norm_backward_data(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean,
                              const Tensor& rstd, Tensor& gx) {
  reference::layer_norm_backward_data(gy, x, w, mean, rstd, gx);
}

void layer_norm_backward_params(const Tensor& gy, const Tensor& x, const Tensor& mean, const Tensor& rstd, Tensor& gw,
                                Tensor& gb) {
  reference::layer_norm_backward_params(gy, x, mean, rstd, gw, gb);
}

}  // namespace ember::kernels
