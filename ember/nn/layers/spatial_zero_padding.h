#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `SpatialZeroPadding`: zeros added on each side (negative values crop).
///
/// Example:
///   SpatialZeroPaddingOptions{.pad_left = 1, .pad_right = 1, .pad_top = 2, .pad_bottom = 2}
struct SpatialZeroPaddingOptions {
  int64_t pad_left = 0;
  int64_t pad_right = 0;
  int64_t pad_top = 0;
  int64_t pad_bottom = 0;
  template <class V>
  void visit(V&& v) {
    v("pad_left", pad_left);
    v("pad_right", pad_right);
    v("pad_top", pad_top);
    v("pad_bottom", pad_bottom);
  }
};

/// Pads the last two dims with zeros: [N, C, H, W] (or [C, H, W]) ->
/// [N, C, H + pad_top + pad_bottom, W + pad_left + pad_right]; negative pads crop, like BigDL and
/// PyTorch's nn.ZeroPad2d((left, right, top, bottom)). grad_input is grad_output cropped back to
/// the input (zeros where the input was cropped away). BigDL: SpatialZeroPadding.
class SpatialZeroPadding final : public TensorModule {
 public:
  using Options = SpatialZeroPaddingOptions;
  static constexpr std::string_view kTypeName = "nn.SpatialZeroPadding";

  explicit SpatialZeroPadding(SpatialZeroPaddingOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const SpatialZeroPaddingOptions& options() const { return options_; }

 private:
  Shape output_shape(const Tensor& input) const;
  /// The overlap of input and output: the input's part that survives, and where it lands.
  std::pair<Tensor, Tensor> overlap(const Tensor& in, const Tensor& out) const;
  SpatialZeroPaddingOptions options_;
};

}  // namespace ember::nn
