#include <gtest/gtest.h>

#include "ember/nn/layers/unsqueeze.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(UnsqueezeTest, MatchesPyTorch) {
  Unsqueeze u(UnsqueezeOptions{.dim = 1});
  EXPECT_LT(test::fixture_diff(u, test::load_fixture("nn/shape_layers"), "unsqueeze"), 1e-15);
}

TEST(UnsqueezeTest, DimsAndBatchHandling) {
  Unsqueeze last(UnsqueezeOptions{.dim = -1});
  EXPECT_EQ(last.forward(Tensor::zeros({2, 3})).shape(), Shape({2, 3, 1}));
  Unsqueeze batched(UnsqueezeOptions{.dim = 0, .num_input_dims = 1});
  EXPECT_EQ(batched.forward(Tensor::zeros({3})).shape(), Shape({1, 3}));
  EXPECT_EQ(batched.forward(Tensor::zeros({2, 3})).shape(), Shape({2, 1, 3}));
  const Tensor x = random_tensor({2, 3}, 1);
  EXPECT_TRUE(last.forward(x).shares_storage(x));
}

TEST(UnsqueezeTest, NonContiguousMatchesContiguous) {
  Unsqueeze u(UnsqueezeOptions{.dim = 1});
  EXPECT_TRUE(test::same_for_noncontiguous(u, random_tensor({3, 4}, 2), random_tensor({3, 1, 4}, 3)));
}

TEST(UnsqueezeTest, GradientsMatchFiniteDifferences) {
  Unsqueeze u(UnsqueezeOptions{.dim = 2});
  EXPECT_TRUE(test::check_module_gradients(u, random_tensor({2, 3}, 4)));
}

TEST(UnsqueezeTest, ErrorsNameDims) {
  Unsqueeze u(UnsqueezeOptions{.dim = 3});
  EXPECT_THROW_WITH(u.forward(Tensor::zeros({1, 2})), IndexError,
                    "[nn.Unsqueeze] dim out of range: expected a value in [-3, 2], got 3 for input of shape [1, 2]");
  Unsqueeze ok;
  EXPECT_THROW_WITH(ok.backward(Tensor::zeros({2}), Tensor::zeros({2})), ShapeError,
                    "grad_output shape mismatch: expected [1, 2], got [2]");
}

}  // namespace
}  // namespace ember::nn
