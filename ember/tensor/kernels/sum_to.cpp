#include "ember/tensor/kernels/sum_to.h"

namespace ember::kernels {

void sum_to(const Tensor& g, Tensor& out) { reference::sum_to(g, out); }

}  // namespace ember::kernels
