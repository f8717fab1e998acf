#include "ember/nn/layers/c_add_table.h"

#include "ember/nn/layers/view_util.h"
#include "ember/tensor/kernels/sum_to.h"
#include "ember/tensor/ops.h"

namespace ember::nn {

const Activity& CAddTable::update_output(const Activity& input) {
  const Table& in = detail::as_table(input, "input");
  detail::fold_elementwise_table(in, out_, [](Tensor& acc, const Tensor& x) { add_(acc, x); });
  output_ = out_;
  return output_;
}

const Activity& CAddTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  const Table& in = detail::as_table(input, "input");
  const Shape shape = detail::check_elementwise_table(in);
  const Tensor& g = detail::as_tensor(grad_output, "grad_output");
  EMBER_CHECK_SHAPE(g.shape() == shape, "grad_output shape mismatch: expected ", shape, ", got ", g.shape());
  Table& gi = detail::reuse_table(grad_input_, in.size());
  grads_.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const Tensor& x = in[i].tensor();
    if (x.shape() == shape) {
      gi[i] = g;
    } else {
      grads_[i].resize_(x.shape(), x.dtype());
      kernels::sum_to(g, grads_[i]);
      gi[i] = grads_[i];
    }
  }
  return grad_input_;
}

}  // namespace ember::nn
