#include "ember/nn/criteria/smooth_l1_criterion.h"

#include <gtest/gtest.h>

#include "ember/nn/criteria/abs_criterion.h"
#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(SmoothL1CriterionTest, MatchesPyTorch) {
  SmoothL1Criterion crit, sum_crit({.size_average = false});
  test::expect_matches_fixture(crit, sum_crit, test::load_fixture("nn/smooth_l1"));
}

TEST(SmoothL1CriterionTest, MatchesPyTorchWithBeta) {
  SmoothL1Criterion crit({.beta = 0.5}), sum_crit({.size_average = false, .beta = 0.5});
  test::expect_matches_fixture(crit, sum_crit, test::load_fixture("nn/smooth_l1_beta"));
}

TEST(SmoothL1CriterionTest, HandComputedOnBothSidesOfBeta) {
  SmoothL1Criterion crit({.size_average = false, .beta = 2.0});
  const Tensor x = Tensor::from_vector(std::vector<double>{1.0, -3.0}, {2});
  const Tensor y = Tensor::zeros({2}, DType::Float64);
  EXPECT_DOUBLE_EQ(crit.forward(x, y), 0.5 * 1 / 2 + (3 - 1));
  EXPECT_EQ(crit.backward(x, y).to_vector(), (std::vector<double>{0.5, -1.0}));
}

TEST(SmoothL1CriterionTest, BetaZeroIsL1) {
  SmoothL1Criterion crit({.beta = 0.0});
  AbsCriterion l1;
  const Tensor x = test::random_tensor({3, 3}, 51), y = test::random_tensor({3, 3}, 52);
  EXPECT_DOUBLE_EQ(crit.forward(x, y), l1.forward(x, y));
  EXPECT_EQ(crit.backward(x, y).to_vector(), l1.backward(x, y).to_vector());
}

TEST(SmoothL1CriterionTest, GradientsMatchFiniteDifferences) {
  SmoothL1Criterion crit({.beta = 0.5}), sum_crit({.size_average = false});
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({3, 4}, 53, -2, 2),
                                              test::random_tensor({3, 4}, 54, -2, 2)));
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, test::random_tensor({8}, 55, -2, 2),
                                              test::random_tensor({8}, 56, -2, 2)));
}

TEST(SmoothL1CriterionTest, Float32AgreesWithFloat64) {
  SmoothL1Criterion crit;
  test::expect_float32_agrees(crit, test::random_tensor({5, 4}, 57, -3, 3), test::random_tensor({5, 4}, 58, -3, 3));
  test::expect_reuses_grad_buffer(crit, test::random_tensor({5, 4}, 57), test::random_tensor({5, 4}, 58));
}

TEST(SmoothL1CriterionTest, BadOptionsAndTargetsAreNamed) {
  EXPECT_THROW_WITH(SmoothL1Criterion({.beta = -1.0}), ValueError,
                    "[nn.SmoothL1Criterion] beta must be a finite number >= 0, got -1");
  SmoothL1Criterion crit;
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2, 3}), Tensor::zeros({6})), ShapeError,
                    "[nn.SmoothL1Criterion] target shape mismatch: expected the input's shape [2, 3], got target of "
                    "shape [6]");
}

}  // namespace
}  // namespace ember::nn
