#include "ember/nn/layers/layer_norm.h"

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/kernels/layer_norm.h"

namespace ember::nn {

LayerNorm::LayerNorm(LayerNormOptions options) : options_(std::move(options)) {
  const auto& ns = options_.normalized_shape;
  EMBER_CHECK(!ns.empty(), "[nn.LayerNorm] normalized_shape must not be empty: expected at least one size, got []");
  EMBER_CHECK(static_cast<int64_t>(ns.size()) < Shape::kMaxDims, "[nn.LayerNorm] normalized_shape has too many dims: "
              "expected fewer than ", Shape::kMaxDims, ", got ", ns.size());
  for (int64_t s : ns) {
    EMBER_CHECK(s > 0, "[nn.LayerNorm] normalized_shape sizes must be positive, got ", Shape(ns));
    d_ *= s;
  }
  EMBER_CHECK(options_.eps > 0, "[nn.LayerNorm] eps must be positive, got ", options_.eps);
  if (options_.elementwise_affine) {
    weight_ = Tensor::empty(Shape(ns));
    grad_weight_ = Tensor::zeros(Shape(ns));
    bias_ = Tensor::empty(Shape(ns));
    grad_bias_ = Tensor::zeros(Shape(ns));
    register_parameter("weight", &weight_, &grad_weight_);
    register_parameter("bias", &bias_, &grad_bias_);
  }
  reset_parameters();
}

void LayerNorm::reset_parameters() {
  if (!options_.elementwise_affine) return;
  init_parameter(weight_, weight_init_, Ones(), d_, d_);
  init_parameter(bias_, bias_init_, Zeros(), d_, d_);
}

Tensor LayerNorm::check_input(const Tensor& input) const {
  EMBER_CHECK(input.defined(), "input is undefined");
  const auto& ns = options_.normalized_shape;
  const int64_t k = static_cast<int64_t>(ns.size());
  bool ok = input.dim() >= k;
  for (int64_t i = 0; ok && i < k; ++i) ok = input.size(input.dim() - k + i) == ns[i];
  EMBER_CHECK_SHAPE(ok, "input shape mismatch: expected trailing dimensions normalized_shape=", Shape(ns),
                    ", got input of shape ", input.shape());
  if (options_.elementwise_affine) {
    EMBER_CHECK_TYPE(input.dtype() == weight_.dtype(), "input dtype ", input.dtype(), " does not match weight dtype ",
                     weight_.dtype(), ". Hint: convert the input, or call to(", input.dtype(), ") on the model");
  } else {
    EMBER_CHECK_TYPE(input.dtype() == DType::Float32 || input.dtype() == DType::Float64,
                     "input dtype must be float32 or float64, got ", input.dtype());
  }
  return input.contiguous().view({input.numel() / d_, d_});
}

void LayerNorm::check_forward_shape(const Tensor& input) const {
  EMBER_CHECK(!forward_shape_.empty(), "backward called before forward");
  EMBER_CHECK_SHAPE(input.shape() == forward_shape_, "backward input shape differs from the forward's: expected ",
                    forward_shape_, ", got ", input.shape());
}

const Tensor& LayerNorm::update_output(const Tensor& input) {
  const Tensor x = check_input(input);
  output_.resize_(input.shape(), input.dtype());
  forward_shape_ = input.shape();  // the kernel below cannot fail on a checked input
  mean_.resize_({x.size(0)}, x.dtype());
  var_.resize_({x.size(0)}, x.dtype());
  Tensor y = output_.view(x.shape());
  if (x.numel() == 0) return output_;
  kernels::layer_norm_forward(x, weight_, bias_, options_.eps, y, mean_, var_);
  return output_;
}

const Tensor& LayerNorm::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor x = check_input(input);
  detail::check_grad_output(input, grad_output);
  check_forward_shape(input);
  const Tensor gy = grad_output.contiguous().view(x.shape());
  grad_input_.resize_(input.shape(), input.dtype());
  Tensor gx = grad_input_.view(x.shape());
  if (x.numel() == 0) return grad_input_;
  kernels::layer_norm_backward_data(gy, x, weight_, mean_, var_, options_.eps, gx);
  return grad_input_;
}

void LayerNorm::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  if (!options_.elementwise_affine) return;
  const Tensor x = check_input(input);
  check_forward_shape(input);
  EMBER_CHECK_SHAPE(grad_output.defined() && grad_output.shape() == input.shape(),
                    "grad_output shape mismatch: expected ", input.shape(), ", got ",
                    grad_output.defined() ? grad_output.shape() : Shape{});
  const Tensor gy = grad_output.contiguous().view(x.shape());
  kernels::layer_norm_backward_params(gy, x, mean_, var_, options_.eps, grad_weight_, grad_bias_);
}

}  // namespace ember::nn
