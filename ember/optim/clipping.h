#pragma once
/// Gradient clipping on the flat gradient buffer (BigDL: ConstantClippingProcessor and
/// L2NormClippingProcessor, set with optimizer.setConstantGradientClipping /
/// setGradientClippingByl2Norm). The numbers follow torch.nn.utils.clip_grad_value_ and
/// clip_grad_norm_ (norm_type 2).
///
///   double norm = optim::clip_by_global_norm(flat_grad, 5.0);

#include "ember/tensor/tensor.h"

namespace ember::optim {

/// Clamps every element of `grad` (float32/float64, any shape) to [min, max] in place. BigDL:
/// ConstantClippingProcessor; PyTorch: clip_grad_value_ (which takes one bound, +-clip_value).
void clip_by_value(Tensor& grad, double min, double max);

/// Sum of squares of `grad`, in double: what ranks all-reduce before clip_by_global_norm(grad,
/// max_norm, squared_norm). Deterministic for a given size (independent of the thread count).
double squared_norm(const Tensor& grad);

/// Scales `grad` in place by max_norm / (norm + 1e-6) when its 2-norm exceeds max_norm (PyTorch's
/// clip_grad_norm_ formula); returns the norm before clipping. A non-finite norm (inf/NaN
/// gradients) is returned as is and the gradient is left unchanged, so the caller can skip the step.
/// BigDL: L2NormClippingProcessor.
double clip_by_global_norm(Tensor& grad, double max_norm);

/// As above with the norm given as a sum of squares, e.g. the all-reduced sum over every rank's
/// shard in distributed training (each rank then scales its own shard by the same factor).
double clip_by_global_norm(Tensor& grad, double max_norm, double squared_norm);

}  // namespace ember::optim
