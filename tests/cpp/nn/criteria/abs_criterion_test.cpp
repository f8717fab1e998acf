#include "ember/nn/criteria/abs_criterion.h"

#include <gtest/gtest.h>

#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(AbsCriterionTest, MatchesPyTorch) {
  AbsCriterion crit, sum_crit({.size_average = false});
  test::expect_matches_fixture(crit, sum_crit, test::load_fixture("nn/abs"));
}

TEST(AbsCriterionTest, GradientIsZeroWhereInputEqualsTarget) {
  AbsCriterion crit({.size_average = false});
  const Tensor x = Tensor::from_vector(std::vector<float>{1, 2, 3}, {3});
  const Tensor y = Tensor::from_vector(std::vector<float>{2, 2, 1}, {3});
  EXPECT_DOUBLE_EQ(crit.forward(x, y), 3.0);
  EXPECT_EQ(crit.backward(x, y).to_vector(), (std::vector<double>{-1, 0, 1}));
}

TEST(AbsCriterionTest, GradientsMatchFiniteDifferences) {
  AbsCriterion crit, sum_crit({.size_average = false});
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({3, 4}, 41), test::random_tensor({3, 4}, 42)));
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, test::random_tensor({7}, 43), test::random_tensor({7}, 44)));
}

TEST(AbsCriterionTest, Float32AgreesWithFloat64) {
  AbsCriterion crit;
  test::expect_float32_agrees(crit, test::random_tensor({4, 5}, 45), test::random_tensor({4, 5}, 46));
  test::expect_reuses_grad_buffer(crit, test::random_tensor({4, 5}, 45), test::random_tensor({4, 5}, 46));
}

TEST(AbsCriterionTest, BadTargetsAreNamed) {
  AbsCriterion crit;
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2, 3}), Tensor::zeros({2, 3, 1})), ShapeError,
                    "[nn.AbsCriterion] target shape mismatch: expected the input's shape [2, 3], got target of shape "
                    "[2, 3, 1]");
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2}), Tensor::zeros({2}, DType::Int64)), TypeError,
                    "target dtype mismatch: expected float32 like the input, got int64");
}

}  // namespace
}  // namespace ember::nn
