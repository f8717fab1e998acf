#include "ember/nn/layers/join_table.h"

#include "ember/nn/layers/view_util.h"

namespace ember::nn {

JoinTable::JoinTable(JoinTableOptions options) : options_(options) {
  EMBER_CHECK(options_.n_input_dims >= 0, "[nn.JoinTable] n_input_dims must be >= 0 (0 = unset), got ",
              options_.n_input_dims);
}

std::pair<int64_t, Shape> JoinTable::plan(const Table& in) const {
  EMBER_CHECK_SHAPE(!in.empty(), "input table is empty: expected at least 1 tensor");
  const Tensor& first = detail::tensor_at(in, 0, "input");
  const int64_t nd = first.dim();
  const bool batched = options_.n_input_dims > 0 && nd == options_.n_input_dims + 1;
  const int64_t d = detail::wrap_dim_checked(options_.dim >= 0 && batched ? options_.dim + 1 : options_.dim, nd, "dim",
                                             first.shape());
  Shape out = first.shape();
  for (size_t i = 1; i < in.size(); ++i) {
    const Tensor& t = detail::tensor_at(in, i, "input");
    EMBER_CHECK_TYPE(t.dtype() == first.dtype(), "input dtypes differ: expected ", first.dtype(), " (entry 0), got ",
                     t.dtype(), " at entry ", i);
    bool ok = t.dim() == nd;
    for (int64_t k = 0; ok && k < nd; ++k) ok = k == d || t.size(k) == first.size(k);
    EMBER_CHECK_SHAPE(ok, "input shapes do not match except in dim ", d, ": expected ", first.shape(),
                      " (entry 0) up to dim ", d, ", got ", t.shape(), " at entry ", i);
    out[d] += t.size(d);
  }
  return {d, out};
}

const Activity& JoinTable::update_output(const Activity& input) {
  const Table& in = detail::as_table(input, "input");
  const auto [d, shape] = plan(in);
  out_.resize_(shape, in[0].tensor().dtype());
  int64_t off = 0;
  for (const Activity& a : in) {
    const Tensor& t = a.tensor();
    out_.narrow(d, off, t.size(d)).copy_(t);
    off += t.size(d);
  }
  output_ = out_;
  return output_;
}

const Activity& JoinTable::update_grad_input(const Activity& input, const Activity& grad_output) {
  const Table& in = detail::as_table(input, "input");
  const auto [d, shape] = plan(in);
  const Tensor& g = detail::as_tensor(grad_output, "grad_output");
  EMBER_CHECK_SHAPE(g.shape() == shape, "grad_output shape mismatch: expected ", shape, ", got ", g.shape());
  Table& gi = detail::reuse_table(grad_input_, in.size());
  int64_t off = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const int64_t n = in[i].tensor().size(d);
    gi[i] = g.narrow(d, off, n);
    off += n;
  }
  return grad_input_;
}

}  // namespace ember::nn
