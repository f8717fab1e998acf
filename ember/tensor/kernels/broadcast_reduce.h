#pragma once
/// The gradient of a broadcast parameter: sums over the dimensions along which the parameter was
/// broadcast (NumPy rules, aligned on the right). Reference kernel only; no allocation.

#include "ember/tensor/tensor.h"

namespace ember::kernels {

/// dst += a * b summed down to dst's shape (b undefined: dst += a summed). a and b have the same
/// shape, to which dst (contiguous) broadcasts. Example: a, b [N, C, H, W], dst [C, 1, 1].
void accumulate_broadcast_sum(const Tensor& a, const Tensor& b, Tensor& dst);

/// `shape` with leading 1s added to reach `ndim` dims (the NumPy alignment of a broadcast operand).
Shape align_right(const Shape& shape, int64_t ndim);

/// True when `shape` broadcasts to `target` (right-aligned; each size equals or is 1).
bool broadcasts_to(const Shape& shape, const Shape& target);

}  // namespace ember::kernels
