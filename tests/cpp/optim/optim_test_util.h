#pragma once
/// Shared by the optim tests: the problem the PyTorch fixtures minimise and the method cases.

#include <string>
#include <utility>
#include <vector>

#include "common/fixture.h"
#include "ember/optim/all.h"
#include "ember/tensor/ops.h"

namespace ember::optim::test {

/// f(w) = 0.5 w.A w - b.w + 0.025 sum(w^4), g = A w - b + 0.1 w^3 (tools/fixtures/gen_optim.py).
/// Like a model's flat gradient, the returned gradient is one buffer overwritten by every call.
struct QuarticProblem {
  Tensor a, b;
  Tensor grad;
  int64_t evaluations = 0;

  QuarticProblem(Tensor a_, Tensor b_)
      : a(std::move(a_)), b(std::move(b_)), grad(Tensor::zeros(b.shape(), b.dtype())) {}

  std::pair<double, Tensor> operator()(const Tensor& w) {
    ++evaluations;
    const Tensor aw = matmul(a, w);
    grad.copy_(add(sub(aw, b), mul(pow(w, 3.0), 0.1)));
    const double loss = 0.5 * sum_all(mul(w, aw)) - sum_all(mul(b, w)) + 0.025 * sum_all(pow(w, 4.0));
    return {loss, grad};
  }
  Feval feval() {
    return [this](const Tensor& w) { return (*this)(w); };
  }
};

/// A fixture case: tools/fixtures/gen_optim.py's name, the Ember registry name and options.
struct MethodCase {
  std::string name;
  std::string method;
  nn::Config config;
};

inline std::vector<MethodCase> method_cases() {
  using V = std::vector<double>;
  return {
      {"sgd", "sgd", {{"learning_rate", 0.1}}},
      {"sgd_momentum", "sgd", {{"learning_rate", 0.05}, {"momentum", 0.9}, {"dampening", 0.1}, {"weight_decay", 0.01}}},
      {"sgd_nesterov",
       "optim.SGD",
       {{"learning_rate", 0.05}, {"momentum", 0.9}, {"nesterov", true}, {"weight_decay", 0.01}}},
      {"adam", "adam", {{"learning_rate", 0.05}, {"betas", V{0.9, 0.99}}, {"weight_decay", 0.01}}},
      {"adam_amsgrad", "Adam", {{"learning_rate", 0.05}, {"amsgrad", true}}},
      {"adamw", "adamw", {{"learning_rate", 0.05}, {"weight_decay", 0.1}}},
      {"adamw_amsgrad", "adamw", {{"learning_rate", 0.05}, {"betas", V{0.8, 0.9}}, {"amsgrad", true}}},
      {"adamax", "adamax", {{"learning_rate", 0.05}, {"weight_decay", 0.01}}},
      {"adagrad", "adagrad",
       {{"learning_rate", 0.1},
        {"learning_rate_decay", 0.01},
        {"weight_decay", 0.01},
        {"initial_accumulator_value", 0.1}}},
      {"adadelta", "adadelta", {{"learning_rate", 1.0}, {"rho", 0.9}, {"eps", 1e-6}, {"weight_decay", 0.01}}},
      {"rmsprop", "rmsprop", {{"learning_rate", 0.01}, {"alpha", 0.9}, {"weight_decay", 0.01}}},
      {"rmsprop_centered", "RMSprop", {{"learning_rate", 0.01}, {"alpha", 0.9}, {"momentum", 0.5}, {"centered", true}}},
      {"lbfgs", "lbfgs", {{"learning_rate", 0.3}, {"max_iter", int64_t{2}}, {"history_size", int64_t{3}}}},
      {"lbfgs_wolfe", "lbfgs",
       {{"learning_rate", 1.0}, {"max_iter", int64_t{2}}, {"history_size", int64_t{3}},
        {"line_search_fn", std::string("strong_wolfe")}}},
      {"ftrl", "ftrl",
       {{"learning_rate", 0.1}, {"learning_rate_power", -0.5}, {"initial_accumulator_value", 0.1},
        {"l1_regularization_strength", 0.01}, {"l2_regularization_strength", 0.01}}},
      {"ftrl_shrinkage", "ftrl",
       {{"learning_rate", 0.2}, {"learning_rate_power", -0.3}, {"initial_accumulator_value", 0.05},
        {"l1_regularization_strength", 0.02}, {"l2_shrinkage_regularization_strength", 0.05}}},
  };
}

inline const char* dtype_tag(DType dt) { return dt == DType::Float32 ? "float32" : "float64"; }

}  // namespace ember::optim::test
