#include "ember/nn/criteria/multi_label_soft_margin_criterion.h"

#include <gtest/gtest.h>

#include "ember/nn/criteria/bce_with_logits_criterion.h"
#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(MultiLabelSoftMarginCriterionTest, MatchesPyTorchWithWeights) {
  const auto f = test::load_fixture("nn/multi_label_soft_margin");
  const std::vector<double> w = f.get("weights").to_vector();
  MultiLabelSoftMarginCriterion crit({.weights = w}), sum_crit({.weights = w, .size_average = false});
  test::expect_matches_fixture(crit, sum_crit, f);
}

TEST(MultiLabelSoftMarginCriterionTest, MeanEqualsBCEWithLogitsMean) {
  const Tensor x = test::random_tensor({3, 5}, 71, -3, 3);
  const Tensor y = gt(test::random_tensor({3, 5}, 72), Tensor::zeros({3, 5}, DType::Float64));
  MultiLabelSoftMarginCriterion crit;
  BCEWithLogitsCriterion bce;
  EXPECT_NEAR(crit.forward(x, y), bce.forward(x, y), 1e-14);
  EXPECT_LT(max_abs_diff(crit.backward(x, y), bce.backward(x, y)), 1e-15);
}

TEST(MultiLabelSoftMarginCriterionTest, OneDimensionalInputIsOneSample) {
  MultiLabelSoftMarginCriterion crit, sum_crit({.size_average = false});
  const Tensor x = test::random_tensor({4}, 73, -2, 2);
  const Tensor y = Tensor::from_vector(std::vector<double>{1, 0, 0, 1}, {4});
  EXPECT_NEAR(crit.forward(x, y), sum_crit.forward(x, y), 1e-15);
}

TEST(MultiLabelSoftMarginCriterionTest, GradientsMatchFiniteDifferences) {
  MultiLabelSoftMarginCriterion crit({.weights = {1.0, 0.5, 2.0}}), sum_crit({.size_average = false});
  const Tensor y = Tensor::from_vector(std::vector<double>{1, 0, 1, 0, 0, 1, 1, 1}, {4, 2});
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({2, 3}, 74, -3, 3),
                                              y.view({8}).narrow(0, 0, 6).reshape({2, 3})));
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, test::random_tensor({4, 2}, 75, -3, 3), y));
}

TEST(MultiLabelSoftMarginCriterionTest, Float32AgreesWithFloat64) {
  MultiLabelSoftMarginCriterion crit({.weights = {1, 2, 3, 4}});
  const Tensor y = gt(test::random_tensor({6, 4}, 76), Tensor::zeros({6, 4}, DType::Float64));
  test::expect_float32_agrees(crit, test::random_tensor({6, 4}, 77, -8, 8), y);
  test::expect_reuses_grad_buffer(crit, test::random_tensor({6, 4}, 77), y);
}

TEST(MultiLabelSoftMarginCriterionTest, BadInputsAreNamed) {
  MultiLabelSoftMarginCriterion crit({.weights = {1.0, 2.0}});
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2, 3}), Tensor::zeros({2, 3})), ShapeError,
                    "[nn.MultiLabelSoftMarginCriterion] weights has 2 entries: expected one per element of the "
                    "input's last dimension, got input of shape [2, 3]");
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2, 2, 2}), Tensor::zeros({2, 2, 2})), ShapeError,
                    "input has the wrong number of dimensions: expected 1-d or 2-d, got shape [2, 2, 2]");
  EXPECT_THROW_WITH(crit.forward(Tensor::zeros({2, 2}), Tensor::zeros({2, 2}, DType::Int64)), TypeError,
                    "target dtype mismatch: expected float32 like the input, got int64");
}

}  // namespace
}  // namespace ember::nn
