#include <gtest/gtest.h>

#include <cmath>

#include "optim_test_util.h"

namespace ember::optim {
namespace {

using test::dtype_tag;
using test::method_cases;
using test::QuarticProblem;

class MethodsMatchPyTorch : public ::testing::TestWithParam<DType> {};

// Every method, 6 steps on the quartic problem: the weights after each step and the returned loss
// equal torch.optim's (BigDL's Ftrl replayed in PyTorch ops for Ftrl).
TEST_P(MethodsMatchPyTorch, WeightsAfterEachStep) {
  const DType dt = GetParam();
  const std::string tag = dtype_tag(dt);
  const double tol = dt == DType::Float32 ? 1e-5 : 1e-10;
  const auto f = ember::test::load_fixture("optim/methods");
  for (const auto& c : method_cases()) {
    SCOPED_TRACE(c.name + " " + tag);
    QuarticProblem problem(f.get("A_" + tag), f.get("b_" + tag));
    Tensor w = f.get("w0_" + tag).clone();
    ASSERT_EQ(w.dtype(), dt);
    auto method = make_optim_method(c.method, c.config);
    const Tensor& expected = f.get(c.name + "_" + tag);
    const Tensor& losses = f.get(c.name + "_" + tag + "_loss");
    for (int64_t s = 0; s < expected.size(0); ++s) {
      const double loss = method->optimize(problem.feval(), w);
      EXPECT_NEAR(loss, losses.at({s}), tol * std::max(1.0, std::abs(losses.at({s})))) << "step " << s;
      EXPECT_LT(max_abs_diff(w, expected.select(0, s)), tol) << "step " << s;
    }
    EXPECT_EQ(method->iteration(), expected.size(0));
  }
}

INSTANTIATE_TEST_SUITE_P(Dtypes, MethodsMatchPyTorch, ::testing::Values(DType::Float32, DType::Float64),
                         [](const auto& info) { return std::string(dtype_tag(info.param)); });

TEST(LBFGSTest, EvaluatesSeveralTimesPerStepAndCountsLikePyTorch) {
  const auto f = ember::test::load_fixture("optim/methods");
  QuarticProblem problem(f.get("A_float64"), f.get("b_float64"));
  Tensor w = f.get("w0_float64").clone();
  LBFGS lbfgs(LBFGSOptions{.max_iter = 5, .history_size = 3});
  lbfgs.optimize(problem.feval(), w);
  // Without line search: one evaluation at the start, then one per iteration except the last.
  EXPECT_EQ(problem.evaluations, 5);
  EXPECT_EQ(lbfgs.num_evaluations(), 5);
  EXPECT_EQ(lbfgs.num_inner_iterations(), 5);
}

TEST(LBFGSTest, StopsAtOnceWhenTheGradientIsBelowTolerance) {
  Tensor w = Tensor::from_vector(std::vector<double>{1.0, 2.0}, {2});
  const Tensor before = w.clone();
  int calls = 0;
  LBFGS lbfgs(LBFGSOptions{.tolerance_grad = 1e-3});
  const double loss = lbfgs.optimize(
      [&](const Tensor& x) {
        ++calls;
        return std::pair<double, Tensor>{7.0, Tensor::full(x.shape(), 1e-4, x.dtype())};
      },
      w);
  EXPECT_EQ(loss, 7.0);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(max_abs_diff(w, before), 0.0);
}

TEST(LBFGSTest, StrongWolfeConvergesOnAQuadraticLikePyTorch) {
  // f = 0.5 w.D w with D = diag(1..6) from w = 1: torch.optim.LBFGS(max_iter=50,
  // line_search_fn="strong_wolfe") stops after 11 iterations and 12 evaluations at |w| = 3.53315e-06
  // (the loss change falls below tolerance_change).
  std::vector<double> diag{1, 2, 3, 4, 5, 6};
  const Tensor d = Tensor::from_vector(diag, {6});
  Tensor w = Tensor::ones({6}, DType::Float64);
  LBFGS lbfgs(LBFGSOptions{.max_iter = 50, .line_search_fn = "strong_wolfe"});
  Tensor g = Tensor::zeros({6}, DType::Float64);
  lbfgs.optimize(
      [&](const Tensor& x) {
        g.copy_(mul(d, x));
        return std::pair<double, Tensor>{0.5 * sum_all(mul(x, g)), g};
      },
      w);
  EXPECT_NEAR(norm(w), 3.5331545168173843e-06, 1e-12);
  EXPECT_EQ(lbfgs.num_inner_iterations(), 11);
  EXPECT_EQ(lbfgs.num_evaluations(), 12);
}

TEST(SGDTest, LearningRateDecayFollowsBigDL) {
  // BigDL's Default schedule: rate = lr / (1 + iteration * decay); g = 1 everywhere.
  SGD sgd(SGDOptions{.learning_rate = 0.1, .learning_rate_decay = 0.5});
  Tensor w = Tensor::zeros({3}, DType::Float64);
  const Feval ones = [](const Tensor& x) { return std::pair<double, Tensor>{0.0, Tensor::ones(x.shape(), x.dtype())}; };
  double expected = 0;
  for (int k = 0; k < 4; ++k) {
    EXPECT_DOUBLE_EQ(sgd.learning_rate(), 0.1 / (1 + 0.5 * k));
    expected -= 0.1 / (1 + 0.5 * k);
    sgd.optimize(ones, w);
    EXPECT_NEAR(w.at({1}), expected, 1e-15);
  }
}

TEST(OptimMethodTest, DecayComposesWithTheSchedule) {
  // BigDL's learning_rate_decay (Adam, RMSprop, SGD, Adagrad) divides whatever the schedule gives.
  Adam adam(AdamOptions{.learning_rate = 0.1, .learning_rate_decay = 1.0});
  adam.set_schedule(std::make_shared<Step>(1, 0.5));
  Tensor w = Tensor::zeros({2});
  const Feval ones = [](const Tensor& x) { return std::pair<double, Tensor>{0.0, Tensor::ones(x.shape())}; };
  for (int k = 0; k < 3; ++k) {
    EXPECT_DOUBLE_EQ(adam.learning_rate(), 0.1 * std::pow(0.5, k) / (1 + k));
    adam.optimize(ones, w);
  }
  EXPECT_EQ(RMSprop(RMSpropOptions{.learning_rate_decay = 0.5}).learning_rate_decay(), 0.5);
  EXPECT_EQ(AdamW().learning_rate_decay(), 0.0);
}

TEST(SGDTest, DoesNotModifyTheGradient) {
  SGD sgd(SGDOptions{.learning_rate = 0.1, .weight_decay = 0.5, .momentum = 0.9});
  Tensor w = Tensor::ones({4});
  Tensor g = Tensor::full({4}, 2.0);
  sgd.optimize([&](const Tensor&) { return std::pair<double, Tensor>{0.0, g}; }, w);
  EXPECT_EQ(g.at({0}), 2.0f);
  EXPECT_NEAR(w.at({0}), 1 - 0.1 * (2 + 0.5), 1e-7);
}

TEST(OptimMethodTest, LargeBuffersUseTheChunkedLoopAndMatchSmallOnes) {
  // 200k elements run in parallel chunks; every element must get the same update as a 1-element run.
  const int64_t n = 200000;
  Tensor w = Tensor::full({n}, 0.5, DType::Float32), g = Tensor::full({n}, 0.25, DType::Float32);
  Tensor w1 = Tensor::full({1}, 0.5, DType::Float32), g1 = Tensor::full({1}, 0.25, DType::Float32);
  Adam big(AdamOptions{.learning_rate = 0.1}), small(AdamOptions{.learning_rate = 0.1});
  for (int s = 0; s < 3; ++s) {
    big.optimize([&](const Tensor&) { return std::pair<double, Tensor>{0.0, g}; }, w);
    small.optimize([&](const Tensor&) { return std::pair<double, Tensor>{0.0, g1}; }, w1);
  }
  EXPECT_EQ(max_abs_diff(w, Tensor::full({n}, w1.item(), DType::Float32)), 0.0);
}

}  // namespace
}  // namespace ember::optim
