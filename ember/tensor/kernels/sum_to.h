#pragma once
/// Sum of a broadcast gradient back to an operand's shape (the backward of NumPy broadcasting):
/// out[i] = sum of g over every position that out[i] was broadcast to. Reference kernel only.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// `out` is a contiguous tensor whose shape broadcasts to g.shape(); it is overwritten.
void sum_to(const Tensor& g, Tensor& out);

namespace reference {
void sum_to(const Tensor& g, Tensor& out);
}  // namespace reference

}  // namespace ember::kernels
