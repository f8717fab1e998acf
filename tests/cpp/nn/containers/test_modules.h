#pragma once
/// Small modules used only by the container tests (the real table and activation layers are
/// written elsewhere). Each keeps state from forward the way real layers do, so a container that
/// runs backward against the wrong forward state fails the gradient checks.

#include <algorithm>

#include "ember/nn/layers/linear.h"
#include "ember/nn/module.h"
#include "ember/tensor/ops.h"

namespace ember::nn::testmods {

/// Sums the Tensors of its input Table (like CAddTable); grad_input[i] = grad_output.
class SumTable final : public Module {
 public:
  std::string_view type_name() const override { return "test.SumTable"; }
  const Activity& update_output(const Activity& input) override {
    const Table& in = input.table();
    EMBER_CHECK_SHAPE(in.size() >= 1, "input table is empty: expected at least one tensor");
    out_.resize_as_(in[0].tensor()).copy_(in[0].tensor());
    for (size_t i = 1; i < in.size(); ++i) add_(out_, in[i].tensor());
    output_ = out_;
    return output_;
  }
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override {
    const size_t n = input.table().size();
    if (!grad_input_.is_table()) grad_input_ = Table();
    Table& g = grad_input_.table();
    g.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (!g[i].is_tensor()) g[i] = Tensor();
      g[i].tensor().resize_as_(grad_output.tensor()).copy_(grad_output.tensor());
    }
    return grad_input_;
  }

 private:
  Tensor out_;
};

/// y = tanh(x); backward reads the saved output (as real Tanh layers do).
class Tanh final : public TensorModule {
 public:
  std::string_view type_name() const override { return "test.Tanh"; }
  const Tensor& update_output(const Tensor& input) override {
    output_.resize_as_(input).copy_(tanh(input));
    return output_;
  }
  const Tensor& update_grad_input(const Tensor&, const Tensor& grad_output) override {
    grad_input_.resize_as_(grad_output).copy_(mul(grad_output, sub(Tensor::ones(output_.shape(), output_.dtype()),
                                                                    square(output_))));
    return grad_input_;
  }
};

/// y = x * x; backward reads the input saved by forward, not the one it is given.
class CachedSquare final : public TensorModule {
 public:
  std::string_view type_name() const override { return "test.CachedSquare"; }
  const Tensor& update_output(const Tensor& input) override {
    saved_.resize_as_(input).copy_(input);
    output_.resize_as_(input).copy_(square(input));
    return output_;
  }
  const Tensor& update_grad_input(const Tensor&, const Tensor& grad_output) override {
    grad_input_.resize_as_(grad_output).copy_(mul(mul(saved_, 2.0), grad_output));
    return grad_input_;
  }

 private:
  Tensor saved_;
};

/// Identity forward with a grad_input of the wrong shape, to exercise the containers' checks.
class WrongGrad final : public TensorModule {
 public:
  std::string_view type_name() const override { return "test.WrongGrad"; }
  const Tensor& update_output(const Tensor& input) override {
    output_.resize_as_(input).copy_(input);
    return output_;
  }
  const Tensor& update_grad_input(const Tensor& input, const Tensor&) override {
    grad_input_.resize_({1}, input.dtype()).zero_();
    return grad_input_;
  }
};

inline std::shared_ptr<Module> linear(int64_t in, int64_t out, DType dtype = DType::Float64) {
  auto m = std::make_shared<Linear>(LinearOptions{.in_features = in, .out_features = out});
  m->to(dtype);
  return m;
}

/// Largest |a - b| over two activities of the same structure (infinity when they differ).
inline double activity_diff(const Activity& a, const Activity& b) {
  if (a.is_tensor() && b.is_tensor()) {
    if (a.tensor().shape() != b.tensor().shape()) return 1e300;
    return max_abs_diff(a.tensor(), b.tensor());
  }
  if (a.is_table() && b.is_table() && a.table().size() == b.table().size()) {
    double d = 0;
    for (size_t i = 0; i < a.table().size(); ++i) d = std::max(d, activity_diff(a.table()[i], b.table()[i]));
    return d;
  }
  return 1e300;
}

/// A deep copy (module buffers are overwritten by the next call).
inline Activity deep_clone(const Activity& a) {
  if (a.is_tensor()) return a.tensor().clone();
  Table t;
  for (const Activity& x : a.table()) t.push_back(deep_clone(x));
  return t;
}

}  // namespace ember::nn::testmods
