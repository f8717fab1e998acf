#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Flatten` (PyTorch's nn.Flatten keywords).
///
/// Example:
///   FlattenOptions{.start_dim = 1, .end_dim = -1}     // [N, C, H, W] -> [N, C*H*W]
struct FlattenOptions {
  int64_t start_dim = 1;
  int64_t end_dim = -1;
  template <class V>
  void visit(V&& v) {
    v("start_dim", start_dim);
    v("end_dim", end_dim);
  }
};

/// Merges dims [start_dim, end_dim] (negative counts from the end) into one, as PyTorch's
/// nn.Flatten: [N, C, H, W] -> [N, C*H*W] by default. A view when the layout allows it, a copy
/// otherwise; grad_input is grad_output viewed as the input's shape. BigDL: no direct equivalent
/// (InferReshape / View with num_input_dims).
class Flatten final : public TensorModule {
 public:
  using Options = FlattenOptions;
  static constexpr std::string_view kTypeName = "nn.Flatten";

  explicit Flatten(FlattenOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const FlattenOptions& options() const { return options_; }

 private:
  Shape output_shape(const Tensor& input) const;
  FlattenOptions options_;
  Tensor out_buf_, grad_buf_;
};

}  // namespace ember::nn
