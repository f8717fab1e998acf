#include <gtest/gtest.h>

#include "ember/nn/layers/reshape.h"
#include "ember/nn/registry.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(ReshapeTest, MatchesPyTorch) {
  Reshape r(ReshapeOptions{.size = {3, 4}});
  EXPECT_LT(test::fixture_diff(r, test::load_fixture("nn/shape_layers"), "reshape"), 1e-15);
}

TEST(ReshapeTest, BatchModeFollowsBigDL) {
  Reshape automatic(ReshapeOptions{.size = {3, 4}});
  EXPECT_EQ(automatic.forward(Tensor::zeros({12})).shape(), Shape({3, 4}));
  EXPECT_EQ(automatic.forward(Tensor::zeros({5, 12})).shape(), Shape({5, 3, 4}));
  EXPECT_EQ(automatic.forward(Tensor::zeros({1, 12})).shape(), Shape({3, 4}));  // numel == prod(size)
  Reshape batch(ReshapeOptions{.size = {3, 4}, .batch_mode = 1});
  EXPECT_EQ(batch.forward(Tensor::zeros({1, 12})).shape(), Shape({1, 3, 4}));
  Reshape never(ReshapeOptions{.size = {2, 6}, .batch_mode = 0});
  EXPECT_EQ(never.forward(Tensor::zeros({3, 4})).shape(), Shape({2, 6}));
}

TEST(ReshapeTest, ViewsWhenPossibleCopiesOtherwise) {
  Reshape r(ReshapeOptions{.size = {6}});
  const Tensor x = random_tensor({4, 2, 3}, 1);
  EXPECT_TRUE(r.forward(x).shares_storage(x));
  const Tensor gy = random_tensor({4, 6}, 2);
  EXPECT_TRUE(r.backward(x, gy).shares_storage(gy));
  const Tensor xt = random_tensor({4, 3, 2}, 3).transpose(1, 2);  // cannot be viewed as [4, 6]
  const Tensor y = r.forward(xt);
  EXPECT_FALSE(y.shares_storage(xt));
  EXPECT_LT(max_abs_diff(y, xt.contiguous().view({4, 6})), 1e-15);
}

TEST(ReshapeTest, GradOutputThatCannotBeViewedIsCopied) {
  Reshape r(ReshapeOptions{.size = {2, 3}});
  const Tensor x = random_tensor({4, 6}, 10);
  const Tensor gy = random_tensor({4, 3, 2}, 11).transpose(1, 2);  // [4, 2, 3], dims 1 and 2 not mergeable
  r.forward(x);
  const Tensor gi = r.backward(x, gy);
  EXPECT_EQ(gi.shape(), x.shape());
  EXPECT_FALSE(gi.shares_storage(gy));
  EXPECT_EQ(max_abs_diff(gi, gy.contiguous().view({4, 6})), 0.0);
}

TEST(ReshapeTest, NonContiguousMatchesContiguous) {
  Reshape r(ReshapeOptions{.size = {2, 3}});
  EXPECT_TRUE(test::same_for_noncontiguous(r, random_tensor({4, 6}, 4), random_tensor({4, 2, 3}, 5)));
}

TEST(ReshapeTest, CopyPathNeverOverwritesAnEarlierInput) {
  Reshape r(ReshapeOptions{.size = {6}});
  const Tensor a = random_tensor({4, 6}, 6);
  const Tensor keep = a.clone();
  r.forward(a);                                               // output_ is a view of a
  r.forward(random_tensor({4, 3, 2}, 7).transpose(1, 2));    // needs a copy
  EXPECT_EQ(max_abs_diff(a, keep), 0.0);
}

TEST(ReshapeTest, GradientsMatchFiniteDifferences) {
  Reshape r(ReshapeOptions{.size = {3, 2}});
  EXPECT_TRUE(test::check_module_gradients(r, random_tensor({2, 6}, 8)));
}

TEST(ReshapeTest, ErrorsNameShapes) {
  Reshape r(ReshapeOptions{.size = {3, 4}});
  EXPECT_THROW_WITH(r.forward(Tensor::zeros({5, 7})), ShapeError,
                    "[nn.Reshape] input does not fit size=[3, 4] with a batch dimension: expected [N, ...] with N * "
                    "12 elements, got input of shape [5, 7]");
  Reshape never(ReshapeOptions{.size = {3, 4}, .batch_mode = 0});
  EXPECT_THROW_WITH(never.forward(Tensor::zeros({2, 12})), ShapeError,
                    "input does not fit size=[3, 4]: expected 12 elements, got input of shape [2, 12]");
  EXPECT_THROW_WITH(r.backward(Tensor::zeros({2, 12}), Tensor::zeros({2, 12})), ShapeError,
                    "grad_output shape mismatch: expected [2, 3, 4], got [2, 12]");
  EXPECT_THROW_WITH(Reshape(ReshapeOptions{.size = {3, -1}}), ValueError,
                    "[nn.Reshape] size entries must be positive, got [3, -1]");
  EXPECT_THROW_WITH(Reshape(ReshapeOptions{}), ValueError, "[nn.Reshape] size must not be empty");
  EXPECT_THROW_WITH(Reshape(ReshapeOptions{.size = {2}, .batch_mode = 2}), ValueError,
                    "batch_mode must be -1 (auto), 0 or 1, got 2");
}

TEST(ReshapeTest, ReprAndRegistry) {
  Reshape r(ReshapeOptions{.size = {3, 4}});
  EXPECT_EQ(r.repr(), "nn.Reshape(size=[3, 4], batch_mode=-1)");
  auto m = Registry::global().create_module("nn.Reshape", r.config());
  EXPECT_EQ(m->repr(), r.repr());
}

}  // namespace
}  // namespace ember::nn
