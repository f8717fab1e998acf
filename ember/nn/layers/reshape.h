#pragma once
#include <vector>

#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Reshape`.
///
/// Example:
///   ReshapeOptions{.size = {3, 4}}                   // [N, 12] -> [N, 3, 4], [12] -> [3, 4]
///   ReshapeOptions{.size = {3, 4}, .batch_mode = 1}  // always keep the first dim as the batch
struct ReshapeOptions {
  /// Target sizes (without the batch dimension); all positive.
  std::vector<int64_t> size;
  /// -1 (auto, BigDL's None): keep dim 0 as the batch unless input.numel() == prod(size);
  /// 1: always keep dim 0 as the batch; 0: never.
  int64_t batch_mode = -1;
  template <class V>
  void visit(V&& v) {
    v("size", size);
    v("batch_mode", batch_mode);
  }
};

/// Reshapes to `size`, keeping the batch dimension as `batch_mode` says:
/// [N, ...] -> [N, size...] (batch) or [...] -> [size...]. The output is a view of the input when
/// the layout allows it (a copy otherwise); grad_input is grad_output reshaped to the input's shape,
/// again a view where possible. BigDL: Reshape(size, batchMode).
///
/// Example:
///   auto r = std::make_shared<Reshape>(ReshapeOptions{.size = {2, 6}});
///   r->forward(Tensor::zeros({5, 12}));        // [5, 2, 6]
class Reshape final : public TensorModule {
 public:
  using Options = ReshapeOptions;
  static constexpr std::string_view kTypeName = "nn.Reshape";

  explicit Reshape(ReshapeOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const ReshapeOptions& options() const { return options_; }

 private:
  Shape output_shape(const Tensor& input) const;
  ReshapeOptions options_;
  int64_t numel_ = 1;
  Tensor out_buf_, grad_buf_;  // copies for layouts that cannot be viewed
};

}  // namespace ember::nn
