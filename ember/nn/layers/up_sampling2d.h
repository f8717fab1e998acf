#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `UpSampling2d`: the integer scale factors (rows, columns).
///
/// Example:
///   UpSampling2dOptions{.size = 2}          // [N, C, H, W] -> [N, C, 2H, 2W]
///   UpSampling2dOptions{.size = {2, 3}}     // [N, C, H, W] -> [N, C, 2H, 3W]
struct UpSampling2dOptions {
  ExpandingArray<2> size = 2;
  template <class V>
  void visit(V&& v) {
    v("size", size);
  }
};

/// Nearest-neighbour upsampling by integer factors: each pixel is repeated size[0] x size[1]
/// times. Input [N, C, H, W] or [C, H, W] -> [N, C, H*size[0], W*size[1]]. grad_input sums
/// grad_output over each block. Same as PyTorch's nn.Upsample(scale_factor=size, mode='nearest').
/// BigDL: UpSampling2D (NCHW only here; BigDL also takes NHWC).
class UpSampling2d final : public TensorModule {
 public:
  using Options = UpSampling2dOptions;
  static constexpr std::string_view kTypeName = "nn.UpSampling2d";

  explicit UpSampling2d(UpSampling2dOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const UpSampling2dOptions& options() const { return options_; }

 private:
  /// The input as 4-d [N, C, H, W] (a view).
  Tensor as_4d(const Tensor& input) const;
  UpSampling2dOptions options_;
};

}  // namespace ember::nn
