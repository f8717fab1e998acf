#include "ember/nn/criteria/dist_kl_div_criterion.h"

#include <gtest/gtest.h>

#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(DistKLDivCriterionTest, MatchesPyTorchIncludingZeroTargets) {
  DistKLDivCriterion crit, sum_crit({.size_average = false});
  test::expect_matches_fixture(crit, sum_crit, test::load_fixture("nn/dist_kl_div"));
}

TEST(DistKLDivCriterionTest, IsZeroForEqualDistributions) {
  DistKLDivCriterion crit;
  const Tensor p = Tensor::from_vector(std::vector<double>{0.25, 0.75, 0.0, 1.0}, {2, 2});
  const Tensor logp = Tensor::from_vector(std::vector<double>{std::log(0.25), std::log(0.75), -50.0, 0.0}, {2, 2});
  EXPECT_NEAR(crit.forward(logp, p), 0.0, 1e-15);
  EXPECT_EQ(crit.backward(logp, p).to_vector(), (std::vector<double>{-0.0625, -0.1875, 0.0, -0.25}));
}

TEST(DistKLDivCriterionTest, GradientsMatchFiniteDifferences) {
  DistKLDivCriterion crit, sum_crit({.size_average = false});
  const Tensor target = test::random_tensor({3, 4}, 61, 0, 1);
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({3, 4}, 62, -3, 0), target));
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, test::random_tensor({3, 4}, 63, -3, 0), target));
}

TEST(DistKLDivCriterionTest, Float32AgreesWithFloat64) {
  DistKLDivCriterion crit;
  test::expect_float32_agrees(crit, test::random_tensor({4, 6}, 64, -4, 0), test::random_tensor({4, 6}, 65, 0, 1));
  test::expect_reuses_grad_buffer(crit, test::random_tensor({4, 6}, 64), test::random_tensor({4, 6}, 65, 0, 1));
}

TEST(DistKLDivCriterionTest, BadTargetsAreNamed) {
  DistKLDivCriterion crit;
  const Tensor y = Tensor::from_vector(std::vector<float>{0.5f, -0.5f}, {2});
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2}), y), ValueError,
                    "[nn.DistKLDivCriterion] target element 1 is -0.5: expected a probability >= 0");
  EXPECT_THROW_WITH(crit.backward(Tensor::zeros({2}), y), ValueError, "target element 1 is -0.5");
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2, 2}), Tensor::zeros({2})), ShapeError,
                    "target shape mismatch: expected the input's shape [2, 2], got target of shape [2]");
}

}  // namespace
}  // namespace ember::nn
