#include "ember/nn/layers/c_mul_table.h"

#include "ember/nn/layers/view_util.h"
#include "ember/tensor/kernels/sum_to.h"
#include "ember/tensor/ops.h"

namespace ember::nn {

const Activity& CMulTable::update_output(const Activity& input) {
  const Table& in = detail::as_table(input, "input");
  detail::fold_elementwise_table(in, out_, [](Tensor& acc, const Tensor& x) { mul_(acc, x); });
  output_ = out_;
  return output_;
}

const Activity& CMulTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  const Table& in = detail::as_table(input, "input");
  const Shape shape = detail::check_elementwise_table(in);
  const Tensor& g = detail::as_tensor(grad_output, "grad_output");
  EMBER_CHECK_SHAPE(g.shape() == shape, "grad_output shape mismatch: expected ", shape, ", got ", g.shape());
  Table& gi = detail::reuse_table(grad_input_, in.size());
  grads_.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const Tensor& x = in[i].tensor();
    const bool full = x.shape() == shape;
    Tensor& prod = full ? grads_[i] : tmp_;
    prod.resize_(shape, x.dtype());
    prod.copy_(g);
    for (size_t j = 0; j < in.size(); ++j)
      if (j != i) mul_(prod, in[j].tensor());
    if (!full) {
      grads_[i].resize_(x.shape(), x.dtype());
      kernels::sum_to(tmp_, grads_[i]);
    }
    gi[i] = grads_[i];
  }
  return grad_input_;
}

}  // namespace ember::nn
