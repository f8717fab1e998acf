#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Transpose`: the two dims to swap (negative counts from the end).
///
/// Example:
///   TransposeOptions{.dim0 = 1, .dim1 = 2}            // [N, C, L] -> [N, L, C]
struct TransposeOptions {
  int64_t dim0 = 0;
  int64_t dim1 = 1;
  template <class V>
  void visit(V&& v) {
    v("dim0", dim0);
    v("dim1", dim1);
  }
};

/// Swaps two dims, like torch.transpose(input, dim0, dim1). The output is a (non-contiguous) view
/// of the input, and grad_input a view of grad_output; no data moves. BigDL: Transpose, which takes
/// a list of pairs swapped in turn: chain Transpose modules in a Sequential for that.
class Transpose final : public TensorModule {
 public:
  using Options = TransposeOptions;
  static constexpr std::string_view kTypeName = "nn.Transpose";

  explicit Transpose(TransposeOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const TransposeOptions& options() const { return options_; }

 private:
  TransposeOptions options_;
};

}  // namespace ember::nn
