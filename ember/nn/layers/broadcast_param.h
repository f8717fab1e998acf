#pragma once
/// Shared body of the layers with one learnable tensor that is broadcast to the input and added
/// (Add, CAdd) or multiplied (Mul, CMul). The parameter gradient sums over the broadcast dims.

#include <vector>

#include "ember/nn/module.h"

namespace ember::nn::detail {

/// y = x + p or y = x * p with p broadcast (NumPy rules) to `operand_view(x)`.
class BroadcastParamLayer : public TensorModule {
 public:
  enum class Op { Add, Mul };
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  void acc_grad_parameters(const Tensor& input, const Tensor& grad_output) override;

 protected:
  /// Registers the parameter `name` ("bias" for Add, "weight" for Mul) of `shape`.
  BroadcastParamLayer(Op op, const Shape& shape);
  /// The input (or grad_output) viewed so that the parameter broadcasts to it; checks the shape.
  virtual Tensor operand_view(const Tensor& t) const { return t; }
  /// U(-1/sqrt(numel), 1/sqrt(numel)) as BigDL, or the user's weight_init_/bias_init_.
  void reset_parameters() override;

  Op op_;
  Tensor param_, grad_param_;

 private:
  Tensor checked_operand(const Tensor& input) const;
};

/// The parameter shape `size` of CAdd/CMul as a Shape; ValueError naming `layer` when a size is
/// not positive or `size` is empty.
Shape broadcast_param_shape(const std::vector<int64_t>& size, const char* layer);
/// `t` itself, after a ShapeError check that `param` (named `name`) broadcasts to it.
Tensor check_broadcastable(const Tensor& t, const Tensor& param, const char* name);

}  // namespace ember::nn::detail
