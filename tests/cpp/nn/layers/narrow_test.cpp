#include <gtest/gtest.h>

#include "ember/nn/layers/narrow.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(NarrowTest, MatchesPyTorch) {
  Narrow n(NarrowOptions{.dim = 1, .start = 1, .length = 4});
  EXPECT_LT(test::fixture_diff(n, test::load_fixture("nn/shape_layers"), "narrow"), 1e-15);
}

TEST(NarrowTest, NegativeStartAndLengthFollowBigDL) {
  const Tensor x = Tensor::arange(10, DType::Float64).view({1, 10});
  Narrow to_end(NarrowOptions{.dim = 1, .start = 2, .length = -1});
  EXPECT_EQ(to_end.forward(x).to_vector(), std::vector<double>({2, 3, 4, 5, 6, 7, 8, 9}));
  Narrow minus_two(NarrowOptions{.dim = -1, .start = 2, .length = -3});
  EXPECT_EQ(minus_two.forward(x).to_vector(), std::vector<double>({2, 3, 4, 5, 6, 7}));
  Narrow from_back(NarrowOptions{.dim = 1, .start = -3, .length = 2});
  EXPECT_EQ(from_back.forward(x).to_vector(), std::vector<double>({7, 8}));
  EXPECT_TRUE(from_back.output_tensor().shares_storage(x));
}

TEST(NarrowTest, NonContiguousMatchesContiguous) {
  Narrow n(NarrowOptions{.dim = 0, .start = 1, .length = 2});
  EXPECT_TRUE(test::same_for_noncontiguous(n, random_tensor({4, 3}, 1), random_tensor({2, 3}, 2)));
}

TEST(NarrowTest, GradientsMatchFiniteDifferences) {
  Narrow n(NarrowOptions{.dim = 1, .start = 1, .length = -2});
  EXPECT_TRUE(test::check_module_gradients(n, random_tensor({2, 5}, 3)));
}

TEST(NarrowTest, ErrorsNameTheRange) {
  Narrow n(NarrowOptions{.dim = 1, .start = 3, .length = 4});
  EXPECT_THROW_WITH(n.forward(Tensor::zeros({2, 5})), IndexError,
                    "[nn.Narrow] narrow range out of bounds: expected start in [0, 5) and 0 < length <= 5 - start for "
                    "dim 1 of input shape [2, 5], got start=3, length=4 (resolved to [3, 7))");
  Narrow ok(NarrowOptions{.dim = 0, .start = 0, .length = 1});
  EXPECT_THROW_WITH(ok.backward(Tensor::zeros({3, 2}), Tensor::zeros({3, 2})), ShapeError,
                    "grad_output shape mismatch: expected [1, 2], got [3, 2]");
  EXPECT_THROW_WITH(Narrow(NarrowOptions{.length = 0}), ValueError, "[nn.Narrow] length must not be 0");
}

}  // namespace
}  // namespace ember::nn
