#pragma once
#include <vector>

#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Squeeze`.
///
/// Example:
///   SqueezeOptions{}                                   // every size-1 dim
///   SqueezeOptions{.dim = {1}}                         // [N, 1, 5] -> [N, 5]
///   SqueezeOptions{.dim = {0}, .num_input_dims = 2}    // [1, 5] -> [5]; [N, 1, 5] -> [N, 5]
struct SqueezeOptions {
  /// Dims to remove when their size is 1 (negative counts from the end); empty: all size-1 dims.
  std::vector<int64_t> dim;
  /// Non-batch input dims (BigDL's numInputDims); 0 = unset. When the input has more dims, the
  /// first is a batch dim: non-negative `dim` entries shift by one and the batch dim is kept.
  int64_t num_input_dims = 0;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
    v("num_input_dims", num_input_dims);
  }
};

/// Removes size-1 dims, as torch.squeeze (a dim of another size is left alone). The output is a
/// view of the input and grad_input a view of grad_output. BigDL: Squeeze.
class Squeeze final : public TensorModule {
 public:
  using Options = SqueezeOptions;
  static constexpr std::string_view kTypeName = "nn.Squeeze";

  explicit Squeeze(SqueezeOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const SqueezeOptions& options() const { return options_; }

 private:
  Shape output_shape(const Tensor& input) const;
  SqueezeOptions options_;
  Tensor out_buf_, grad_buf_;
};

}  // namespace ember::nn
