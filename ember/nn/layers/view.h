#pragma once
#include <vector>

#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `View`.
///
/// Example:
///   ViewOptions{.sizes = {-1, 4}}                        // [2, 3, 4] -> [6, 4]
///   ViewOptions{.sizes = {4}, .num_input_dims = 1}       // [N, 4] -> [N, 4]; [4] -> [4]
struct ViewOptions {
  /// Target sizes; at most one may be -1 (inferred).
  std::vector<int64_t> sizes;
  /// Number of non-batch input dims (BigDL's setNumInputDims); 0 = unset. When set, input dims
  /// beyond it are batch dims and are folded into a leading batch dimension of the output.
  int64_t num_input_dims = 0;
  template <class V>
  void visit(V&& v) {
    v("sizes", sizes);
    v("num_input_dims", num_input_dims);
  }
};

/// Views the input with new sizes, Torch7/BigDL style: when the input holds a whole multiple
/// B > 1 of prod(sizes) elements (and no size is -1), or has dims beyond `num_input_dims`, the
/// output is [B, sizes...]; otherwise [sizes...]. A view of the input when the layout allows it,
/// a copy otherwise; grad_input is grad_output viewed as the input's shape. BigDL: View.
///
/// Example:
///   auto v = std::make_shared<View>(ViewOptions{.sizes = {-1}});
///   v->forward(Tensor::zeros({2, 3, 4}));      // [24]
class View final : public TensorModule {
 public:
  using Options = ViewOptions;
  static constexpr std::string_view kTypeName = "nn.View";

  explicit View(ViewOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const ViewOptions& options() const { return options_; }

 private:
  Shape output_shape(const Tensor& input) const;
  ViewOptions options_;
  int64_t known_ = 1;    // product of the sizes that are not -1
  bool has_infer_ = false;
  Tensor out_buf_, grad_buf_;
};

}  // namespace ember::nn
