// Tests for AdaptiveAvgPool2d and GlobalAvgPool2d (same kernel).
#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/adaptive_avg_pool2d.h"
#include "ember/nn/layers/global_avg_pool2d.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

TEST(AdaptiveAvgPool2dTest, ForwardBackwardMatchPyTorch) {
  const auto f = load_fixture("nn/adaptive_avg_pool2d");
  AdaptiveAvgPool2d rect({.output_size = {3, 2}});
  test::expect_fixture_case(rect, f, "a");
  AdaptiveAvgPool2d overlapping({.output_size = 4});  // 5 -> 4: windows overlap
  test::expect_fixture_case(overlapping, f, "b");
  AdaptiveAvgPool2d one({.output_size = 1});
  test::expect_fixture_case(one, f, "g");
}

TEST(AdaptiveAvgPool2dTest, GradientsMatchFiniteDifferences) {
  AdaptiveAvgPool2d pool({.output_size = {3, 4}});
  EXPECT_TRUE(check_module_gradients(pool, random_tensor({2, 2, 7, 5}, 1)));
  AdaptiveAvgPool2d up({.output_size = 5});  // larger than the input: windows of one element
  EXPECT_TRUE(check_module_gradients(up, random_tensor({2, 3, 3}, 2)));
}

TEST(AdaptiveAvgPool2dTest, UnbatchedAndFloat32) {
  AdaptiveAvgPool2d pool({.output_size = 2});
  const Tensor x = random_tensor({3, 4, 6}, 3, -1, 1, DType::Float32);
  const Tensor y = pool.forward(x).clone();
  EXPECT_EQ(y.shape(), Shape({3, 2, 2}));
  EXPECT_NEAR(y.at({1, 0, 1}), sum_all(x.select(0, 1).narrow(0, 0, 2).narrow(1, 3, 3)) / 6.0, 1e-6);
}

TEST(AdaptiveAvgPool2dTest, ErrorsNameTheProblem) {
  EXPECT_THROW_WITH(AdaptiveAvgPool2d({.output_size = {0, 2}}), ValueError,
                    "[nn.AdaptiveAvgPool2d] output_size must be positive, got (0, 2)");
  AdaptiveAvgPool2d pool({.output_size = 2});
  EXPECT_THROW_WITH(pool.forward(Tensor::zeros({3, 4})), ShapeError,
                    "[nn.AdaptiveAvgPool2d] input has the wrong number");
  EXPECT_THROW_WITH(pool.forward(Tensor::zeros({1, 3, 0, 4})), ShapeError,
                    "input has an empty spatial dimension: expected H, W > 0, got shape [1, 3, 0, 4]");
  EXPECT_THROW_WITH(pool.backward(Tensor::zeros({1, 3, 4, 4}), Tensor::zeros({1, 3, 4, 4})), ShapeError,
                    "grad_output shape mismatch: expected [1, 3, 2, 2], got [1, 3, 4, 4]");
  EXPECT_EQ(pool.repr(), "nn.AdaptiveAvgPool2d(output_size=2)");
  AdaptiveAvgPool2d rect({.output_size = {3, 1}});
  EXPECT_EQ(Registry::global().create_module("nn.AdaptiveAvgPool2d", rect.config())->repr(),
            "nn.AdaptiveAvgPool2d(output_size=(3, 1))");
}

TEST(GlobalAvgPool2dTest, ForwardBackwardMatchPyTorch) {
  const auto f = load_fixture("nn/adaptive_avg_pool2d");
  GlobalAvgPool2d gap;
  test::expect_fixture_case(gap, f, "g");
  EXPECT_EQ(gap.output_tensor().shape(), Shape({2, 3, 1, 1}));
}

TEST(GlobalAvgPool2dTest, GradientsMatchFiniteDifferences) {
  GlobalAvgPool2d gap;
  EXPECT_TRUE(check_module_gradients(gap, random_tensor({2, 3, 4, 5}, 4)));
  EXPECT_TRUE(check_module_gradients(gap, random_tensor({3, 2, 3}, 5)));
}

TEST(GlobalAvgPool2dTest, ErrorsNameTheProblem) {
  GlobalAvgPool2d gap;
  EXPECT_THROW_WITH(gap.forward(Tensor::zeros({2, 3})), ShapeError,
                    "[nn.GlobalAvgPool2d] input has the wrong number of dimensions: expected 3-d or 4-d, got shape "
                    "[2, 3]");
  EXPECT_THROW_WITH(gap.backward(Tensor::zeros({1, 3, 4, 4}), Tensor::zeros({1, 3, 1})), ShapeError,
                    "grad_output shape mismatch: expected [1, 3, 1, 1], got [1, 3, 1]");
  EXPECT_THROW_WITH(gap.forward(Tensor::zeros({1, 3, 4, 4}, DType::UInt8)), TypeError, "got uint8");
  EXPECT_EQ(gap.repr(), "nn.GlobalAvgPool2d()");
  EXPECT_EQ(Registry::global().create_module("nn.GlobalAvgPool2d")->type_name(), "nn.GlobalAvgPool2d");
}

}  // namespace
}  // namespace ember::nn
