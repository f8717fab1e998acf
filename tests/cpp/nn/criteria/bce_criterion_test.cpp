#include "ember/nn/criteria/bce_criterion.h"

#include <gtest/gtest.h>

#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(BCECriterionTest, MatchesPyTorchWithWeights) {
  const auto f = test::load_fixture("nn/bce");
  const std::vector<double> w = f.get("weights").to_vector();
  BCECriterion crit({.weights = w}), sum_crit({.weights = w, .size_average = false});
  test::expect_matches_fixture(crit, sum_crit, f, 1e-11);
}

TEST(BCECriterionTest, LogIsClampedAtMinus100LikePyTorch) {
  const auto f = test::load_fixture("nn/bce_clamp");
  BCECriterion crit;
  const double loss = crit.forward(f.get("input"), f.get("target"));
  EXPECT_NEAR(loss, f.get("loss").item(), 1e-12);
  EXPECT_NEAR(loss, (100 + 100 + std::log(2.0)) / 4, 1e-12);
  for (double g : crit.backward(f.get("input"), f.get("target")).to_vector()) EXPECT_TRUE(std::isfinite(g));
}

TEST(BCECriterionTest, GradientsMatchFiniteDifferences) {
  BCECriterion crit({.weights = {0.5, 2.0, 1.0}});
  const Tensor target = test::random_tensor({4, 3}, 11, 0, 1);
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({4, 3}, 12, 0.05, 0.95), target));
  BCECriterion sum_crit({.size_average = false});
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, test::random_tensor({2, 5}, 13, 0.05, 0.95),
                                              test::random_tensor({2, 5}, 14, 0, 1)));
}

TEST(BCECriterionTest, Float32AgreesWithFloat64) {
  BCECriterion crit({.weights = {1.0, 0.5, 2.0, 1.0, 3.0}});
  test::expect_float32_agrees(crit, test::random_tensor({3, 5}, 15, 0.1, 0.9), test::random_tensor({3, 5}, 16, 0, 1));
  test::expect_reuses_grad_buffer(crit, test::random_tensor({3, 5}, 15, 0.1, 0.9), test::random_tensor({3, 5}, 16, 0, 1));
}

TEST(BCECriterionTest, BadInputsAreNamed) {
  BCECriterion crit;
  const Tensor p = Tensor::full({2, 3}, 0.5);
  EXPECT_THROW_WITH(crit.forward(p, Tensor::zeros({3, 2})), ShapeError,
                    "[nn.BCECriterion] target shape mismatch: expected the input's shape [2, 3], got target of shape "
                    "[3, 2]");
  EXPECT_THROW_WITH(crit.forward(p, Tensor::zeros({2, 3}, DType::Float64)), TypeError,
                    "target dtype mismatch: expected float32 like the input, got float64. Hint: convert it with "
                    "target.to(DType::Float32)");
  EXPECT_THROW_WITH(crit.forward(Tensor::full({2, 3}, 1.5), Tensor::zeros({2, 3})), ValueError,
                    "input element 0 is 1.5: expected a probability in [0, 1]. Hint: apply Sigmoid first");
  BCECriterion weighted({.weights = {1.0, 2.0}});
  EXPECT_THROW_WITH(weighted.forward(p, Tensor::zeros({2, 3})), ShapeError,
                    "weights has 2 entries: expected one per element of the input's last dimension, got input of "
                    "shape [2, 3]");
}

}  // namespace
}  // namespace ember::nn
