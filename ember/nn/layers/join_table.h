#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `JoinTable`.
///
/// Example:
///   JoinTableOptions{.dim = 1}                         // {[N, 3], [N, 5]} -> [N, 8]
///   JoinTableOptions{.dim = 0, .n_input_dims = 1}      // {[3], [5]} -> [8]; {[N, 3], [N, 5]} -> [N, 8]
struct JoinTableOptions {
  /// Dim to join along, 0-based (negative counts from the end).
  int64_t dim = 0;
  /// Non-batch dims of each input (BigDL's nInputDims); 0 = unset. When the inputs have one dim
  /// more, the first is a batch dim and a non-negative `dim` shifts by one.
  int64_t n_input_dims = 0;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
    v("n_input_dims", n_input_dims);
  }
};

/// Concatenates a Table of tensors along `dim` (torch.cat): all sizes but `dim` must match, and
/// the dtypes too. grad_input is a Table of views into grad_output, one per input.
/// BigDL: JoinTable(dimension, nInputDims), with a 1-based dimension there.
class JoinTable final : public Module {
 public:
  using Options = JoinTableOptions;
  static constexpr std::string_view kTypeName = "nn.JoinTable";

  explicit JoinTable(JoinTableOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const JoinTableOptions& options() const { return options_; }

 private:
  /// Validates the inputs; returns the join dim and the output shape.
  std::pair<int64_t, Shape> plan(const Table& inputs) const;
  JoinTableOptions options_;
  Tensor out_;
};

}  // namespace ember::nn
