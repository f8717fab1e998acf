#pragma once
/// Regularizer: L1/L2 penalties on one parameter (BigDL: L1Regularizer, L2Regularizer,
/// L1L2Regularizer, set per layer as wRegularizer / bRegularizer).
///
///   fc->set_regularizer("weight", {.l1 = 0.0, .l2 = 1e-4});   // BigDL: L2Regularizer(1e-4)

namespace ember::nn {

/// Penalty l1 * |w|_1 + l2/2 * |w|^2: optim::apply_regularization adds l1 * sign(w) + l2 * w to the
/// parameter's gradient. Both >= 0; zero (the default) means no penalty.
struct Regularizer {
  double l1 = 0.0;
  double l2 = 0.0;
  /// True when either strength is non-zero.
  bool active() const { return l1 != 0.0 || l2 != 0.0; }
  bool operator==(const Regularizer&) const = default;
};

}  // namespace ember::nn
