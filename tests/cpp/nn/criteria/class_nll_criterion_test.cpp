#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/criteria/class_nll_criterion.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

TEST(ClassNLLCriterionTest, MatchesPyTorchWithClassWeights) {
  const auto f = test::load_fixture("nn/class_nll");
  ClassNLLCriterion crit({.weights = f.get("weights").to_vector()});
  EXPECT_NEAR(crit.forward(f.get("input"), f.get("target")), f.get("loss").item(), 1e-12);
  EXPECT_LT(max_abs_diff(crit.backward(f.get("input"), f.get("target")), f.get("grad_input")), 1e-12);
  ClassNLLCriterion sum_crit({.size_average = false});
  EXPECT_NEAR(sum_crit.forward(f.get("input"), f.get("target")), f.get("loss_sum").item(), 1e-12);
}

TEST(ClassNLLCriterionTest, GradientsMatchFiniteDifferences) {
  ClassNLLCriterion crit({.weights = {1.0, 2.0, 0.5}});
  const Tensor target = Tensor::from_vector(std::vector<int64_t>{0, 2, 1, 2}, {4});
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({4, 3}, 1), target));
}

TEST(ClassNLLCriterionTest, IgnoreIndexSkipsSamples) {
  ClassNLLCriterion crit({.ignore_index = 1});
  const Tensor x = Tensor::from_vector(std::vector<double>{-1, -2, -3, -4}, {2, 2});
  EXPECT_DOUBLE_EQ(crit.forward(x, Tensor::from_vector(std::vector<int64_t>{0, 1}, {2})), 1.0);
}

TEST(ClassNLLCriterionTest, BadTargetsAreNamed) {
  ClassNLLCriterion crit;
  const Tensor x = Tensor::zeros({2, 10});
  EXPECT_THROW_WITH(crit.forward(x, Tensor::from_vector(std::vector<int64_t>{3, 10}, {2})), IndexError,
                    "[nn.ClassNLLCriterion] target 1 is 10: expected a class index in [0, 9] for input of shape [2, 10]. "
                    "Hint: labels count from 0");
  EXPECT_THROW_WITH(crit.forward(x, Tensor::zeros({3})), ShapeError,
                    "target shape mismatch: expected 2 class indices (shape [2]) for input of shape [2, 10], got "
                    "target of shape [3]");
  EXPECT_THROW_WITH(crit.forward(x, Tensor::full({2}, 0.5)), ValueError, "target 0 is 0.5");
}

}  // namespace
}  // namespace ember::nn
