#include "common/gradient_check.h"

#include <cmath>
#include <sstream>

#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"

namespace ember::test {

Tensor random_tensor(const Shape& shape, uint64_t seed, double lo, double hi, DType dtype) {
  Generator g(seed);
  Tensor t = Tensor::empty(shape, dtype);
  uniform_(t, lo, hi, &g);
  return t;
}

std::vector<Tensor*> tensors_of(nn::Activity& a) {
  std::vector<Tensor*> out;
  if (a.is_tensor()) {
    out.push_back(&a.tensor());
  } else if (a.is_table()) {
    for (nn::Activity& x : a.table()) {
      auto sub = tensors_of(x);
      out.insert(out.end(), sub.begin(), sub.end());
    }
  }
  return out;
}

namespace {
// Deep copy so that later forwards (which reuse buffers) cannot change it.
nn::Activity deep_clone(const nn::Activity& a) {
  if (a.is_tensor()) return nn::Activity(a.tensor().clone());
  if (a.is_table()) {
    nn::Table t;
    for (const nn::Activity& x : a.table()) t.push_back(deep_clone(x));
    return nn::Activity(std::move(t));
  }
  return {};
}

// Random weights R with the structure of `out`.
nn::Activity random_like(const nn::Activity& out, uint64_t& seed) {
  if (out.is_tensor()) return nn::Activity(random_tensor(out.tensor().shape(), seed++, -1, 1, out.tensor().dtype()));
  nn::Table t;
  for (const nn::Activity& x : out.table()) t.push_back(random_like(x, seed));
  return nn::Activity(std::move(t));
}

double dot(const nn::Activity& a, const nn::Activity& b) {
  if (a.is_tensor()) return sum_all(mul(a.tensor(), b.tensor()));
  double s = 0;
  for (size_t i = 0; i < a.table().size(); ++i) s += dot(a.table()[i], b.table()[i]);
  return s;
}

bool close(double analytic, double numeric, const GradCheckOptions& o) {
  return std::abs(analytic - numeric) <= o.atol + o.rtol * std::abs(numeric);
}

// Perturbs every element of `x`, compares the numeric derivative of loss() with `analytic`.
template <class Loss>
::testing::AssertionResult compare(const std::string& what, Tensor& x, const Tensor& analytic, Loss loss,
                                   const GradCheckOptions& o) {
  if (x.dtype() != DType::Float64)
    return ::testing::AssertionFailure() << what << " must be float64 for a gradient check, got " << x.dtype();
  if (!analytic.defined() || analytic.shape() != x.shape())
    return ::testing::AssertionFailure() << what << ": analytic gradient has shape "
                                         << (analytic.defined() ? detail::str_cat(analytic.shape()) : "undefined")
                                         << ", expected " << x.shape();
  const Tensor a = analytic.contiguous().clone();
  const std::vector<double> av = a.to_vector();
  const int64_t n = x.numel();
  Tensor flat = x.is_contiguous() ? x.view({n}) : Tensor();
  if (!flat.defined()) return ::testing::AssertionFailure() << what << " must be contiguous";
  double* p = flat.data<double>();
  for (int64_t i = 0; i < n; ++i) {
    const double orig = p[i];
    p[i] = orig + o.eps;
    const double lp = loss();
    p[i] = orig - o.eps;
    const double lm = loss();
    p[i] = orig;
    const double num = (lp - lm) / (2 * o.eps);
    if (!close(av[i], num, o))
      return ::testing::AssertionFailure() << what << " element " << i << " of " << n << " (shape " << x.shape()
                                           << "): analytic " << av[i] << " vs numeric " << num;
  }
  return ::testing::AssertionSuccess();
}
}  // namespace

::testing::AssertionResult check_module_gradients(nn::Module& m, const nn::Activity& input_in,
                                                  const GradCheckOptions& o) {
  nn::Activity input = deep_clone(input_in);
  uint64_t seed = o.seed;
  const nn::Activity out0 = deep_clone(m.forward(input));
  const nn::Activity r = random_like(out0, seed);
  auto loss = [&] { return dot(m.forward(input), r); };

  m.zero_grad_parameters();
  m.forward(input);
  const nn::Activity grad_in = deep_clone(m.backward(input, r));
  auto params = m.named_parameters();
  std::vector<Tensor> grads;
  for (auto& p : params) grads.push_back(p.grad->clone());

  if (o.check_input) {
    auto xs = tensors_of(input);
    nn::Activity gi = grad_in;
    auto gs = tensors_of(gi);
    if (gs.size() != xs.size())
      return ::testing::AssertionFailure() << "grad_input has " << gs.size() << " tensors, input has " << xs.size();
    for (size_t k = 0; k < xs.size(); ++k) {
      auto res = compare("input tensor " + std::to_string(k), *xs[k], *gs[k], loss, o);
      if (!res) return res;
    }
  }
  if (o.check_parameters) {
    for (size_t k = 0; k < params.size(); ++k) {
      if (params[k].frozen) continue;
      auto res = compare("parameter '" + params[k].name + "'", *params[k].value, grads[k], loss, o);
      if (!res) return res;
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult check_criterion_gradients(nn::Criterion& c, const nn::Activity& input_in,
                                                     const nn::Activity& target, const GradCheckOptions& o) {
  nn::Activity input = deep_clone(input_in);
  c.forward(input, target);
  nn::Activity g = deep_clone(c.backward(input, target));
  auto loss = [&] { return c.forward(input, target); };
  auto xs = tensors_of(input);
  auto gs = tensors_of(g);
  if (gs.size() != xs.size())
    return ::testing::AssertionFailure() << "grad_input has " << gs.size() << " tensors, input has " << xs.size();
  for (size_t k = 0; k < xs.size(); ++k) {
    auto res = compare("input tensor " + std::to_string(k), *xs[k], *gs[k], loss, o);
    if (!res) return res;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace ember::test
