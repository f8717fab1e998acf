#include "ember/tensor/kernels/batch_norm.h"

#include "ember/tensor/kernels/backend.h"

namespace ember::kernels {

// The fast backend (Auto) takes the direct float32 kernel; Backend::Reference forces the oracle.
static bool use_direct(const Tensor& x) { return use_onednn(x.dtype()) && direct::supported(x); }

void batch_norm_forward_training(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var) {
  if (use_direct(x)) return direct::batch_norm_forward_training(x, w, b, eps, y, save_mean, save_var);
  reference::batch_norm_forward_training(x, w, b, eps, y, save_mean, save_var);
}

void batch_norm_forward_inference(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y) {
  if (use_direct(x)) return direct::batch_norm_forward_inference(x, w, b, mean, var, eps, y);
  reference::batch_norm_forward_inference(x, w, b, mean, var, eps, y);
}

void batch_norm_backward(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean, const Tensor& var,
                         double eps, bool batch_stats, Tensor* gx, Tensor& sums) {
  if (use_direct(x) && gy.is_contiguous()) return direct::batch_norm_backward(gy, x, w, mean, var, eps, batch_stats, gx, sums);
  reference::batch_norm_backward(gy, x, w, mean, var, eps, batch_stats, gx, sums);
}

}  // namespace ember::kernels
