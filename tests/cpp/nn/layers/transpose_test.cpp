#include <gtest/gtest.h>

#include "ember/nn/layers/transpose.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(TransposeTest, MatchesPyTorch) {
  Transpose t(TransposeOptions{.dim0 = 0, .dim1 = 2});
  EXPECT_LT(test::fixture_diff(t, test::load_fixture("nn/shape_layers"), "transpose"), 1e-15);
}

TEST(TransposeTest, OutputAndGradAreViews) {
  Transpose t(TransposeOptions{.dim0 = -1, .dim1 = 1});
  const Tensor x = random_tensor({2, 3, 4}, 1);
  EXPECT_EQ(t.forward(x).shape(), Shape({2, 4, 3}));
  EXPECT_TRUE(t.output_tensor().shares_storage(x));
  const Tensor gy = random_tensor({2, 4, 3}, 2);
  EXPECT_TRUE(t.backward(x, gy).shares_storage(gy));
  EXPECT_EQ(t.grad_input_tensor().at({1, 2, 3}), gy.at({1, 3, 2}));
}

TEST(TransposeTest, NonContiguousMatchesContiguous) {
  Transpose t;
  EXPECT_TRUE(test::same_for_noncontiguous(t, random_tensor({3, 4}, 3), random_tensor({4, 3}, 4)));
}

TEST(TransposeTest, GradientsMatchFiniteDifferences) {
  Transpose t(TransposeOptions{.dim0 = 0, .dim1 = 2});
  EXPECT_TRUE(test::check_module_gradients(t, random_tensor({2, 3, 2}, 5)));
}

TEST(TransposeTest, ErrorsNameDims) {
  Transpose t(TransposeOptions{.dim0 = 0, .dim1 = 3});
  EXPECT_THROW_WITH(t.forward(Tensor::zeros({2, 3})), IndexError,
                    "[nn.Transpose] dim1 out of range: expected a value in [-2, 1], got 3 for input of shape [2, 3]");
  Transpose ok;
  EXPECT_THROW_WITH(ok.backward(Tensor::zeros({2, 3}), Tensor::zeros({2, 3})), ShapeError,
                    "grad_output shape mismatch: expected [3, 2], got [2, 3]");
}

}  // namespace
}  // namespace ember::nn
