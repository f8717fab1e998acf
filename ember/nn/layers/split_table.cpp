#include "ember/nn/layers/split_table.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

SplitTable::SplitTable(SplitTableOptions options) : options_(options) {
  EMBER_CHECK(options_.n_input_dims >= 0, "[nn.SplitTable] n_input_dims must be >= 0 (0 = unset), got ",
              options_.n_input_dims);
}

int64_t SplitTable::split_dim(const Tensor& input) const {
  const bool batched = options_.n_input_dims > 0 && input.dim() == options_.n_input_dims + 1;
  return detail::wrap_dim_checked(options_.dim >= 0 && batched ? options_.dim + 1 : options_.dim, input.dim(), "dim",
                                  input.shape());
}

const Activity& SplitTable::update_output(const Activity& input) {
  const Tensor& x = detail::as_tensor(input, "input");
  const int64_t d = split_dim(x);
  Table& out = detail::reuse_table(output_, static_cast<size_t>(x.size(d)));
  for (int64_t i = 0; i < x.size(d); ++i) out[i] = x.select(d, i);
  return output_;
}

const Activity& SplitTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  const Tensor& x = detail::as_tensor(input, "input");
  const int64_t d = split_dim(x);
  const Table& g = detail::as_table(grad_output, "grad_output");
  EMBER_CHECK_SHAPE(static_cast<int64_t>(g.size()) == x.size(d), "grad_output has the wrong number of entries: ",
                    "expected ", x.size(d), " (input size along dim ", d, "), got ", g.size());
  Shape slice = x.shape();
  slice.erase(d);
  grad_.resize_(x.shape(), x.dtype());
  for (size_t i = 0; i < g.size(); ++i) {
    const Tensor& gi = detail::tensor_at(g, i, "grad_output");
    EMBER_CHECK_SHAPE(gi.shape() == slice, "grad_output entry ", i, " has the wrong shape: expected ", slice, ", got ",
                      gi.shape());
    grad_.select(d, static_cast<int64_t>(i)).copy_(gi);
  }
  grad_input_ = grad_;
  return grad_input_;
}

}  // namespace ember::nn
