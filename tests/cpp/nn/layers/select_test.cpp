#include <gtest/gtest.h>

#include "ember/nn/layers/select.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(SelectTest, MatchesPyTorch) {
  Select s(SelectOptions{.dim = 1, .index = -1});
  EXPECT_LT(test::fixture_diff(s, test::load_fixture("nn/shape_layers"), "select"), 1e-15);
}

TEST(SelectTest, OutputIsAView) {
  Select s(SelectOptions{.dim = 0, .index = 1});
  const Tensor x = random_tensor({3, 2}, 1);
  EXPECT_TRUE(s.forward(x).shares_storage(x));
  EXPECT_EQ(s.output_tensor().to_vector(), x.select(0, 1).to_vector());
}

TEST(SelectTest, NonContiguousMatchesContiguous) {
  Select s(SelectOptions{.dim = -1, .index = 2});
  EXPECT_TRUE(test::same_for_noncontiguous(s, random_tensor({2, 3, 4}, 2), random_tensor({2, 3}, 3)));
}

TEST(SelectTest, GradientsMatchFiniteDifferences) {
  Select s(SelectOptions{.dim = 1, .index = 1});
  EXPECT_TRUE(test::check_module_gradients(s, random_tensor({2, 3, 2}, 4)));
}

TEST(SelectTest, ErrorsNameIndexAndDim) {
  Select s(SelectOptions{.dim = 1, .index = 3});
  EXPECT_THROW_WITH(s.forward(Tensor::zeros({2, 3})), IndexError,
                    "[nn.Select] index out of range: expected a value in [-3, 2] for dim 1 of input shape [2, 3], "
                    "got 3");
  Select bad_dim(SelectOptions{.dim = 2});
  EXPECT_THROW_WITH(bad_dim.forward(Tensor::zeros({2, 3})), IndexError, "dim out of range");
  Select ok;
  EXPECT_THROW_WITH(ok.backward(Tensor::zeros({2, 3}), Tensor::zeros({2})), ShapeError,
                    "grad_output shape mismatch: expected [3], got [2]");
}

}  // namespace
}  // namespace ember::nn
