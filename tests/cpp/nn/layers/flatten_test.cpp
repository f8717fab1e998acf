#include <gtest/gtest.h>

#include "ember/nn/layers/flatten.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(FlattenTest, MatchesPyTorch) {
  const auto f = test::load_fixture("nn/shape_layers");
  Flatten all;
  EXPECT_LT(test::fixture_diff(all, f, "flatten"), 1e-15);
  Flatten mid(FlattenOptions{.start_dim = 1, .end_dim = 2});
  EXPECT_LT(test::fixture_diff(mid, f, "flatten12"), 1e-15);
}

TEST(FlattenTest, ViewsAndNegativeDims) {
  Flatten f(FlattenOptions{.start_dim = -2, .end_dim = -1});
  const Tensor x = random_tensor({2, 3, 4}, 1);
  EXPECT_EQ(f.forward(x).shape(), Shape({2, 12}));
  EXPECT_TRUE(f.output_tensor().shares_storage(x));
}

TEST(FlattenTest, NonContiguousMatchesContiguous) {
  Flatten f;
  EXPECT_TRUE(test::same_for_noncontiguous(f, random_tensor({2, 3, 4}, 2), random_tensor({2, 12}, 3)));
  const Tensor xt = random_tensor({2, 4, 3}, 4).transpose(1, 2);
  EXPECT_LT(max_abs_diff(f.forward(xt), xt.contiguous().view({2, 12})), 1e-15);
}

TEST(FlattenTest, GradientsMatchFiniteDifferences) {
  Flatten f;
  EXPECT_TRUE(test::check_module_gradients(f, random_tensor({2, 2, 3}, 5)));
}

TEST(FlattenTest, ErrorsNameDims) {
  Flatten f;
  EXPECT_THROW_WITH(f.forward(Tensor::zeros({5})), IndexError,
                    "[nn.Flatten] start_dim out of range: expected a value in [-1, 0], got 1 for input of shape [5]");
  Flatten bad(FlattenOptions{.start_dim = 2, .end_dim = 1});
  EXPECT_THROW_WITH(bad.forward(Tensor::zeros({2, 3, 4})), IndexError,
                    "start_dim must not come after end_dim: expected start_dim <= end_dim, got 2 > 1");
  EXPECT_THROW_WITH(f.backward(Tensor::zeros({2, 3}), Tensor::zeros({3, 2})), ShapeError,
                    "grad_output shape mismatch: expected [2, 3], got [3, 2]");
}

}  // namespace
}  // namespace ember::nn
