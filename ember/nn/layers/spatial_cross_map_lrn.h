#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `SpatialCrossMapLRN`. Field names are the Python keyword arguments.
///
/// Example:
///   SpatialCrossMapLRNOptions{.size = 5, .alpha = 1e-4, .beta = 0.75, .k = 2.0}
struct SpatialCrossMapLRNOptions {
  int64_t size = 5;
  double alpha = 1e-4;
  double beta = 0.75;
  double k = 1.0;
  template <class V>
  void visit(V&& v) {
    v("size", size);
    v("alpha", alpha);
    v("beta", beta);
    v("k", k);
  }
};

/// Local response normalization across channels (AlexNet/GoogLeNet's LRN). Input [N, C, H, W]
/// -> same shape: y = x / (k + alpha / size * sum of x^2 over channels [c - size/2, c + (size-1)/2])^beta,
/// missing channels counting 0. BigDL: SpatialCrossMapLRN; PyTorch: LocalResponseNorm (also
/// CrossMapLRN2d, which computes the same). For odd sizes BigDL's window is the same; for even
/// sizes BigDL centres it one channel later, and Ember follows PyTorch.
///
/// Example:
///   auto lrn = std::make_shared<SpatialCrossMapLRN>(SpatialCrossMapLRNOptions{.size = 5});
class SpatialCrossMapLRN final : public TensorModule {
 public:
  using Options = SpatialCrossMapLRNOptions;
  static constexpr std::string_view kTypeName = "nn.SpatialCrossMapLRN";

  explicit SpatialCrossMapLRN(SpatialCrossMapLRNOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const SpatialCrossMapLRNOptions& options() const { return options_; }

 private:
  void check_input(const Tensor& input) const;
  SpatialCrossMapLRNOptions options_;
  Tensor workspace_;     // oneDNN workspace of the last forward (undefined after the reference kernel)
  Shape forward_shape_;  // input shape of the last forward
};

}  // namespace ember::nn
