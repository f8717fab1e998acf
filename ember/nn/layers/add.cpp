#include "ember/nn/layers/add.h"

namespace ember::nn {

namespace {
int64_t checked_size(const AddOptions& o) {
  EMBER_CHECK(o.input_size > 0, "[nn.Add] input_size must be positive, got ", o.input_size);
  return o.input_size;
}
}  // namespace

Add::Add(AddOptions options) : OptionsLayer(options, Op::Add, Shape{checked_size(options)}) {}

Tensor Add::operand_view(const Tensor& t) const {
  const int64_t n = options_.input_size;
  if (t.dim() == 1 && t.size(0) == n) return t;
  EMBER_CHECK_SHAPE(t.dim() >= 2 && t.numel() == t.size(0) * n,
                    "input size mismatch: expected [input_size] or [N, ...] with input_size=", n,
                    " elements per sample, got input of shape ", t.shape());
  return t.reshape({t.size(0), n});
}

}  // namespace ember::nn
