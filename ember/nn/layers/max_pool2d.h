#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `MaxPool2d`. Field names are the Python keyword arguments.
///
/// Example:
///   MaxPool2dOptions{.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true}
struct MaxPool2dOptions {
  ExpandingArray<2> kernel_size = 2;
  /// 0 means "same as kernel_size" (PyTorch's stride=None).
  ExpandingArray<2> stride = 0;
  ExpandingArray<2> padding = 0;
  bool ceil_mode = false;
  template <class V>
  void visit(V&& v) {
    v("kernel_size", kernel_size);
    v("stride", stride);
    v("padding", padding);
    v("ceil_mode", ceil_mode);
  }
};

/// 2-d max pooling. Input [N, C, H, W] or [C, H, W] -> [N, C, oh, ow] (or [C, oh, ow]) with
/// oh = floor_or_ceil((H + 2*padding - kernel) / stride) + 1, as PyTorch (with ceil_mode the last
/// window starts inside the input or the left padding). Padding counts as -inf. The gradient goes
/// to the first maximum of each window. BigDL: SpatialMaxPooling (BigDL's ceil() switch is ceil_mode).
///
/// Example:
///   auto pool = std::make_shared<MaxPool2d>(MaxPool2dOptions{.kernel_size = 2});
class MaxPool2d final : public TensorModule {
 public:
  using Options = MaxPool2dOptions;
  static constexpr std::string_view kTypeName = "nn.MaxPool2d";

  explicit MaxPool2d(MaxPool2dOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const MaxPool2dOptions& options() const { return options_; }

 private:
  MaxPool2dOptions options_;
  ExpandingArray<2> stride_;  // stride with 0 resolved to kernel_size
  Tensor indices_;            // argmax (int64) or oneDNN workspace (uint8) from the last forward
  Shape forward_shape_;       // 4-d input shape of the last forward
};

}  // namespace ember::nn
