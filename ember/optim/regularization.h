#pragma once
/// Per-parameter L1/L2 regularization (BigDL: L1Regularizer, L2Regularizer, L1L2Regularizer as
/// a layer's wRegularizer / bRegularizer). The penalties are set on the layers
/// (`Module::set_regularizer`); the trainer calls apply_regularization after backward.
///
///   fc->set_regularizer("weight", {.l2 = 1e-4});
///   model->backward(x, grad_y);
///   optim::apply_regularization(*model);     // grad_w += 1e-4 * w

#include "ember/nn/module.h"

namespace ember::optim {

/// Adds l1 * sign(w) + l2 * w to the gradient of every regularized, non-frozen parameter of
/// `model` and its descendants. No allocation for contiguous parameters (the flat-buffer case).
void apply_regularization(nn::Module& model);

/// The penalty sum over regularized parameters of l1 * |w|_1 + l2 / 2 * |w|^2 (for logging; BigDL
/// does not add it to the reported loss either).
double regularization_loss(nn::Module& model);

}  // namespace ember::optim
