#pragma once
#include "ember/nn/layers/broadcast_param.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `CAdd`. Field names are the Python keyword arguments.
struct CAddOptions {
  /// Shape of the learnable "bias", broadcast to the input (NumPy rules, aligned right).
  std::vector<int64_t> size;
  template <class V>
  void visit(V&& v) {
    v("size", size);
  }
};

/// y = x + bias with a learnable "bias" of shape `size` broadcast to the input, e.g. size [C, 1, 1]
/// for input [N, C, H, W]. Output of the input's shape; the bias gradient sums over the broadcast
/// dims. Default init U(-1/sqrt(n), 1/sqrt(n)), n = numel of bias. BigDL: CAdd (BigDL expands
/// bias to the input's size; any NumPy-broadcastable input is accepted here).
///
/// Example:
///   auto layer = std::make_shared<CAdd>(CAddOptions{.size = {3, 1, 1}});
class CAdd final : public OptionsLayer<CAdd, CAddOptions, detail::BroadcastParamLayer> {
 public:
  static constexpr std::string_view kTypeName = "nn.CAdd";
  explicit CAdd(CAddOptions options = {});
  Tensor& bias() { return param_; }
  Tensor& grad_bias() { return grad_param_; }

 protected:
  Tensor operand_view(const Tensor& t) const override;
};

}  // namespace ember::nn
