#pragma once
/// Internal: what Conv1d, Conv2d and ConvTranspose2d share (option checks, parameters, the input and
/// grad_output checks, and for the 2-d layers the whole forward/backward around the kernels). Not
/// part of the public API; use the layers themselves.

#include <functional>
#include <string_view>

#include "ember/nn/module.h"
#include "ember/tensor/kernels/conv2d.h"

namespace ember::nn::detail {

inline bool all_positive(int64_t v) { return v > 0; }
inline bool all_non_negative(int64_t v) { return v >= 0; }
template <size_t N>
bool all_positive(const ExpandingArray<N>& a) {
  for (size_t i = 0; i < N; ++i)
    if (a[i] <= 0) return false;
  return true;
}
template <size_t N>
bool all_non_negative(const ExpandingArray<N>& a) {
  for (size_t i = 0; i < N; ++i)
    if (a[i] < 0) return false;
  return true;
}

/// Checks the options every convolution layer has, in this order: in_channels, out_channels,
/// kernel_size, stride, padding, dilation, then `extra` (a layer's own options, may be empty), then
/// groups. Messages start with "[<type_name>] ", as constructor errors do.
template <class Options>
void check_conv_options(std::string_view type_name, const Options& o, const std::function<void()>& extra = {}) {
  EMBER_CHECK(o.in_channels > 0, "[", type_name, "] in_channels must be positive, got ", o.in_channels);
  EMBER_CHECK(o.out_channels > 0, "[", type_name, "] out_channels must be positive, got ", o.out_channels);
  EMBER_CHECK(all_positive(o.kernel_size), "[", type_name, "] kernel_size must be positive, got ", o.kernel_size);
  EMBER_CHECK(all_positive(o.stride), "[", type_name, "] stride must be positive, got ", o.stride);
  EMBER_CHECK(all_non_negative(o.padding), "[", type_name, "] padding must be non-negative, got ", o.padding);
  EMBER_CHECK(all_positive(o.dilation), "[", type_name, "] dilation must be positive, got ", o.dilation);
  if (extra) extra();
  EMBER_CHECK(o.groups > 0, "[", type_name, "] groups must be positive, got ", o.groups);
  EMBER_CHECK(o.in_channels % o.groups == 0, "[", type_name,
              "] in_channels must be divisible by groups: expected a multiple of groups=", o.groups,
              ", got in_channels=", o.in_channels);
  EMBER_CHECK(o.out_channels % o.groups == 0, "[", type_name,
              "] out_channels must be divisible by groups: expected a multiple of groups=", o.groups,
              ", got out_channels=", o.out_channels);
}

/// Floor division (the numerator may be negative when the input is smaller than the kernel).
inline int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/// Parameters and checks shared by the convolution layers.
class ConvLayerBase : public TensorModule {
 public:
  /// The layer's weight; its shape is given in the layer's doc ([C_out, C_in/groups, kH, kW] for
  /// Conv2d, [C_in, C_out/groups, kH, kW] for ConvTranspose2d, [C_out, C_in/groups, kernel_size] for Conv1d).
  Tensor& weight() { return weight_; }
  /// [C_out]; undefined when bias=false.
  Tensor& bias() { return bias_; }
  Tensor& grad_weight() { return grad_weight_; }
  Tensor& grad_bias() { return grad_bias_; }

 protected:
  /// Creates weight (`weight_shape`) and, when `bias`, bias [out_channels], with zero gradients, and
  /// registers them as "weight" and "bias". Call from the constructor after checking the options.
  void init_parameters(Shape weight_shape, int64_t out_channels, bool bias);
  /// PyTorch's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias, unless
  /// weight_init_/bias_init_ say otherwise.
  void reset_uniform(int64_t fan_in, int64_t fan_out, bool bias);
  /// Checks that input has `batched_dim` dims (or one fewer, unbatched), in_channels channels and the
  /// weight's dtype. `hint` is appended to the channel mismatch message.
  void check_input_channels(const Tensor& input, int64_t batched_dim, int64_t in_channels,
                            std::string_view hint = {}) const;
  /// Checks that grad_output has the output's shape (`batched_out`, without its batch dimension when
  /// input has fewer than `batched_dim` dims) and the input's dtype.
  static void check_grad_output_shape(const Tensor& input, const Tensor& grad_output, Shape batched_out,
                                      int64_t batched_dim);

  kernels::Conv2dParams params_;
  Tensor weight_, grad_weight_;  // "weight"
  Tensor bias_, grad_bias_;      // "bias": [C_out]; undefined when bias=false
};

/// Conv2d and ConvTranspose2d: NCHW input [N, C, H, W] or unbatched [C, H, W], run through three
/// kernels; a layer gives the kernels and `check_input` (which computes the output shape).
class Conv2dLayerBase : public ConvLayerBase {
 public:
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  void acc_grad_parameters(const Tensor& input, const Tensor& grad_output) override;

 protected:
  /// The kernels of kernels/conv2d.h the layer runs on.
  struct Kernels {
    void (*forward)(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y,
                    const kernels::Conv2dParams& p);
    void (*backward_data)(const Tensor& grad_y, const Tensor& weight, Tensor& grad_x,
                          const kernels::Conv2dParams& p);
    void (*backward_weights)(const Tensor& x, const Tensor& grad_y, Tensor& grad_w, Tensor& grad_b,
                             const kernels::Conv2dParams& p);
  };
  explicit Conv2dLayerBase(Kernels kernels) : kernels_(kernels) {}

  /// Validates input and returns the batched output shape [N, C_out, OH, OW].
  virtual Shape check_input(const Tensor& input) const = 0;

 private:
  /// grad_output as 4-d, after checking that it has the output's shape.
  Tensor check_grad_output(const Tensor& input, const Tensor& grad_output) const;

  Kernels kernels_;
};

}  // namespace ember::nn::detail
