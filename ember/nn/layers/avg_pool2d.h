#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `AvgPool2d`. Field names are the Python keyword arguments.
///
/// Example:
///   AvgPool2dOptions{.kernel_size = 3, .stride = 2, .padding = 1, .count_include_pad = false}
struct AvgPool2dOptions {
  ExpandingArray<2> kernel_size = 2;
  /// 0 means "same as kernel_size" (PyTorch's stride=None).
  ExpandingArray<2> stride = 0;
  ExpandingArray<2> padding = 0;
  bool ceil_mode = false;
  bool count_include_pad = true;
  template <class V>
  void visit(V&& v) {
    v("kernel_size", kernel_size);
    v("stride", stride);
    v("padding", padding);
    v("ceil_mode", ceil_mode);
    v("count_include_pad", count_include_pad);
  }
};

/// 2-d average pooling. Input [N, C, H, W] or [C, H, W] -> [N, C, oh, ow] (or [C, oh, ow]), output
/// size as MaxPool2d. Divisor as PyTorch: the window clipped to the padded input (ceil_mode overhang
/// never counts), and clipped to the input itself when count_include_pad is false.
/// BigDL: SpatialAveragePooling (BigDL's global_pooling is GlobalAvgPool2d; divide=false is not offered).
///
/// Example:
///   auto pool = std::make_shared<AvgPool2d>(AvgPool2dOptions{.kernel_size = 2});
class AvgPool2d final : public TensorModule {
 public:
  using Options = AvgPool2dOptions;
  static constexpr std::string_view kTypeName = "nn.AvgPool2d";

  explicit AvgPool2d(AvgPool2dOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const AvgPool2dOptions& options() const { return options_; }

 private:
  AvgPool2dOptions options_;
  ExpandingArray<2> stride_;  // stride with 0 resolved to kernel_size
};

}  // namespace ember::nn
