#include "ember/nn/layers/batch_norm.h"

#include "ember/nn/layers/layer_checks.h"
#include "ember/tensor/kernels/batch_norm.h"
#include "ember/tensor/ops.h"

namespace ember::nn {

BatchNormBase::BatchNormBase(BatchNormOptions options, std::string_view type, bool spatial)
    : options_(options), spatial_(spatial) {
  EMBER_CHECK(options_.num_features > 0, "[", type, "] num_features must be positive, got ", options_.num_features);
  EMBER_CHECK(options_.eps > 0, "[", type, "] eps must be positive, got ", options_.eps);
  EMBER_CHECK(options_.momentum >= 0 && options_.momentum <= 1, "[", type,
              "] momentum must be in [0, 1], got ", options_.momentum);
  const Shape c{options_.num_features};
  if (options_.affine) {
    weight_ = Tensor::empty(c);
    grad_weight_ = Tensor::zeros(c);
    bias_ = Tensor::empty(c);
    grad_bias_ = Tensor::zeros(c);
    register_parameter("weight", &weight_, &grad_weight_);
    register_parameter("bias", &bias_, &grad_bias_);
  }
  if (options_.track_running_stats) {
    running_mean_ = Tensor::zeros(c);
    running_var_ = Tensor::ones(c);
    register_buffer("running_mean", &running_mean_);
    register_buffer("running_var", &running_var_);
  }
  reset_parameters();
}

void BatchNormBase::reset_parameters() {
  if (!options_.affine) return;
  init_parameter(weight_, weight_init_, Ones(), options_.num_features, options_.num_features);
  init_parameter(bias_, bias_init_, Zeros(), options_.num_features, options_.num_features);
}

Tensor BatchNormBase::check_input(const Tensor& input) const {
  if (spatial_) check_input_dims(input, {4});
  else check_input_dims(input, {2, 3});
  EMBER_CHECK_SHAPE(input.size(1) == options_.num_features, "input channel mismatch: expected num_features=",
                    options_.num_features, " in dimension 1, got input of shape ", input.shape());
  const DType want = options_.affine ? weight_.dtype() : (options_.track_running_stats ? running_mean_.dtype()
                                                                                         : input.dtype());
  EMBER_CHECK_TYPE(input.dtype() == want, "input dtype ", input.dtype(), " does not match parameter dtype ", want,
                   ". Hint: convert the input, or call to(", input.dtype(), ") on the model");
  const int64_t n = input.size(0), c = input.size(1);
  return input.contiguous().view({n, c, n * c == 0 ? 0 : input.numel() / (n * c)});
}

void BatchNormBase::check_forward_shape(const Tensor& input) const {
  EMBER_CHECK(!forward_shape_.empty(), "backward called before forward");
  EMBER_CHECK_SHAPE(input.shape() == forward_shape_, "backward input shape differs from the forward's: expected ",
                    forward_shape_, ", got ", input.shape());
}

const Tensor& BatchNormBase::update_output(const Tensor& input) {
  const Tensor x = check_input(input);
  const int64_t c = options_.num_features, count = x.size(0) * x.size(2);
  output_.resize_(input.shape(), input.dtype());
  Tensor y = output_.view(x.shape());
  saved_batch_stats_ = use_batch_stats();
  sums_for_ = nullptr;
  forward_shape_ = Shape();  // set again once this forward has succeeded
  if (!saved_batch_stats_) {
    if (x.numel() > 0)
      kernels::batch_norm_forward_inference(x, weight_, bias_, running_mean_, running_var_, options_.eps, y);
    forward_shape_ = input.shape();
    return output_;
  }
  EMBER_CHECK_SHAPE(count > 1, "expected more than 1 value per channel when training, got input of shape ",
                    input.shape());
  save_mean_.resize_({c}, x.dtype());
  save_var_.resize_({c}, x.dtype());
  kernels::batch_norm_forward_training(x, weight_, bias_, options_.eps, y, save_mean_, save_var_);
  if (options_.track_running_stats && is_training()) {
    const double m = options_.momentum;
    mul_(running_mean_, 1.0 - m);
    add_(running_mean_, save_mean_, m);
    mul_(running_var_, 1.0 - m);
    add_(running_var_, save_var_, m * static_cast<double>(count) / static_cast<double>(count - 1));
  }
  forward_shape_ = input.shape();
  return output_;
}

const Tensor& BatchNormBase::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  const Tensor x = check_input(input);
  detail::check_grad_output(input, grad_output);
  check_forward_shape(input);
  const Tensor gy = grad_output.contiguous().view(x.shape());
  grad_input_.resize_(input.shape(), input.dtype());
  Tensor gx = grad_input_.view(x.shape());
  if (x.numel() == 0) return grad_input_;
  const Tensor& mean = saved_batch_stats_ ? save_mean_ : running_mean_;
  const Tensor& var = saved_batch_stats_ ? save_var_ : running_var_;
  grad_sums_.resize_({2, x.size(1)}, DType::Float64);
  kernels::batch_norm_backward(gy, x, weight_, mean, var, options_.eps, saved_batch_stats_, &gx, grad_sums_);
  sums_for_ = grad_output.raw_data();
  return grad_input_;
}

void BatchNormBase::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  if (!options_.affine) return;
  const Tensor x = check_input(input);
  check_forward_shape(input);
  EMBER_CHECK_SHAPE(grad_output.defined() && grad_output.shape() == input.shape(),
                    "grad_output shape mismatch: expected ", input.shape(), ", got ",
                    grad_output.defined() ? grad_output.shape() : Shape{});
  if (sums_for_ == nullptr || sums_for_ != grad_output.raw_data()) {
    const Tensor gy = grad_output.contiguous().view(x.shape());
    const Tensor& mean = saved_batch_stats_ ? save_mean_ : running_mean_;
    const Tensor& var = saved_batch_stats_ ? save_var_ : running_var_;
    grad_sums_.resize_({2, x.size(1)}, DType::Float64);
    kernels::batch_norm_backward(gy, x, weight_, mean, var, options_.eps, saved_batch_stats_, nullptr, grad_sums_);
  }
  sums_for_ = nullptr;
  const double* sums = grad_sums_.data<double>();
  const int64_t c = grad_sums_.size(1);
  dispatch_floating(grad_weight_.dtype(), "batch_norm", [&]<class T>() {
    T *gb = grad_bias_.data<T>(), *gw = grad_weight_.data<T>();
    for (int64_t i = 0; i < c; ++i) {
      gb[i] += static_cast<T>(sums[i]);
      gw[i] += static_cast<T>(sums[c + i]);
    }
  });
}

BatchNorm1d::BatchNorm1d(BatchNormOptions options) : BatchNormBase(options, kTypeName, false) {}
BatchNorm2d::BatchNorm2d(BatchNormOptions options) : BatchNormBase(options, kTypeName, true) {}

}  // namespace ember::nn
