#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Padding`.
///
/// Example:
///   PaddingOptions{.dim = 1, .pad_before = 8, .pad_after = 8}  // [N, 16, H, W] -> [N, 32, H, W]
struct PaddingOptions {
  /// Dim to pad (negative counts from the end).
  int64_t dim = 1;
  /// Elements added before and after the input along `dim`.
  int64_t pad_before = 0;
  int64_t pad_after = 0;
  /// Value of the added elements.
  double value = 0.0;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
    v("pad_before", pad_before);
    v("pad_after", pad_after);
    v("value", value);
  }
};

/// Pads one dim with a constant: [.., S, ..] -> [.., pad_before + S + pad_after, ..], like
/// torch.nn.functional.pad on a single dim. ResNet's parameter-free "option A" shortcut pads
/// channels with it. BigDL: Padding(dim, pad, nInputDim, value) with 1-based dim and a signed pad
/// (negative pads before); two Paddings there are one here.
class Padding final : public TensorModule {
 public:
  using Options = PaddingOptions;
  static constexpr std::string_view kTypeName = "nn.Padding";

  explicit Padding(PaddingOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const PaddingOptions& options() const { return options_; }

 private:
  PaddingOptions options_;
};

}  // namespace ember::nn
