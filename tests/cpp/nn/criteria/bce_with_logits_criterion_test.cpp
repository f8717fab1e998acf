#include "ember/nn/criteria/bce_with_logits_criterion.h"

#include <gtest/gtest.h>

#include "ember/nn/criteria/bce_criterion.h"
#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(BCEWithLogitsCriterionTest, MatchesPyTorchWithWeightsAndPosWeight) {
  const auto f = test::load_fixture("nn/bce_logits");
  const std::vector<double> w = f.get("weights").to_vector(), pw = f.get("pos_weight").to_vector();
  BCEWithLogitsCriterion crit({.weights = w, .pos_weight = pw});
  BCEWithLogitsCriterion sum_crit({.weights = w, .pos_weight = pw, .size_average = false});
  test::expect_matches_fixture(crit, sum_crit, f);
}

TEST(BCEWithLogitsCriterionTest, MatchesPyTorchPlain) {
  const auto f = test::load_fixture("nn/bce_logits_plain");
  BCEWithLogitsCriterion crit, sum_crit({.size_average = false});
  test::expect_matches_fixture(crit, sum_crit, f);
}

TEST(BCEWithLogitsCriterionTest, EqualsSigmoidThenBCE) {
  const Tensor z = test::random_tensor({3, 4}, 21, -4, 4);
  const Tensor y = test::random_tensor({3, 4}, 22, 0, 1);
  BCEWithLogitsCriterion fused({.weights = {1, 2, 3, 4}});
  BCECriterion bce({.weights = {1, 2, 3, 4}});
  EXPECT_NEAR(fused.forward(z, y), bce.forward(sigmoid(z), y), 1e-12);
}

TEST(BCEWithLogitsCriterionTest, ExtremeLogitsStayFinite) {
  BCEWithLogitsCriterion crit({.size_average = false});
  const Tensor z = Tensor::from_vector(std::vector<float>{1000.f, -1000.f}, {2});
  const Tensor y = Tensor::from_vector(std::vector<float>{0.f, 1.f}, {2});
  EXPECT_NEAR(crit.forward(z, y), 2000.0, 1e-9);
  EXPECT_EQ(crit.backward(z, y).to_vector(), (std::vector<double>{1.0, -1.0}));
}

TEST(BCEWithLogitsCriterionTest, GradientsMatchFiniteDifferences) {
  BCEWithLogitsCriterion crit({.weights = {0.5, 2.0, 1.0}, .pos_weight = {3.0, 0.5, 1.0}});
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({4, 3}, 23, -4, 4),
                                              test::random_tensor({4, 3}, 24, 0, 1)));
  BCEWithLogitsCriterion sum_crit({.size_average = false});
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, test::random_tensor({5}, 25, -4, 4),
                                              test::random_tensor({5}, 26, 0, 1)));
}

TEST(BCEWithLogitsCriterionTest, Float32AgreesWithFloat64) {
  BCEWithLogitsCriterion crit({.pos_weight = {2.0, 1.0, 0.5, 4.0}});
  test::expect_float32_agrees(crit, test::random_tensor({5, 4}, 27, -6, 6), test::random_tensor({5, 4}, 28, 0, 1));
  test::expect_reuses_grad_buffer(crit, test::random_tensor({5, 4}, 27), test::random_tensor({5, 4}, 28, 0, 1));
}

TEST(BCEWithLogitsCriterionTest, BadInputsAreNamed) {
  BCEWithLogitsCriterion crit({.pos_weight = {1.0, 2.0, 3.0}});
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2, 4}), Tensor::zeros({2, 4})), ShapeError,
                    "[nn.BCEWithLogitsCriterion] pos_weight has 3 entries: expected one per element of the input's "
                    "last dimension, got input of shape [2, 4]");
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2, 3}), Tensor::zeros({2, 3}, DType::Int64)), TypeError,
                    "target dtype mismatch: expected float32 like the input, got int64");
  EXPECT_THROW_WITH(BCEWithLogitsCriterion({.pos_weight = {-1.0}}), ValueError,
                    "[nn.BCEWithLogitsCriterion] pos_weight must be finite and >= 0, got -1");
}

}  // namespace
}  // namespace ember::nn
