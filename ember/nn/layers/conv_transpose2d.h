#pragma once
#include "ember/nn/layers/conv_base.h"

namespace ember::nn {

/// Options for `ConvTranspose2d`. Field names are the Python keyword arguments (PyTorch's).
///
/// Example:
///   ConvTranspose2dOptions{.in_channels = 16, .out_channels = 8, .kernel_size = 4, .stride = 2,
///                          .padding = 1}
struct ConvTranspose2dOptions {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  ExpandingArray<2> kernel_size = 0;     ///< (kH, kW), or one value for both
  ExpandingArray<2> stride = 1;
  ExpandingArray<2> padding = 0;         ///< removed from both sides of the full output
  ExpandingArray<2> output_padding = 0;  ///< extra rows/columns on the bottom/right; < stride or < dilation
  ExpandingArray<2> dilation = 1;
  int64_t groups = 1;                    ///< must divide in_channels and out_channels
  bool bias = true;
  template <class V>
  void visit(V&& v) {
    v("in_channels", in_channels);
    v("out_channels", out_channels);
    v("kernel_size", kernel_size);
    v("stride", stride);
    v("padding", padding);
    v("output_padding", output_padding);
    v("dilation", dilation);
    v("groups", groups);
    v("bias", bias);
  }
};

/// 2-d transposed convolution ("deconvolution"): the gradient of Conv2d w.r.t. its input, as
/// PyTorch's ConvTranspose2d. Input [N, C_in, H, W] or unbatched [C_in, H, W] -> output
/// [N, C_out, OH, OW] with OH = (H-1)*stride - 2*padding + dilation*(kH-1) + output_padding + 1.
/// Weight [C_in, C_out/groups, kH, kW] (PyTorch's layout), bias [C_out]; default init
/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = C_out/groups*kH*kW (PyTorch and BigDL).
/// BigDL: SpatialFullConvolution (adjW/adjH = output_padding, nGroup = groups, noBias = !bias).
/// BigDL's variant that takes the target size from a second input (a Table) is not supported.
///
/// Example:
///   auto up = std::make_shared<ConvTranspose2d>(ConvTranspose2dOptions{
///       .in_channels = 16, .out_channels = 8, .kernel_size = 4, .stride = 2, .padding = 1});
///   const Tensor& y = up->forward(Tensor::zeros({2, 16, 7, 7}));   // [2, 8, 14, 14]
class ConvTranspose2d final : public detail::Conv2dLayerBase {
 public:
  using Options = ConvTranspose2dOptions;
  static constexpr std::string_view kTypeName = "nn.ConvTranspose2d";

  explicit ConvTranspose2d(ConvTranspose2dOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const ConvTranspose2dOptions& options() const { return options_; }

 protected:
  void reset_parameters() override;

 private:
  /// Validates input and returns the batched output shape [N, C_out, OH, OW].
  Shape check_input(const Tensor& input) const override;

  ConvTranspose2dOptions options_;
};

}  // namespace ember::nn
