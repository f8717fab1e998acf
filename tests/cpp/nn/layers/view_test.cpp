#include <gtest/gtest.h>

#include "ember/nn/layers/view.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(ViewTest, MatchesPyTorch) {
  View v(ViewOptions{.sizes = {-1, 4}});
  EXPECT_LT(test::fixture_diff(v, test::load_fixture("nn/shape_layers"), "view"), 1e-15);
}

TEST(ViewTest, BatchRulesFollowTorch7) {
  View v(ViewOptions{.sizes = {4}});
  EXPECT_EQ(v.forward(Tensor::zeros({4})).shape(), Shape({4}));
  EXPECT_EQ(v.forward(Tensor::zeros({3, 4})).shape(), Shape({3, 4}));     // 12 = 3 x 4: batch of 3
  EXPECT_EQ(v.forward(Tensor::zeros({2, 2, 2})).shape(), Shape({2, 4}));
  View nd(ViewOptions{.sizes = {2, 2}, .num_input_dims = 1});
  EXPECT_EQ(nd.forward(Tensor::zeros({4})).shape(), Shape({2, 2}));
  EXPECT_EQ(nd.forward(Tensor::zeros({1, 4})).shape(), Shape({1, 2, 2}));  // batch of 1 kept
  EXPECT_EQ(nd.forward(Tensor::zeros({5, 8})).shape(), Shape({10, 2, 2}));
  View infer(ViewOptions{.sizes = {-1, 2}, .num_input_dims = 2});
  EXPECT_EQ(infer.forward(Tensor::zeros({3, 2, 4})).shape(), Shape({3, 4, 2}));
  EXPECT_EQ(infer.forward(Tensor::zeros({2, 4})).shape(), Shape({4, 2}));
}

TEST(ViewTest, OutputIsAViewWhenPossible) {
  View v(ViewOptions{.sizes = {-1}});
  const Tensor x = random_tensor({2, 3}, 1);
  EXPECT_TRUE(v.forward(x).shares_storage(x));
}

TEST(ViewTest, NonContiguousMatchesContiguous) {
  View v(ViewOptions{.sizes = {-1, 2}});
  EXPECT_TRUE(test::same_for_noncontiguous(v, random_tensor({3, 4}, 2), random_tensor({6, 2}, 3)));
}

TEST(ViewTest, GradientsMatchFiniteDifferences) {
  View v(ViewOptions{.sizes = {2, -1}});
  EXPECT_TRUE(test::check_module_gradients(v, random_tensor({3, 4}, 4)));
}

TEST(ViewTest, ErrorsNameShapes) {
  View v(ViewOptions{.sizes = {5}});
  EXPECT_THROW_WITH(v.forward(Tensor::zeros({3, 4})), ShapeError,
                    "[nn.View] input does not fit sizes=[5]: expected a multiple of 5 elements, got input of shape "
                    "[3, 4]");
  View nd(ViewOptions{.sizes = {4}, .num_input_dims = 2});
  EXPECT_THROW_WITH(nd.forward(Tensor::zeros({4})), ShapeError,
                    "input has too few dims: expected at least num_input_dims=2, got input of shape [4]");
  EXPECT_THROW_WITH(v.backward(Tensor::zeros({5}), Tensor::zeros({1, 5})), ShapeError,
                    "grad_output shape mismatch: expected [5], got [1, 5]");
  EXPECT_THROW_WITH(View(ViewOptions{.sizes = {-1, -1}}), ValueError,
                    "[nn.View] sizes must be positive with at most one -1, got [-1, -1]");
  EXPECT_THROW_WITH(View(ViewOptions{.sizes = {2}, .num_input_dims = -1}), ValueError, "num_input_dims must be >= 0");
}

}  // namespace
}  // namespace ember::nn
