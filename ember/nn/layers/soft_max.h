#pragma once
#include "ember/nn/layers/options_layer.h"

namespace ember::nn {

/// Options for `SoftMax` and `LogSoftMax`. Field names are the Python keyword arguments.
struct SoftMaxOptions {
  /// The dimension normalised over; negative counts from the end (-1: the last).
  int64_t dim = -1;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
  }
};

namespace detail {
/// Shared body of SoftMax and LogSoftMax (kernels::softmax_*); backward reads the saved output.
class SoftMaxBase : public TensorModule {
 public:
  SoftMaxBase(int64_t dim, bool log) : dim_(dim), log_(log) {}
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;

 private:
  int64_t checked_dim(const Tensor& input) const;
  int64_t dim_;
  bool log_;
};
}  // namespace detail

/// y = exp(x) / sum(exp(x)) along `dim` (numerically stable). Input of any shape with >= 1 dim,
/// output of the same shape. BigDL: SoftMax (BigDL normalises the last dim of 1-d/2-d input, the
/// default here; for 3-d/4-d input BigDL uses the channel dim: pass dim explicitly).
///
/// Example:
///   auto sm = std::make_shared<SoftMax>(SoftMaxOptions{.dim = 1});
class SoftMax final : public OptionsLayer<SoftMax, SoftMaxOptions, detail::SoftMaxBase> {
 public:
  static constexpr std::string_view kTypeName = "nn.SoftMax";
  explicit SoftMax(SoftMaxOptions options = {}) : OptionsLayer(options, options.dim, false) {}
};

}  // namespace ember::nn
