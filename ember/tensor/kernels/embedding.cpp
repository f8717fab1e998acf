#include "ember/tensor/kernels/embedding.h"

namespace ember::kernels {

void embedding_forward(const Tensor& w, const Tensor& idx, Tensor& out) { reference::embedding_forward(w, idx, out); }

void embedding_backward(const Tensor& idx, const Tensor& g, Tensor& gw, int64_t padding_idx, bool scale) {
  reference::embedding_backward(idx, g, gw, padding_idx, scale);
}

void embedding_renorm(Tensor& w, const Tensor& idx, double max_norm, double norm_type) {
  reference::embedding_renorm(w, idx, max_norm, norm_type);
}

}  // namespace ember::kernels
