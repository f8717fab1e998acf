#include "ember/nn/criteria/cosine_embedding_criterion.h"

#include <gtest/gtest.h>

#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

const Tensor& grad_of(const Activity& g, size_t i) { return g.table()[i].tensor(); }

TEST(CosineEmbeddingCriterionTest, MatchesPyTorch) {
  const auto f = test::load_fixture("nn/cosine_embedding");
  const Activity input = Table{f.get("input1"), f.get("input2")};
  for (bool mean : {true, false}) {
    CosineEmbeddingCriterion crit({.margin = 0.1, .size_average = mean});
    const std::string sfx = mean ? "" : "_sum";
    const double ref = f.get("loss" + sfx).item();
    EXPECT_NEAR(crit.forward(input, f.get("target")), ref, 1e-12);
    EXPECT_NEAR(crit.output(), ref, 1e-12);
    const Activity& g = crit.backward(input, f.get("target"));
    EXPECT_LT(max_abs_diff(grad_of(g, 0), f.get("grad_input0" + sfx)), 1e-12);
    EXPECT_LT(max_abs_diff(grad_of(g, 1), f.get("grad_input1" + sfx)), 1e-12);
  }
}

TEST(CosineEmbeddingCriterionTest, HandComputedOnVectors) {
  CosineEmbeddingCriterion crit({.margin = 0.5});
  const Tensor a = Tensor::from_vector(std::vector<double>{1, 0}, {2});
  const Tensor b = Tensor::from_vector(std::vector<double>{1, 1}, {2});
  const double c = 1 / std::sqrt(2.0);
  EXPECT_NEAR(crit.forward(Table{a, b}, Tensor::scalar(1)), 1 - c, 1e-12);
  EXPECT_NEAR(crit.forward(Table{a, b}, Tensor::scalar(-1)), c - 0.5, 1e-12);
  EXPECT_EQ(grad_of(crit.backward(Table{a, b}, Tensor::scalar(-1)), 0).shape(), Shape({2}));
  EXPECT_NEAR(crit.forward(Table{a, neg(b)}, Tensor::scalar(-1)), 0.0, 1e-15);  // below the margin
}

TEST(CosineEmbeddingCriterionTest, GradientsMatchFiniteDifferences) {
  const Tensor y = Tensor::from_vector(std::vector<int64_t>{1, -1, -1, 1}, {4});
  CosineEmbeddingCriterion crit({.margin = -0.3}), sum_crit({.size_average = false});
  const Activity input = Table{test::random_tensor({4, 3}, 91), test::random_tensor({4, 3}, 92)};
  EXPECT_TRUE(test::check_criterion_gradients(crit, input, y));
  EXPECT_TRUE(test::check_criterion_gradients(sum_crit, input, y));
}

TEST(CosineEmbeddingCriterionTest, Float32AgreesWithFloat64AndReusesBuffers) {
  CosineEmbeddingCriterion crit({.margin = 0.2});
  const Tensor y = Tensor::from_vector(std::vector<int64_t>{1, -1, -1, 1, -1}, {5});
  const Tensor a = test::random_tensor({5, 6}, 93), b = test::random_tensor({5, 6}, 94);
  const double l64 = crit.forward(Table{a, b}, y);
  const Tensor g64 = grad_of(crit.backward(Table{a, b}, y), 1).clone();
  const Activity in32 = Table{a.to(DType::Float32), b.to(DType::Float32)};
  EXPECT_NEAR(crit.forward(in32, y), l64, 1e-6);
  const void* p = grad_of(crit.backward(in32, y), 1).raw_data();
  EXPECT_LT(max_abs_diff(grad_of(crit.grad_input(), 1).to(DType::Float64), g64), 1e-6);
  crit.backward(in32, y);
  EXPECT_EQ(grad_of(crit.grad_input(), 1).raw_data(), p);
}

TEST(CosineEmbeddingCriterionTest, BadInputsAreNamed) {
  CosineEmbeddingCriterion crit;
  const Tensor x = Tensor::zeros({2, 3});
  const Tensor y = Tensor::ones({2});
  EXPECT_THROW_WITH(crit.forward(x, y), TypeError,
                    "[nn.CosineEmbeddingCriterion] input must be a Table{x1, x2}: expected a Table of 2 tensors, got "
                    "Tensor[2, 3]");
  EXPECT_THROW_WITH(crit.forward(Table{x, x, x}, y), ShapeError,
                    "input table size mismatch: expected 2 tensors {x1, x2}, got Table{Tensor[2, 3], Tensor[2, 3], "
                    "Tensor[2, 3]}");
  EXPECT_THROW_WITH(crit.forward(Table{x, Tensor::zeros({2, 4})}, y), ShapeError,
                    "x1 and x2 shape mismatch: expected the same shape, got x1 [2, 3] and x2 [2, 4]");
  EXPECT_THROW_WITH(crit.forward(Table{x, Tensor::zeros({2, 3}, DType::Float64)}, y), TypeError,
                    "x1 and x2 dtype mismatch: expected the same dtype, got x1 float32 and x2 float64");
  EXPECT_THROW_WITH(crit.forward(Table{x, x}, Tensor::ones({3})), ShapeError,
                    "target shape mismatch: expected 2 labels (shape [2]) for inputs of shape [2, 3], got target of "
                    "shape [3]");
  EXPECT_THROW_WITH(crit.forward(Table{x, x}, Tensor::zeros({2})), ValueError, "target element 0 is 0: expected 1 or -1");
  EXPECT_THROW_WITH(crit.forward(Table{Tensor::zeros({2, 2, 2}), Tensor::zeros({2, 2, 2})}, y), ShapeError,
                    "x1 has the wrong number of dimensions: expected 1-d or 2-d, got shape [2, 2, 2]");
  EXPECT_THROW_WITH(CosineEmbeddingCriterion({.margin = 2.0}), ValueError,
                    "[nn.CosineEmbeddingCriterion] margin must be in [-1, 1] (a cosine), got 2");
}

}  // namespace
}  // namespace ember::nn
