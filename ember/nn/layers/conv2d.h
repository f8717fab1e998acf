#pragma once
#include "ember/nn/layers/conv_base.h"

namespace ember::nn {

/// Options for `Conv2d`. Field names are the Python keyword arguments (PyTorch's).
///
/// Example:
///   Conv2dOptions{.in_channels = 3, .out_channels = 16, .kernel_size = 3, .stride = 2, .padding = 1}
struct Conv2dOptions {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  ExpandingArray<2> kernel_size = 0;  ///< (kH, kW), or one value for both
  ExpandingArray<2> stride = 1;
  ExpandingArray<2> padding = 0;      ///< zeros added on both sides of each spatial dimension
  ExpandingArray<2> dilation = 1;     ///< spacing between kernel taps; 1 = dense
  int64_t groups = 1;                 ///< must divide in_channels and out_channels
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

/// 2-d convolution (cross-correlation, as in PyTorch) over NCHW input.
/// Input [N, C_in, H, W] or unbatched [C_in, H, W] -> output [N, C_out, OH, OW] (or [C_out, OH, OW])
/// with OH = (H + 2*padding - dilation*(kH-1) - 1) / stride + 1 (floor), likewise OW.
/// Weight [C_out, C_in/groups, kH, kW], bias [C_out]; default init U(-1/sqrt(fan_in), 1/sqrt(fan_in))
/// with fan_in = C_in/groups*kH*kW for both.
/// BigDL: SpatialConvolution, and SpatialDilatedConvolution (dilation > 1). BigDL's padding -1
/// ("SAME") and NHWC format are not options here: pad explicitly and permute NHWC input.
///
/// Example:
///   auto conv = std::make_shared<Conv2d>(Conv2dOptions{.in_channels = 3, .out_channels = 16,
///                                                      .kernel_size = 3, .padding = 1});
///   const Tensor& y = conv->forward(Tensor::zeros({8, 3, 32, 32}));   // [8, 16, 32, 32]
class Conv2d final : public detail::Conv2dLayerBase {
 public:
  using Options = Conv2dOptions;
  static constexpr std::string_view kTypeName = "nn.Conv2d";

  explicit Conv2d(Conv2dOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const Conv2dOptions& options() const { return options_; }

 protected:
  void reset_parameters() override;

 private:
  /// Validates input and returns the batched output shape [N, C_out, OH, OW].
  Shape check_input(const Tensor& input) const override;

  Conv2dOptions options_;
};

}  // namespace ember::nn
