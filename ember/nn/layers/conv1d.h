#pragma once
#include "ember/nn/layers/conv_base.h"

namespace ember::nn {

/// Options for `Conv1d`. Field names are the Python keyword arguments (PyTorch's).
///
/// Example:
///   Conv1dOptions{.in_channels = 16, .out_channels = 32, .kernel_size = 5, .padding = 2}
struct Conv1dOptions {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int64_t kernel_size = 0;
  int64_t stride = 1;
  int64_t padding = 0;   ///< zeros added at both ends
  int64_t dilation = 1;  ///< spacing between kernel taps; 1 = dense
  int64_t groups = 1;    ///< must divide in_channels and out_channels
  bool bias = true;
  template <class V>
  void visit(V&& v) {
    v("in_channels", in_channels);
    v("out_channels", out_channels);
    v("kernel_size", kernel_size);
    v("stride", stride);
    v("padding", padding);
    v("dilation", dilation);
    v("groups", groups);
    v("bias", bias);
  }
};

/// 1-d convolution over channel-major sequences, as PyTorch's Conv1d.
/// Input [N, C_in, L] or unbatched [C_in, L] -> output [N, C_out, L_out] (or [C_out, L_out]) with
/// L_out = (L + 2*padding - dilation*(kernel_size-1) - 1) / stride + 1 (floor).
/// Weight [C_out, C_in/groups, kernel_size], bias [C_out]; default init U(-1/sqrt(fan_in),
/// 1/sqrt(fan_in)) with fan_in = C_in/groups*kernel_size. Runs on the 2-d convolution kernels with
/// H = 1 (views, no copies).
/// BigDL: TemporalConvolution, which takes frame-major input [N, L, C_in] (inputFrameSize =
/// in_channels, kernelW = kernel_size, strideW = stride) and returns [N, L_out, C_out]; with
/// BigDL-shaped data use `x.transpose(1, 2)` (or a Transpose(1, 2) layer) before and after.
///
/// Example:
///   auto conv = std::make_shared<Conv1d>(Conv1dOptions{.in_channels = 4, .out_channels = 8,
///                                                      .kernel_size = 3});
///   const Tensor& y = conv->forward(Tensor::zeros({2, 4, 10}));   // [2, 8, 8]
class Conv1d final : public detail::ConvLayerBase {
 public:
  using Options = Conv1dOptions;
  static constexpr std::string_view kTypeName = "nn.Conv1d";

  explicit Conv1d(Conv1dOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  void acc_grad_parameters(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const Conv1dOptions& options() const { return options_; }

 protected:
  void reset_parameters() override;

 private:
  /// Validates input and returns the batched output shape [N, C_out, L_out].
  Shape check_input(const Tensor& input) const;
  /// grad_output as [N, C_out, 1, L_out], after checking that it has the output's shape.
  Tensor check_grad_output(const Tensor& input, const Tensor& grad_output) const;
  /// input as [N, C_in, 1, L] (a view).
  static Tensor as_4d(const Tensor& input);

  Conv1dOptions options_;
};

}  // namespace ember::nn
