#include <gtest/gtest.h>

#include "ember/nn/layers/padding.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(PaddingTest, PadsOneDimWithTheValue) {
  const Tensor x = Tensor::arange(6, DType::Float64).view({1, 2, 3});
  Padding p(PaddingOptions{.dim = 1, .pad_before = 1, .pad_after = 2, .value = -1});
  const Tensor& y = p.forward(x);
  EXPECT_EQ(y.shape(), Shape({1, 5, 3}));
  EXPECT_EQ(y.to_vector(), std::vector<double>({-1, -1, -1, 0, 1, 2, 3, 4, 5, -1, -1, -1, -1, -1, -1}));
  Padding last(PaddingOptions{.dim = -1, .pad_before = 0, .pad_after = 1});
  EXPECT_EQ(last.forward(x).to_vector(), std::vector<double>({0, 1, 2, 0, 3, 4, 5, 0}));
}

TEST(PaddingTest, GradientsMatchFiniteDifferences) {
  Padding p(PaddingOptions{.dim = 1, .pad_before = 2, .pad_after = 1});
  EXPECT_TRUE(test::check_module_gradients(p, random_tensor({2, 3, 2, 2}, 4)));
}

TEST(PaddingTest, Errors) {
  EXPECT_THROW_WITH(Padding(PaddingOptions{.pad_before = -1}), ValueError,
                    "[nn.Padding] pad_before and pad_after must be >= 0, got pad_before=-1, pad_after=0");
  Padding p(PaddingOptions{.dim = 3, .pad_before = 1});
  EXPECT_THROW_WITH(p.forward(Tensor::zeros({2, 3})), IndexError, "[nn.Padding]");
  Padding q(PaddingOptions{.dim = 1, .pad_after = 1});
  EXPECT_THROW_WITH(q.backward(Tensor::zeros({2, 3}), Tensor::zeros({2, 3})), ShapeError,
                    "grad_output shape mismatch: expected [2, 4], got [2, 3]");
}

}  // namespace
}  // namespace ember::nn
