#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Narrow`.
///
/// Example:
///   NarrowOptions{.dim = 1, .start = 2, .length = 3}   // [N, 10] -> [N, 3], columns 2..4
///   NarrowOptions{.dim = 1, .start = 2, .length = -1}  // columns 2..9 (to the end)
struct NarrowOptions {
  /// Dim to narrow (negative counts from the end).
  int64_t dim = 0;
  /// First index, 0-based; negative counts from the end (-1 is the last element).
  int64_t start = 0;
  /// Number of elements; negative means "to the end" (-1) or "to the end minus k" (-1-k).
  int64_t length = 1;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
    v("start", start);
    v("length", length);
  }
};

/// Elements [start, start + length) along `dim`, like torch.narrow; the output is a view of the
/// input. grad_input is zeros of the input's shape with grad_output in the narrowed range.
/// BigDL: Narrow(dimension, offset, length) with 1-based dimension and offset; its negative length
/// rule (length = size - offset + length + 1, counted 1-based) is kept.
class Narrow final : public TensorModule {
 public:
  using Options = NarrowOptions;
  static constexpr std::string_view kTypeName = "nn.Narrow";

  explicit Narrow(NarrowOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const NarrowOptions& options() const { return options_; }

 private:
  struct Range {
    int64_t dim, start, length;
  };
  Range range(const Tensor& input) const;
  NarrowOptions options_;
};

}  // namespace ember::nn
