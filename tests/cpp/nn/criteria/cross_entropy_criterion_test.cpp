#include "ember/nn/criteria/cross_entropy_criterion.h"

#include <gtest/gtest.h>

#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(CrossEntropyCriterionTest, MatchesPyTorchWithClassWeights) {
  const auto f = test::load_fixture("nn/cross_entropy");
  const std::vector<double> w = f.get("weights").to_vector();
  CrossEntropyCriterion crit({.weights = w});
  CrossEntropyCriterion sum_crit({.weights = w, .size_average = false});
  test::expect_matches_fixture(crit, sum_crit, f);
}

TEST(CrossEntropyCriterionTest, MatchesPyTorchWithoutWeights) {
  const auto f = test::load_fixture("nn/cross_entropy_plain");
  CrossEntropyCriterion crit, sum_crit({.size_average = false});
  test::expect_matches_fixture(crit, sum_crit, f);
}

TEST(CrossEntropyCriterionTest, HugeLogitsStayFinite) {
  CrossEntropyCriterion crit;
  const Tensor x = Tensor::from_vector(std::vector<float>{1000.f, 0.f, -1000.f}, {1, 3});
  const Tensor t = Tensor::from_vector(std::vector<int64_t>{1}, {1});
  EXPECT_NEAR(crit.forward(x, t), 1000.0, 1e-9);
  EXPECT_EQ(crit.backward(x, t).to_vector(), (std::vector<double>{1.0, -1.0, 0.0}));
}

TEST(CrossEntropyCriterionTest, OneDimensionalInputTakesOneLabel) {
  CrossEntropyCriterion crit;
  const Tensor x = Tensor::from_vector(std::vector<double>{0.0, std::log(3.0)}, {2});
  EXPECT_NEAR(crit.forward(x, Tensor::scalar(1, DType::Int64)), std::log(4.0 / 3.0), 1e-15);
  const Tensor& g = crit.backward(x, Tensor::scalar(1, DType::Int64));
  EXPECT_EQ(g.shape(), Shape({2}));
  EXPECT_NEAR(g.at({0}), 0.25, 1e-15);
  EXPECT_NEAR(g.at({1}), -0.25, 1e-15);
}

TEST(CrossEntropyCriterionTest, IgnoredTargetsGetZeroGradient) {
  CrossEntropyCriterion crit({.ignore_index = 2});
  const Tensor x = test::random_tensor({3, 4}, 7);
  const Tensor t = Tensor::from_vector(std::vector<int64_t>{0, 2, 3}, {3});
  const Tensor rows = Tensor::from_vector(std::vector<int64_t>{0, 2}, {2});
  const Tensor labels = Tensor::from_vector(std::vector<int64_t>{0, 3}, {2});
  CrossEntropyCriterion plain;
  EXPECT_NEAR(crit.forward(x, t), plain.forward(index_select(x, 0, rows), labels), 1e-15)
      << "an ignored sample must not count in the mean";
  const Tensor& g = crit.backward(x, t);
  for (int64_t j = 0; j < 4; ++j) EXPECT_EQ(g.at({1, j}), 0.0);
}

TEST(CrossEntropyCriterionTest, GradientsMatchFiniteDifferences) {
  CrossEntropyCriterion crit({.weights = {1.0, 2.0, 0.5, 1.5}});
  const Tensor target = Tensor::from_vector(std::vector<int64_t>{0, 2, 1, 3, 3}, {5});
  EXPECT_TRUE(test::check_criterion_gradients(crit, test::random_tensor({5, 4}, 1, -3, 3), target));
  CrossEntropyCriterion sum_crit({.size_average = false});
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, test::random_tensor({5, 4}, 2, -3, 3), target));
}

TEST(CrossEntropyCriterionTest, Float32AgreesWithFloat64) {
  CrossEntropyCriterion crit({.weights = {1.0, 2.0, 0.5}});
  const Tensor target = Tensor::from_vector(std::vector<int64_t>{0, 2, 1, 1, 0, 2, 2}, {7});
  test::expect_float32_agrees(crit, test::random_tensor({7, 3}, 3, -5, 5), target);
  test::expect_reuses_grad_buffer(crit, test::random_tensor({7, 3}, 4), target);
}

TEST(CrossEntropyCriterionTest, BadInputsAreNamed) {
  CrossEntropyCriterion crit({.weights = {1.0, 1.0}});
  const Tensor x = Tensor::zeros({2, 3});
  const Tensor t = Tensor::from_vector(std::vector<int64_t>{0, 1}, {2});
  EXPECT_THROW_WITH(crit.forward(x, t), ShapeError,
                    "[nn.CrossEntropyCriterion] class weights have 2 entries, expected one per class (3)");
  CrossEntropyCriterion plain;
  EXPECT_THROW_WITH(plain.forward(x, Tensor::from_vector(std::vector<int64_t>{0, 3}, {2})), IndexError,
                    "[nn.CrossEntropyCriterion] target 1 is 3: expected a class index in [0, 2]");
  EXPECT_THROW_WITH(plain.forward(Tensor::zeros({2, 3, 4}), t), ShapeError,
                    "input has the wrong number of dimensions: expected 1-d or 2-d, got shape [2, 3, 4]");
  EXPECT_THROW_WITH(plain.forward(Tensor::zeros({2, 3}, DType::Int64), t), TypeError,
                    "unsupported input dtype: expected float32 or float64, got int64");
  EXPECT_THROW_WITH(CrossEntropyCriterion({.weights = {1.0, -1.0}}), ValueError,
                    "[nn.CrossEntropyCriterion] class weights must be finite and >= 0, got -1");
}

}  // namespace
}  // namespace ember::nn
