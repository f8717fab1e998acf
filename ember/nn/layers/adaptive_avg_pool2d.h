#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `AdaptiveAvgPool2d`. Field names are the Python keyword arguments.
///
/// Example:
///   AdaptiveAvgPool2dOptions{.output_size = {7, 7}}
struct AdaptiveAvgPool2dOptions {
  ExpandingArray<2> output_size = 1;
  template <class V>
  void visit(V&& v) {
    v("output_size", output_size);
  }
};

/// Adaptive 2-d average pooling to a fixed output size. Input [N, C, H, W] or [C, H, W] ->
/// [N, C, oh, ow] (or [C, oh, ow]); output cell i averages input rows [floor(i*H/oh),
/// ceil((i+1)*H/oh)) (PyTorch's windows, which may overlap). BigDL: SpatialAveragePooling has no
/// adaptive mode; this is PyTorch's AdaptiveAvgPool2d.
///
/// Example:
///   auto pool = std::make_shared<AdaptiveAvgPool2d>(AdaptiveAvgPool2dOptions{.output_size = 1});
class AdaptiveAvgPool2d final : public TensorModule {
 public:
  using Options = AdaptiveAvgPool2dOptions;
  static constexpr std::string_view kTypeName = "nn.AdaptiveAvgPool2d";

  explicit AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const AdaptiveAvgPool2dOptions& options() const { return options_; }

 private:
  AdaptiveAvgPool2dOptions options_;
};

}  // namespace ember::nn
