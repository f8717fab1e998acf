#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Unsqueeze`.
///
/// Example:
///   UnsqueezeOptions{.dim = 1}                         // [N, 5] -> [N, 1, 5]
struct UnsqueezeOptions {
  /// Position of the new size-1 dim in the output, in [-input.dim()-1, input.dim()].
  int64_t dim = 0;
  /// Non-batch input dims (BigDL's numInputDims); 0 = unset. When the input has more dims, a
  /// non-negative `dim` shifts by one to skip the batch dim.
  int64_t num_input_dims = 0;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
    v("num_input_dims", num_input_dims);
  }
};

/// Inserts a size-1 dim, as torch.unsqueeze. The output is a view of the input and grad_input a
/// view of grad_output. BigDL: Unsqueeze (pos counted from 1 there, from 0 here).
class Unsqueeze final : public TensorModule {
 public:
  using Options = UnsqueezeOptions;
  static constexpr std::string_view kTypeName = "nn.Unsqueeze";

  explicit Unsqueeze(UnsqueezeOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const UnsqueezeOptions& options() const { return options_; }

 private:
  int64_t position(const Tensor& input) const;
  UnsqueezeOptions options_;
  Tensor grad_buf_;
};

}  // namespace ember::nn
