#include "ember/nn/criteria/margin_criterion.h"

#include <gtest/gtest.h>

#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(MarginCriterionTest, MatchesHingeFormulaInPyTorch) {
  MarginCriterion crit({.margin = 0.7}), sum_crit({.margin = 0.7, .size_average = false});
  test::expect_matches_fixture(crit, sum_crit, test::load_fixture("nn/margin"));
}

TEST(MarginCriterionTest, MatchesSquaredHingeFormulaInPyTorch) {
  MarginCriterion crit({.margin = 0.7, .squared = true});
  MarginCriterion sum_crit({.margin = 0.7, .size_average = false, .squared = true});
  test::expect_matches_fixture(crit, sum_crit, test::load_fixture("nn/margin_squared"));
}

TEST(MarginCriterionTest, HandComputed) {
  MarginCriterion crit;  // margin 1, mean
  const Tensor x = Tensor::from_vector(std::vector<double>{0.5, 2.0, 0.5, -3.0}, {4});
  const Tensor y = Tensor::from_vector(std::vector<double>{1, 1, -1, -1}, {4});
  EXPECT_DOUBLE_EQ(crit.forward(x, y), (0.5 + 0 + 1.5 + 0) / 4);
  EXPECT_EQ(crit.backward(x, y).to_vector(), (std::vector<double>{-0.25, 0, 0.25, 0}));
}

TEST(MarginCriterionTest, GradientsMatchFiniteDifferences) {
  const Tensor y = Tensor::from_vector(std::vector<double>{1, -1, -1, 1, 1, -1}, {2, 3});
  for (bool squared : {false, true}) {
    MarginCriterion crit({.margin = 0.5, .squared = squared});
    EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({2, 3}, 81, -2, 2), y)) << squared;
  }
}

TEST(MarginCriterionTest, Float32AgreesWithFloat64) {
  const Tensor y = Tensor::from_vector(std::vector<double>{1, -1, -1, 1, 1, -1, 1, 1}, {2, 4});
  MarginCriterion crit({.squared = true});
  test::expect_float32_agrees(crit, test::random_tensor({2, 4}, 82, -2, 2), y);
  test::expect_reuses_grad_buffer(crit, test::random_tensor({2, 4}, 82), y);
}

TEST(MarginCriterionTest, BadTargetsAreNamed) {
  MarginCriterion crit;
  const Tensor x = Tensor::zeros({3});
  EXPECT_THROW_WITH(crit.forward(x, Tensor::from_vector(std::vector<float>{1, 0, -1}, {3})), ValueError,
                    "[nn.MarginCriterion] target element 1 is 0: expected 1 or -1. Hint: use -1, not 0, for the "
                    "negative class");
  EXPECT_THROW_WITH(crit.forward(x, Tensor::ones({3, 1})), ShapeError,
                    "target shape mismatch: expected the input's shape [3], got target of shape [3, 1]");
  EXPECT_THROW_WITH(MarginCriterion({.margin = INFINITY}), ValueError, "[nn.MarginCriterion] margin must be finite");
}

}  // namespace
}  // namespace ember::nn
