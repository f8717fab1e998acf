#include "ember/nn/layers/broadcast_param.h"

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/kernels/broadcast_reduce.h"
#include "ember/tensor/ops.h"

namespace ember::nn::detail {

namespace {
// `buffer` (contiguous, the input's shape) seen with the operand's shape; view() cannot turn a 0-d
// tensor into [1], unsqueeze can.
Tensor as_operand(const Tensor& buffer, const Shape& shape) {
  return buffer.dim() == 0 ? buffer.unsqueeze(0) : buffer.view(shape);
}
// The same for a caller's tensor, which may be strided (reshape copies only when it must).
Tensor reshaped(const Tensor& t, const Shape& shape) { return t.dim() == 0 ? t.unsqueeze(0) : t.reshape(shape); }
}  // namespace

BroadcastParamLayer::BroadcastParamLayer(Op op, const Shape& shape) : op_(op) {
  param_ = Tensor::empty(shape);
  grad_param_ = Tensor::zeros(shape);
  register_parameter(op == Op::Add ? "bias" : "weight", &param_, &grad_param_);
  reset_parameters();
}

void BroadcastParamLayer::reset_parameters() {
  const int64_t n = param_.numel();
  init_parameter(param_, op_ == Op::Add ? bias_init_ : weight_init_, RandomUniform(), n, n);
}

Tensor BroadcastParamLayer::checked_operand(const Tensor& input) const {
  check_floating_input(input);
  check_param_dtype(input, param_, op_ == Op::Add ? "bias" : "weight");
  return operand_view(input);
}

const Tensor& BroadcastParamLayer::update_output(const Tensor& input) {
  const Tensor x = checked_operand(input);
  output_.resize_(input.shape(), input.dtype());
  Tensor y = as_operand(output_, x.shape());
  y.copy_(x);
  if (op_ == Op::Add) add_(y, param_);
  else mul_(y, param_);
  return output_;
}

const Tensor& BroadcastParamLayer::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor x = checked_operand(input);
  check_grad_output(input, grad_output);
  grad_input_.resize_(input.shape(), input.dtype());
  Tensor gx = as_operand(grad_input_, x.shape());
  gx.copy_(reshaped(grad_output, x.shape()));
  if (op_ == Op::Mul) mul_(gx, param_);
  return grad_input_;
}

void BroadcastParamLayer::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  const Tensor x = checked_operand(input);
  check_grad_output(input, grad_output);
  const Tensor gy = reshaped(grad_output, x.shape());
  kernels::accumulate_broadcast_sum(gy, op_ == Op::Mul ? x : Tensor(), grad_param_);
}

Shape broadcast_param_shape(const std::vector<int64_t>& size, const char* layer) {
  EMBER_CHECK(!size.empty(), "[", layer, "] size must have at least one dimension, got []");
  Shape s;
  for (int64_t d : size) {
    EMBER_CHECK(d > 0, "[", layer, "] size must be positive in every dimension, got ", Shape(size));
    s.push_back(d);
  }
  return s;
}

Tensor check_broadcastable(const Tensor& t, const Tensor& param, const char* name) {
  EMBER_CHECK_SHAPE(kernels::broadcasts_to(param.shape(), t.shape()), "input shape mismatch: expected a shape to which ",
                    name, " of shape ", param.shape(), " broadcasts, got input of shape ", t.shape());
  return t;
}

}  // namespace ember::nn::detail
