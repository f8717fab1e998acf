#pragma once
/// Batch normalization kernels over a contiguous x viewed as [N, C, S] (S = product of the spatial
/// sizes, 1 for [N, C]). Statistics are per channel over N*S values; `var` is the biased variance.
/// weight/bias ([C]) may be undefined (affine=false). Outputs are preallocated and contiguous.
/// A direct vectorized float32 kernel (batch_norm_direct.cpp) on the fast backend, reference otherwise.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// y = (x - mean) / sqrt(var + eps) * weight + bias with the batch statistics, which are written to
/// save_mean and save_var ([C], biased variance).
void batch_norm_forward_training(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var);
/// Same with given statistics (the running ones in evaluation mode).
void batch_norm_forward_inference(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y);
/// One backward pass: the per-channel sums the parameter gradients need, written to `sums`
/// ([2, C] float64: sum(grad_y), sum(grad_y * xhat)), and, when grad_x is not null, the input
/// gradient. With `batch_stats` mean/var are the batch statistics of x and the gradient flows
/// through them; otherwise they are constants (evaluation mode).
void batch_norm_backward(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                         const Tensor& var, double eps, bool batch_stats, Tensor* grad_x, Tensor& sums);

namespace reference {
void batch_norm_forward_training(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var);
void batch_norm_forward_inference(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y);
void batch_norm_backward(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                         const Tensor& var, double eps, bool batch_stats, Tensor* grad_x, Tensor& sums);
}  // namespace reference

/// Float32, contiguous: vectorized loops, channels in parallel (batch_norm_direct.cpp).
namespace direct {
bool supported(const Tensor& x);
void batch_norm_forward_training(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var);
void batch_norm_forward_inference(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y);
void batch_norm_backward(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                         const Tensor& var, double eps, bool batch_stats, Tensor* grad_x, Tensor& sums);
}  // namespace direct

}  // namespace ember::kernels
