#pragma once
#include "ember/nn/layers/broadcast_param.h"
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `Add`. Field names are the Python keyword arguments (BigDL's `inputSize`).
struct AddOptions {
  int64_t input_size = 0;
  template <class V>
  void visit(V&& v) {
    v("input_size", input_size);
  }
};

/// y = x + bias with a learnable "bias" [input_size] added to every sample. Input [input_size] or
/// [N, ...] with input_size elements per sample; output of the input's shape. Default init
/// U(-1/sqrt(input_size), 1/sqrt(input_size)). BigDL: Add.
///
/// Example:
///   auto add = std::make_shared<Add>(AddOptions{.input_size = 10});
class Add final : public OptionsLayer<Add, AddOptions, detail::BroadcastParamLayer> {
 public:
  static constexpr std::string_view kTypeName = "nn.Add";
  explicit Add(AddOptions options = {});
  Tensor& bias() { return param_; }
  Tensor& grad_bias() { return grad_param_; }

 protected:
  Tensor operand_view(const Tensor& t) const override;
};

}  // namespace ember::nn
