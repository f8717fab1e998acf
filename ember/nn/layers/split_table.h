#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `SplitTable`.
///
/// Example:
///   SplitTableOptions{.dim = 1}                        // [N, T, H] -> {[N, H] x T}
struct SplitTableOptions {
  /// Dim to split along, 0-based (negative counts from the end).
  int64_t dim = 0;
  /// Non-batch input dims (BigDL's nInputDims); 0 = unset. When the input has one dim more, the
  /// first is a batch dim and a non-negative `dim` shifts by one.
  int64_t n_input_dims = 0;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
    v("n_input_dims", n_input_dims);
  }
};

/// Splits a tensor into a Table of its slices along `dim` (torch.unbind); each slice is a view of
/// the input. Backward stacks the Table of slice gradients into grad_input.
/// BigDL: SplitTable(dimension, nInputDims), with a 1-based dimension there.
class SplitTable final : public Module {
 public:
  using Options = SplitTableOptions;
  static constexpr std::string_view kTypeName = "nn.SplitTable";

  explicit SplitTable(SplitTableOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const SplitTableOptions& options() const { return options_; }

 private:
  int64_t split_dim(const Tensor& input) const;
  SplitTableOptions options_;
  Tensor grad_;
};

}  // namespace ember::nn
