#include "ember/nn/criteria/multi_criterion.h"

#include <gtest/gtest.h>

#include "ember/nn/criteria/abs_criterion.h"
#include "ember/nn/criteria/cosine_embedding_criterion.h"
#include "ember/nn/criteria/mse_criterion.h"
#include "ember/nn/criteria/smooth_l1_criterion.h"
#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(MultiCriterionTest, WeightedSumOfLossesAndGradients) {
  MultiCriterion crit;
  crit.add(std::make_shared<MSECriterion>(), 0.5).add(std::make_shared<AbsCriterion>(), 2.0);
  const Tensor x = test::random_tensor({3, 4}, 121), y = test::random_tensor({3, 4}, 122);
  MSECriterion mse;
  AbsCriterion l1;
  EXPECT_NEAR(crit.forward(x, y), 0.5 * mse.forward(x, y) + 2.0 * l1.forward(x, y), 1e-14);
  const Tensor expected = add(mul(mse.backward(x, y), 0.5), mul(l1.backward(x, y), 2.0));
  EXPECT_LT(max_abs_diff(crit.backward(x, y).tensor(), expected), 1e-15);
  EXPECT_TRUE(crit.grad_input().tensor().shares_storage(crit.backward(x, y).tensor()));
}

TEST(MultiCriterionTest, GradientsMatchFiniteDifferences) {
  MultiCriterion crit;
  crit.add(std::make_shared<MSECriterion>()).add(std::make_shared<SmoothL1Criterion>(), 0.3);
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({2, 5}, 123, -2, 2),
                                              test::random_tensor({2, 5}, 124, -2, 2)));
  MultiCriterion tables;
  tables.add(std::make_shared<CosineEmbeddingCriterion>()).add(std::make_shared<CosineEmbeddingCriterion>(
      CosineEmbeddingCriterionOptions{.margin = -0.5, .size_average = false}), 0.5);
  EXPECT_TRUE(test::check_criterion_gradients(tables, Table{test::random_tensor({3, 2}, 125), test::random_tensor({3, 2}, 126)},
                                              Tensor::from_vector(std::vector<double>{-1, 1, -1}, {3})));
}

TEST(MultiCriterionTest, Float32AgreesWithFloat64) {
  MultiCriterion crit;
  crit.add(std::make_shared<MSECriterion>()).add(std::make_shared<AbsCriterion>(), 0.5);
  const Tensor x = test::random_tensor({4, 3}, 127), y = test::random_tensor({4, 3}, 128);
  const double l64 = crit.forward(x, y);
  const Tensor g64 = crit.backward(x, y).tensor().clone();
  EXPECT_NEAR(crit.forward(x.to(DType::Float32), y.to(DType::Float32)), l64, 1e-6);
  const Tensor& g32 = crit.backward(x.to(DType::Float32), y.to(DType::Float32)).tensor();
  EXPECT_EQ(g32.dtype(), DType::Float32);
  EXPECT_LT(max_abs_diff(g32.to(DType::Float64), g64), 1e-6);
}

TEST(MultiCriterionTest, ErrorsNameTheChild) {
  MultiCriterion crit;
  const Tensor x = Tensor::zeros({2});
  EXPECT_THROW_WITH(crit.forward(x, x), ValueError, "[nn.MultiCriterion] no criteria: expected at least one");
  crit.add(std::make_shared<MSECriterion>()).add(std::make_shared<CosineEmbeddingCriterion>());
  EXPECT_THROW_WITH(crit.forward(x, x), TypeError, "[nn.CosineEmbeddingCriterion '1'] input must be a Table{x1, x2}");
  EXPECT_THROW_WITH(crit.add(std::make_shared<MSECriterion>(), NAN), ValueError,
                    "[nn.MultiCriterion] add: weight must be finite, got nan");
  EXPECT_EQ(crit.size(), 2u);
  EXPECT_EQ(crit.weight(1), 1.0);
}

}  // namespace
}  // namespace ember::nn
