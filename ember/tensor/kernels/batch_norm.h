#pragma once
/// Batch normalization kernels over a contiguous x viewed as [N, C, S] (S = product of the spatial
/// sizes, 1 for [N, C]). Statistics are per channel over N*S values; `var` is the biased variance.
/// weight/bias ([C]) may be undefined (affine=false). Outputs are preallocated and contiguous.
/// oneDNN (float32) for the forward and input-gradient passes, reference otherwise.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// y = (x - mean) / sqrt(var + eps) * weight + bias with the batch statistics, which are written to
/// save_mean and save_var ([C], biased variance).
void batch_norm_forward_training(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var);
/// Same with given statistics (the running ones in evaluation mode).
void batch_norm_forward_inference(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y);
/// Input gradient. With `batch_stats` mean/var are the batch statistics of x and the gradient
/// flows through them; otherwise they are constants (evaluation mode).
void batch_norm_backward_data(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                              const Tensor& var, double eps, bool batch_stats, Tensor& grad_x);
/// grad_weight += sum(grad_y * xhat), grad_bias += sum(grad_y) per channel (either may be undefined).
void batch_norm_backward_params(const Tensor& grad_y, const Tensor& x, const Tensor& mean, const Tensor& var,
                                double eps, Tensor& grad_weight, Tensor& grad_bias);

namespace reference {
void batch_norm_forward_training(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var);
void batch_norm_forward_inference(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y);
void batch_norm_backward_data(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                              const Tensor& var, double eps, bool batch_stats, Tensor& grad_x);
void batch_norm_backward_params(const Tensor& grad_y, const Tensor& x, const Tensor& mean, const Tensor& var,
                                double eps, Tensor& grad_weight, Tensor& grad_bias);
}  // namespace reference

namespace onednn {
void batch_norm_forward_training(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var);
void batch_norm_forward_inference(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y);
void batch_norm_backward_data(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                              const Tensor& var, double eps, bool batch_stats, Tensor& grad_x);
}  // namespace onednn

}  // namespace ember::kernels
