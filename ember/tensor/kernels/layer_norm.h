#pragma once
/// Layer normalization kernels over a contiguous x viewed as [M, D]: each row is normalized over
/// its D values. weight/bias hold D values (undefined when not elementwise_affine); mean and var
/// ([M], biased variance) are the row statistics. oneDNN (float32) for the forward and input-gradient
/// passes, reference otherwise.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// y = (x - mean) / sqrt(var + eps) * weight + bias per row; writes the row mean and var.
void layer_norm_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                        Tensor& mean, Tensor& var);
/// grad_x = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = grad_y * weight, rstd = 1/sqrt(var + eps).
void layer_norm_backward_data(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                              const Tensor& var, double eps, Tensor& grad_x);
/// grad_weight += sum over rows of grad_y * xhat, grad_bias += sum over rows of grad_y.
void layer_norm_backward_params(const Tensor& grad_y, const Tensor& x, const Tensor& mean, const Tensor& var,
                                double eps, Tensor& grad_weight, Tensor& grad_bias);

namespace reference {
void layer_norm_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                        Tensor& mean, Tensor& var);
void layer_norm_backward_data(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                              const Tensor& var, double eps, Tensor& grad_x);
void layer_norm_backward_params(const Tensor& grad_y, const Tensor& x, const Tensor& mean, const Tensor& var,
                                double eps, Tensor& grad_weight, Tensor& grad_bias);
}  // namespace reference

namespace onednn {
void layer_norm_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                        Tensor& mean, Tensor& var);
void layer_norm_backward_data(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                              const Tensor& var, double eps, Tensor& grad_x);
}  // namespace onednn

}  // namespace ember::kernels
