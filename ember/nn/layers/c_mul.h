#pragma once
#include "ember/nn/layers/broadcast_param.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `CMul`. Field names are the Python keyword arguments.
struct CMulOptions {
  /// Shape of the learnable "weight", broadcast to the input (NumPy rules, aligned right).
  std::vector<int64_t> size;
  template <class V>
  void visit(V&& v) {
    v("size", size);
  }
};

/// y = x * weight with a learnable "weight" of shape `size` broadcast to the input, e.g. size [C, 1, 1]
/// for input [N, C, H, W]. Output of the input's shape; the weight gradient sums over the broadcast
/// dims. Default init U(-1/sqrt(n), 1/sqrt(n)), n = numel of weight. BigDL: CMul (BigDL expands
/// weight to the input's size; any NumPy-broadcastable input is accepted here).
///
/// Example:
///   auto layer = std::make_shared<CMul>(CMulOptions{.size = {3, 1, 1}});
class CMul final : public OptionsLayer<CMul, CMulOptions, detail::BroadcastParamLayer> {
 public:
  static constexpr std::string_view kTypeName = "nn.CMul";
  explicit CMul(CMulOptions options = {});
  Tensor& weight() { return param_; }
  Tensor& grad_weight() { return grad_param_; }

 protected:
  Tensor operand_view(const Tensor& t) const override;
};

}  // namespace ember::nn
