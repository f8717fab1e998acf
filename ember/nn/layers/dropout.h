#pragma once
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `Dropout`. Field names are the Python keyword arguments.
struct DropoutOptions {
  /// Probability of zeroing an element, in [0, 1].
  double p = 0.5;
  template <class V>
  void visit(V&& v) {
    v("p", p);
  }
};

/// Inverted dropout: in training, y = x * m / (1 - p) with m ~ Bernoulli(1 - p) drawn from the
/// default Generator (reproducible with manual_seed); in evaluation y = x. Backward uses the same
/// mask. Any shape. BigDL: Dropout (with its default scale=true; p = 1 gives zeros, as PyTorch).
///
/// Example:
///   auto drop = std::make_shared<Dropout>(DropoutOptions{.p = 0.2});
class Dropout final : public OptionsLayer<Dropout, DropoutOptions> {
 public:
  static constexpr std::string_view kTypeName = "nn.Dropout";
  explicit Dropout(DropoutOptions options = {});
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  /// The scaled mask of the last training forward (0 or 1/(1-p) per element).
  const Tensor& mask() const { return mask_; }

 private:
  Tensor mask_;
  bool masked_ = false;  // the last forward applied mask_ (training mode)
};

}  // namespace ember::nn
