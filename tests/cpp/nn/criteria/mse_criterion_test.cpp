#include "ember/nn/criteria/mse_criterion.h"

#include <gtest/gtest.h>

#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(MSECriterionTest, MatchesPyTorch) {
  MSECriterion crit, sum_crit({.size_average = false});
  test::expect_matches_fixture(crit, sum_crit, test::load_fixture("nn/mse"));
}

TEST(MSECriterionTest, HandComputedOnStridedInput) {
  MSECriterion crit;
  const Tensor x = Tensor::from_vector(std::vector<double>{1, 2, 3, 4}, {2, 2}).t();  // [[1, 3], [2, 4]]
  const Tensor y = Tensor::zeros({2, 2}, DType::Float64);
  EXPECT_DOUBLE_EQ(crit.forward(x, y), 30.0 / 4);
  EXPECT_EQ(crit.backward(x, y).to_vector(), (std::vector<double>{0.5, 1.5, 1.0, 2.0}));
}

TEST(MSECriterionTest, GradientsMatchFiniteDifferences) {
  MSECriterion crit, sum_crit({.size_average = false});
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({3, 4}, 31), test::random_tensor({3, 4}, 32)));
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, test::random_tensor({2, 3, 2}, 33),
                                              test::random_tensor({2, 3, 2}, 34)));
}

TEST(MSECriterionTest, Float32AgreesWithFloat64) {
  MSECriterion crit;
  test::expect_float32_agrees(crit, test::random_tensor({6, 5}, 35), test::random_tensor({6, 5}, 36));
  test::expect_reuses_grad_buffer(crit, test::random_tensor({6, 5}, 35), test::random_tensor({6, 5}, 36));
}

TEST(MSECriterionTest, BadTargetsAreNamed) {
  MSECriterion crit;
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({4, 2}), Tensor::zeros({4})), ShapeError,
                    "[nn.MSECriterion] target shape mismatch: expected the input's shape [4, 2], got target of shape [4]");
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({4}, DType::Float64), Tensor::zeros({4})), TypeError,
                    "target dtype mismatch: expected float64 like the input, got float32. Hint: convert it with "
                    "target.to(DType::Float64)");
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({4}, DType::Int32), Tensor::zeros({4}, DType::Int32)), TypeError,
                    "unsupported input dtype: expected float32 or float64, got int32");
  EXPECT_THROW_WITH(crit.forward(Tensor(), Tensor::zeros({4})), ValueError, "input is undefined");
}

}  // namespace
}  // namespace ember::nn
