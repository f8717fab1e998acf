#include "ember/nn/containers/concat.h"

#include "ember/nn/containers/activity_ops.h"

namespace ember::nn {

Concat::Concat(ConcatOptions options) : options_(options) {}

Concat::Concat(ConcatOptions options, std::vector<ModulePtr> modules) : options_(options) {
  for (auto& m : modules) add(std::move(m));
}

const Activity& Concat::update_output(const Activity& input) {
  EMBER_CHECK(size() > 0, "has no children: add modules before calling forward");
  const size_t n = size();
  offsets_.resize(n);
  Shape shape;
  DType dtype = DType::Float32;
  for (size_t i = 0; i < n; ++i) {
    in_child(i, [&](Module& m) { m.forward(input); });
    const Activity& y = get(i)->output();
    const std::string& key = named_children()[i].first;
    EMBER_CHECK_TYPE(y.is_tensor() && y.tensor().defined(), "child '", key,
                     "' must return a Tensor to be concatenated: expected a Tensor, got ", y.describe());
    const Tensor& t = y.tensor();
    if (i == 0) {
      shape = t.shape();
      dtype = t.dtype();
      const int64_t nd = t.dim();
      EMBER_CHECK_INDEX(options_.dim >= -nd && options_.dim < nd, "dim out of range: expected dim in [", -nd, ", ",
                        nd - 1, "] for outputs of shape ", t.shape(), ", got dim=", options_.dim);
      dim_ = options_.dim < 0 ? options_.dim + nd : options_.dim;
      offsets_[0] = 0;
      continue;
    }
    bool same = t.dim() == shape.size();
    for (int64_t d = 0; same && d < t.dim(); ++d) same = d == dim_ || t.size(d) == shape[d];
    EMBER_CHECK_SHAPE(same, "output of child '", key, "' cannot be concatenated along dim=", options_.dim,
                      ": expected every size but dim ", dim_, " to match child '", named_children()[0].first,
                      "' (shape ", get(0)->output().tensor().shape(), "), got shape ", t.shape());
    EMBER_CHECK_TYPE(t.dtype() == dtype, "output of child '", key, "' has dtype ", t.dtype(), ": expected ", dtype,
                     " like child '", named_children()[0].first, "'");
    offsets_[i] = shape[dim_];
    shape[dim_] += t.size(dim_);
  }
  out_.resize_(shape, dtype);
  for (size_t i = 0; i < n; ++i) {
    const Tensor& t = get(i)->output().tensor();
    out_.narrow(dim_, offsets_[i], t.size(dim_)).copy_(t);
  }
  output_ = out_;
  return output_;
}

void Concat::slice_grad_output(const Activity& grad_output) {
  EMBER_CHECK(size() > 0, "has no children: add modules before calling backward");
  EMBER_CHECK_TYPE(grad_output.is_tensor() && grad_output.tensor().defined(),
                   "grad_output must be a Tensor: expected Tensor", out_.shape(), ", got ", grad_output.describe());
  const Tensor& g = grad_output.tensor();
  EMBER_CHECK_SHAPE(out_.defined() && offsets_.size() == size() && g.shape() == out_.shape(),
                    "grad_output shape mismatch: expected the output shape ",
                    out_.defined() ? ember::detail::str_cat(out_.shape()) : "(call forward first)", ", got ",
                    g.shape());
  slices_.resize(size());
  for (size_t i = 0; i < size(); ++i) {
    const Tensor s = g.narrow(dim_, offsets_[i], get(i)->output().tensor().size(dim_));
    // Slices along an inner dim are strided; children get a contiguous copy so no layer has to
    // cope with that (the copy buffer is reused across calls).
    if (s.is_contiguous()) {
      slices_[i] = s;
    } else {
      if (!slices_[i].is_tensor()) slices_[i] = Tensor();
      Tensor& buf = slices_[i].tensor();
      // The previous call may have left a view of grad_output here: never write through it.
      if (buf.shares_storage(g)) buf = Tensor();
      buf.resize_(s.shape(), s.dtype()).copy_(s);
    }
  }
}

void Concat::accumulate_grad_input(size_t i, const Activity& input, const Activity& grad, bool first) {
  detail::check_child_grad_input(grad, input, named_children()[i].first);
  if (first) {
    detail::copy_activity(grad_sum_, grad);
  } else {
    if (detail::SumMismatch m = detail::add_activity(grad_sum_, grad))
      detail::throw_sum_mismatch(m, "grad_input of child '" + named_children()[i].first + "'");
  }
}

const Activity& Concat::update_grad_input(const Activity& input, const Activity& grad_output) {
  slice_grad_output(grad_output);
  for (size_t i = size(); i-- > 0;) {
    const Activity& g =
        in_child(i, [&](Module& m) -> const Activity& { return m.update_grad_input(input, slices_[i]); });
    accumulate_grad_input(i, input, g, i + 1 == size());
  }
  grad_input_ = grad_sum_;
  return grad_input_;
}

void Concat::acc_grad_parameters(const Activity& input, const Activity& grad_output) {
  slice_grad_output(grad_output);
  for (size_t i = size(); i-- > 0;) in_child(i, [&](Module& m) { m.acc_grad_parameters(input, slices_[i]); });
}

const Activity& Concat::backward(const Activity& input, const Activity& grad_output) {
  return with_context([&]() -> const Activity& {
    slice_grad_output(grad_output);
    for (size_t i = size(); i-- > 0;) {
      const Activity& g = in_child(i, [&](Module& m) -> const Activity& { return m.backward(input, slices_[i]); });
      if (propagate_back_) accumulate_grad_input(i, input, g, i + 1 == size());
    }
    if (propagate_back_) grad_input_ = grad_sum_;
    return grad_input_;
  });
}

Module& Concat::set_propagate_back(bool propagate) {
  Module::set_propagate_back(propagate);
  for (const auto& [key, child] : named_children()) child->set_propagate_back(propagate);
  return *this;
}

}  // namespace ember::nn
