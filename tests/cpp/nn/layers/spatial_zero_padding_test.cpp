#include <gtest/gtest.h>

#include "ember/nn/layers/spatial_zero_padding.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

SpatialZeroPadding pad(int64_t l, int64_t r, int64_t t, int64_t b) {
  return SpatialZeroPadding(
      SpatialZeroPaddingOptions{.pad_left = l, .pad_right = r, .pad_top = t, .pad_bottom = b});
}

TEST(SpatialZeroPaddingTest, MatchesPyTorchWithPadAndCrop) {
  auto p = pad(1, 2, -1, 1);
  EXPECT_LT(test::fixture_diff(p, test::load_fixture("nn/shape_layers"), "zero_pad"), 1e-15);
}

TEST(SpatialZeroPaddingTest, ThreeDimInputAndFullCrop) {
  auto p = pad(1, 0, 0, 1);
  const Tensor x = Tensor::ones({1, 2, 2});
  EXPECT_EQ(p.forward(x).shape(), Shape({1, 3, 3}));
  EXPECT_EQ(p.output_tensor().to_vector(), std::vector<double>({0, 1, 1, 0, 1, 1, 0, 0, 0}));
  // Every input row cropped away, output only zeros: the overlap is empty.
  auto away = pad(0, 0, -2, 3);
  EXPECT_EQ(away.forward(x).shape(), Shape({1, 3, 2}));
  EXPECT_EQ(sum_all(away.output_tensor()), 0.0);
  EXPECT_EQ(sum_all(away.backward(x, Tensor::ones({1, 3, 2}))), 0.0);
}

TEST(SpatialZeroPaddingTest, NonContiguousMatchesContiguous) {
  auto p = pad(2, -1, 1, 0);
  EXPECT_TRUE(test::same_for_noncontiguous(p, random_tensor({2, 1, 3, 4}, 1), random_tensor({2, 1, 4, 5}, 2)));
}

TEST(SpatialZeroPaddingTest, GradientsMatchFiniteDifferences) {
  auto p = pad(1, -1, -1, 2);
  EXPECT_TRUE(test::check_module_gradients(p, random_tensor({1, 2, 3, 3}, 3)));
}

TEST(SpatialZeroPaddingTest, ErrorsNameShapes) {
  auto p = pad(0, 0, -2, -1);
  EXPECT_THROW_WITH(p.forward(Tensor::zeros({1, 1, 3, 4})), ShapeError,
                    "[nn.SpatialZeroPadding] padding crops the input away: expected a positive output size, got 0x4 "
                    "for input of shape [1, 1, 3, 4] with pad (left, right, top, bottom) = (0, 0, -2, -1)");
  auto ok = pad(1, 1, 1, 1);
  EXPECT_THROW_WITH(ok.forward(Tensor::zeros({3, 4})), ShapeError, "expected 3-d or 4-d, got shape [3, 4]");
  EXPECT_THROW_WITH(ok.backward(Tensor::zeros({1, 2, 2}), Tensor::zeros({1, 2, 2})), ShapeError,
                    "grad_output shape mismatch: expected [1, 4, 4], got [1, 2, 2]");
}

}  // namespace
}  // namespace ember::nn
