#pragma once
/// Layer normalization kernels over a contiguous x viewed as [M, D]: each row is normalized over
/// its D values. weight/bias hold D values (undefined when not elementwise_affine). Reference only:
/// the rows are short and the loops are memory bound.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// y = (x - mean) * rstd * weight + bias per row; writes mean and rstd = 1/sqrt(var + eps) ([M]).
void layer_norm_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                        Tensor& mean, Tensor& rstd);
/// grad_x = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = grad_y * weight.
void layer_norm_backward_data(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                              const Tensor& rstd, Tensor& grad_x);
/// grad_weight += sum over rows of grad_y * xhat, grad_bias += sum over rows of grad_y.
void layer_norm_backward_params(const Tensor& grad_y, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                                Tensor& grad_weight, Tensor& grad_bias);

namespace reference {
void layer_norm_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& y,
                        Tensor& mean, Tensor& rstd);
void layer_norm_backward_data(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                              const Tensor& rstd, Tensor& grad_x);
void layer_norm_backward_params(const Tensor& grad_y, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                                Tensor& grad_weight, Tensor& grad_bias);
}  // namespace reference

}  // namespace ember::kernels
