#include <gtest/gtest.h>

#include <cmath>

#include "ember/nn/layers/embedding.h"
#include "ember/nn/registry.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

std::shared_ptr<Embedding> make(EmbeddingOptions o) {
  auto e = std::make_shared<Embedding>(o);
  e->to(DType::Float64);
  return e;
}

TEST(EmbeddingTest, MatchesPyTorch) {
  const auto f = test::load_fixture("nn/embedding");
  const Tensor& idx = f.get("index");
  const std::vector<std::pair<std::string, EmbeddingOptions>> cases = {
      {"plain", {.num_embeddings = 6, .embedding_dim = 3}},
      {"padding", {.num_embeddings = 6, .embedding_dim = 3, .padding_idx = 2}},
      {"max_norm", {.num_embeddings = 6, .embedding_dim = 3, .max_norm = 1.5}},
      {"freq", {.num_embeddings = 6, .embedding_dim = 3, .scale_grad_by_freq = true}}};
  for (const auto& [name, o] : cases) {
    auto e = make(o);
    e->weight().copy_(f.get(name + ".weight"));
    e->zero_grad_parameters();
    EXPECT_LT(max_abs_diff(e->forward(idx), f.get(name + ".output")), 1e-12) << name;
    const Tensor gi = e->backward(idx, f.get(name + ".grad_output"));
    EXPECT_EQ(gi.shape(), idx.shape());
    EXPECT_EQ(sum_all(abs(gi.to(DType::Float64))), 0.0);
    EXPECT_LT(max_abs_diff(e->grad_weight(), f.get(name + ".grad_weight")), 1e-12) << name;
    EXPECT_LT(max_abs_diff(e->weight(), f.get(name + ".weight_after")), 1e-12) << name;
  }
}

TEST(EmbeddingTest, AcceptsInt32AndWholeFloatIndices) {
  auto e = make({.num_embeddings = 5, .embedding_dim = 2});
  const Tensor i64 = Tensor::from_vector(std::vector<int64_t>{4, 0, 3}, {3});
  const Tensor ref = e->forward(i64).clone();
  EXPECT_EQ(max_abs_diff(e->forward(Tensor::from_vector(std::vector<int32_t>{4, 0, 3}, {3})), ref), 0.0);
  EXPECT_EQ(max_abs_diff(e->forward(Tensor::from_vector(std::vector<float>{4, 0, 3}, {3})), ref), 0.0);
  EXPECT_EQ(e->forward(Tensor::from_vector(std::vector<int64_t>{1}, {})).shape(), Shape({2}));  // 0-d index
}

TEST(EmbeddingTest, NonContiguousMatchesContiguous) {
  auto e = make({.num_embeddings = 7, .embedding_dim = 3});
  const Tensor idx = Tensor::from_vector(std::vector<int64_t>{1, 6, 6, 0, 2, 3}, {2, 3});
  const Tensor gy = random_tensor({2, 3, 3}, 1);
  e->zero_grad_parameters();
  const Tensor y0 = e->forward(idx).clone();
  e->backward(idx, gy);
  const Tensor gw0 = e->grad_weight().clone();
  e->zero_grad_parameters();
  EXPECT_EQ(max_abs_diff(e->forward(test::noncontig(idx)), y0), 0.0);
  e->backward(test::noncontig(idx), gy.transpose(0, 1).contiguous().transpose(0, 1));
  EXPECT_LT(max_abs_diff(e->grad_weight(), gw0), 1e-15);
}

TEST(EmbeddingTest, WeightGradientMatchesFiniteDifferences) {
  // The padding row is used in forward but gets no gradient (as in PyTorch), so it is not looked up here.
  auto e = make({.num_embeddings = 5, .embedding_dim = 3, .padding_idx = 2});
  const Tensor idx = Tensor::from_vector(std::vector<int64_t>{1, 4, 4, 0}, {2, 2});
  EXPECT_TRUE(test::check_module_gradients(*e, idx, {.check_input = false}));
  // scale_grad_by_freq deliberately departs from the true gradient; the PyTorch fixture covers it.
}

TEST(EmbeddingTest, InitIsStandardNormalWithZeroPaddingRow) {
  Embedding e(EmbeddingOptions{.num_embeddings = 400, .embedding_dim = 50, .padding_idx = 3});
  EXPECT_EQ(sum_all(abs(e.weight().select(0, 3))), 0.0);
  const double m = sum_all(e.weight()) / e.weight().numel();
  const double var = sum_all(square(e.weight())) / e.weight().numel() - m * m;
  EXPECT_NEAR(m, 0.0, 0.02);
  EXPECT_NEAR(std::sqrt(var), 1.0, 0.02);
}

TEST(EmbeddingTest, GradientsAccumulate) {
  auto e = make({.num_embeddings = 3, .embedding_dim = 2});
  const Tensor idx = Tensor::from_vector(std::vector<int64_t>{2, 2}, {2});
  const Tensor gy = Tensor::ones({2, 2}, DType::Float64);
  e->zero_grad_parameters();
  e->forward(idx);
  e->backward(idx, gy);
  e->backward(idx, gy);
  EXPECT_EQ(e->grad_weight().select(0, 2).to_vector(), std::vector<double>({4, 4}));
  EXPECT_EQ(sum_all(e->grad_weight()), 8.0);
}

TEST(EmbeddingTest, ErrorsNamePositionAndValue) {
  auto e = make({.num_embeddings = 10, .embedding_dim = 2});
  EXPECT_THROW_WITH(e->forward(Tensor::from_vector(std::vector<int64_t>{1, 2, 3, 12}, {2, 2})), IndexError,
                    "[nn.Embedding] index out of range at position [1, 1]: expected 0 <= index < num_embeddings=10, "
                    "got 12. Hint: indices are 0-based");
  EXPECT_THROW_WITH(e->forward(Tensor::from_vector(std::vector<int32_t>{-1}, {1})), IndexError, "got -1");
  EXPECT_THROW_WITH(e->forward(Tensor::from_vector(std::vector<double>{0, 1.5}, {2})), ValueError,
                    "index at position [1] is not a whole number: expected an integer index, got 1.5");
  EXPECT_THROW_WITH(e->forward(Tensor::from_vector(std::vector<double>{1e30}, {1})), IndexError,
                    "index out of range at position [0]");
  EXPECT_THROW_WITH(e->forward(Tensor::zeros({2}, DType::UInt8)), TypeError,
                    "input dtype not supported for indices: expected int64, int32, float32 or float64, got uint8");
  const Tensor idx = Tensor::from_vector(std::vector<int64_t>{1, 2}, {2});
  EXPECT_THROW_WITH(e->backward(idx, Tensor::zeros({2, 3}, DType::Float64)), ShapeError,
                    "grad_output shape mismatch: expected [2, 2], got [2, 3]");
  EXPECT_THROW_WITH(e->backward(idx, Tensor::zeros({2, 2})), TypeError,
                    "grad_output dtype float32 does not match weight dtype float64");
}

TEST(EmbeddingTest, InvalidOptionsAreRejected) {
  EXPECT_THROW_WITH(Embedding(EmbeddingOptions{.num_embeddings = 0, .embedding_dim = 2}), ValueError,
                    "[nn.Embedding] num_embeddings must be positive, got 0");
  EXPECT_THROW_WITH(Embedding(EmbeddingOptions{.num_embeddings = 3, .embedding_dim = 0}), ValueError,
                    "embedding_dim must be positive, got 0");
  EXPECT_THROW_WITH(Embedding(EmbeddingOptions{.num_embeddings = 3, .embedding_dim = 2, .padding_idx = 3}),
                    ValueError, "padding_idx out of range: expected -1 (none) or a value in [0, 3), got 3");
  EXPECT_THROW_WITH(Embedding(EmbeddingOptions{.num_embeddings = 3, .embedding_dim = 2, .max_norm = -1}), ValueError,
                    "max_norm must be >= 0 (0 = off), got -1");
}

TEST(EmbeddingTest, ReprAndRegistry) {
  Embedding e(EmbeddingOptions{.num_embeddings = 10, .embedding_dim = 4, .padding_idx = 0});
  EXPECT_EQ(e.repr(),
            "nn.Embedding(num_embeddings=10, embedding_dim=4, padding_idx=0, max_norm=0, norm_type=2, "
            "scale_grad_by_freq=false)");
  EXPECT_EQ(Registry::global().create_module("nn.Embedding", e.config())->repr(), e.repr());
}

}  // namespace
}  // namespace ember::nn
