#pragma once
/// Embedding (lookup table) kernels. weight: [V, D]; indices: contiguous int64 [n], already checked
/// to lie in [0, V); rows: [n, D]. Reference kernels only (gathers and scatters of rows).

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// out[i, :] = weight[indices[i], :]; out is a contiguous [n, D] tensor.
void embedding_forward(const Tensor& weight, const Tensor& indices, Tensor& out);
/// grad_weight[indices[i], :] += grad_out[i, :] (grad_out [n, D], any strides), skipping rows equal
/// to padding_idx (-1: none) and dividing by the index's count in the batch when scale_grad_by_freq.
void embedding_backward(const Tensor& indices, const Tensor& grad_out, Tensor& grad_weight, int64_t padding_idx,
                        bool scale_grad_by_freq);
/// Rescales, in place, each referenced row of weight whose norm_type-norm exceeds max_norm to
/// norm max_norm (PyTorch's embedding_renorm_: scale = max_norm / (norm + 1e-7)).
void embedding_renorm(Tensor& weight, const Tensor& indices, double max_norm, double norm_type);

namespace reference {
void embedding_forward(const Tensor& weight, const Tensor& indices, Tensor& out);
void embedding_backward(const Tensor& indices, const Tensor& grad_out, Tensor& grad_weight, int64_t padding_idx,
                        bool scale_grad_by_freq);
void embedding_renorm(Tensor& weight, const Tensor& indices, double max_norm, double norm_type);
}  // namespace reference

}  // namespace ember::kernels
