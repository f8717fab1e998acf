#include <gtest/gtest.h>

#include "ember/nn/layers/squeeze.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(SqueezeTest, MatchesPyTorch) {
  const auto f = test::load_fixture("nn/shape_layers");
  Squeeze all;
  EXPECT_LT(test::fixture_diff(all, f, "squeeze"), 1e-15);
  Squeeze one(SqueezeOptions{.dim = {1}});
  EXPECT_LT(test::fixture_diff(one, f, "squeeze1"), 1e-15);
}

TEST(SqueezeTest, DimsAndBatchHandling) {
  Squeeze s(SqueezeOptions{.dim = {0, -1}});
  EXPECT_EQ(s.forward(Tensor::zeros({1, 3, 1})).shape(), Shape({3}));
  EXPECT_EQ(s.forward(Tensor::zeros({2, 3, 1})).shape(), Shape({2, 3}));  // size 2 is left alone
  Squeeze batched(SqueezeOptions{.dim = {0}, .num_input_dims = 2});
  EXPECT_EQ(batched.forward(Tensor::zeros({1, 5})).shape(), Shape({5}));
  EXPECT_EQ(batched.forward(Tensor::zeros({1, 1, 5})).shape(), Shape({1, 5}));  // batch of 1 kept
  Squeeze all_batched(SqueezeOptions{.dim = {}, .num_input_dims = 2});
  EXPECT_EQ(all_batched.forward(Tensor::zeros({1, 1, 5})).shape(), Shape({1, 5}));
  const Tensor x = random_tensor({2, 1, 3}, 1);
  EXPECT_TRUE(s.forward(x).shares_storage(x));
}

TEST(SqueezeTest, NonContiguousMatchesContiguous) {
  Squeeze s;
  EXPECT_TRUE(test::same_for_noncontiguous(s, random_tensor({3, 1, 4}, 2), random_tensor({3, 4}, 3)));
}

TEST(SqueezeTest, GradientsMatchFiniteDifferences) {
  Squeeze s;
  EXPECT_TRUE(test::check_module_gradients(s, random_tensor({2, 1, 3, 1}, 4)));
}

TEST(SqueezeTest, ErrorsNameDims) {
  Squeeze s(SqueezeOptions{.dim = {3}});
  EXPECT_THROW_WITH(s.forward(Tensor::zeros({1, 2})), IndexError,
                    "[nn.Squeeze] dim out of range: expected a value in [-2, 1], got 3 for input of shape [1, 2]");
  Squeeze ok;
  EXPECT_THROW_WITH(ok.backward(Tensor::zeros({1, 2}), Tensor::zeros({1, 2})), ShapeError,
                    "grad_output shape mismatch: expected [2], got [1, 2]");
  EXPECT_THROW_WITH(Squeeze(SqueezeOptions{.dim = {}, .num_input_dims = -2}), ValueError,
                    "[nn.Squeeze] num_input_dims must be >= 0 (0 = unset), got -2");
}

}  // namespace
}  // namespace ember::nn
