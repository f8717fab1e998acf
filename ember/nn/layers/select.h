#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Select`.
///
/// Example:
///   SelectOptions{.dim = 1, .index = -1}               // [N, T, H] -> [N, H], the last step
struct SelectOptions {
  /// Dim to remove (negative counts from the end).
  int64_t dim = 0;
  /// Index along `dim`, 0-based; negative counts from the end.
  int64_t index = 0;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
    v("index", index);
  }
};

/// Slice `index` along `dim`, removing the dim, like torch.select; the output is a view of the
/// input. grad_input is zeros of the input's shape with grad_output in the selected slice.
/// BigDL: Select(dimension, index), both 1-based there.
class Select final : public TensorModule {
 public:
  using Options = SelectOptions;
  static constexpr std::string_view kTypeName = "nn.Select";

  explicit Select(SelectOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const SelectOptions& options() const { return options_; }

 private:
  std::pair<int64_t, int64_t> resolve(const Tensor& input) const;
  SelectOptions options_;
};

}  // namespace ember::nn
