#include <gtest/gtest.h>

#include <cmath>

#include "common/gradient_check.h"
#include "conv_test_util.h"
#include "ember/nn/layers/conv2d.h"
#include "ember/nn/layers/conv_transpose2d.h"
#include "ember/nn/registry.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/kernels/conv2d.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::random_tensor;

std::shared_ptr<ConvTranspose2d> make_deconv(ConvTranspose2dOptions o, DType dtype = DType::Float32) {
  return conv_test::make_layer<ConvTranspose2d>(o, dtype);
}

// Options as written by tools/fixtures/gen_conv.py: in, out, kH, kW, sH, sW, pH, pW, dH, dW, groups, bias,
// output_padding H, W.
ConvTranspose2dOptions options_from(const Tensor& t) {
  const std::vector<double> v = t.to_vector();
  auto i = [&](size_t k) { return static_cast<int64_t>(v[k]); };
  return {.in_channels = i(0), .out_channels = i(1), .kernel_size = {i(2), i(3)}, .stride = {i(4), i(5)},
          .padding = {i(6), i(7)}, .output_padding = {i(12), i(13)}, .dilation = {i(8), i(9)}, .groups = i(10),
          .bias = v[11] != 0};
}

TEST(ConvTranspose2dTest, ForwardBackwardMatchPyTorch) {
  conv_test::expect_fixture_cases_match<ConvTranspose2d>(
      "nn/conv_transpose2d", {"basic", "stride_pad_outpad", "dilation", "groups_nobias", "unbatched"}, options_from);
}

TEST(ConvTranspose2dTest, GradientsMatchFiniteDifferences) {
  conv_test::expect_gradients_match_finite_differences<ConvTranspose2d>({
      {{.in_channels = 2, .out_channels = 3, .kernel_size = 3, .padding = 1}, {2, 2, 3, 4}},
      {{.in_channels = 2, .out_channels = 2, .kernel_size = {3, 2}, .stride = 2, .padding = {1, 0},
        .output_padding = 1},
       {1, 2, 3, 3}},
      {{.in_channels = 1, .out_channels = 2, .kernel_size = 2, .dilation = 2, .bias = false}, {2, 1, 3, 2}},
      {{.in_channels = 4, .out_channels = 2, .kernel_size = 2, .stride = {1, 2}, .groups = 2}, {1, 4, 2, 3}},
      {{.in_channels = 2, .out_channels = 2, .kernel_size = 3, .stride = 2}, {2, 2, 3}},  // unbatched
  });
}

TEST(ConvTranspose2dTest, OneDnnMatchesReference) {
  conv_test::expect_onednn_matches_reference<ConvTranspose2d>({
      {{.in_channels = 3, .out_channels = 5, .kernel_size = 3, .padding = 1}, {2, 3, 7, 9}},
      {{.in_channels = 16, .out_channels = 8, .kernel_size = 4, .stride = 2, .padding = 1}, {2, 16, 7, 5}},
      {{.in_channels = 5, .out_channels = 3, .kernel_size = 3, .stride = 2, .padding = 1, .output_padding = 1,
        .dilation = 2},
       {3, 5, 5, 6}},
      {{.in_channels = 6, .out_channels = 4, .kernel_size = {2, 3}, .stride = {3, 1}, .output_padding = {2, 0},
        .groups = 2, .bias = false},
       {1, 6, 4, 5}},
      {{.in_channels = 4, .out_channels = 4, .kernel_size = 3, .groups = 4}, {4, 5, 5}},
  });
}

TEST(ConvTranspose2dTest, IsTheAdjointOfConv2d) {
  // <conv(u), v> == <conv_transpose(v), u> for shared weights and no bias.
  auto conv = std::make_shared<Conv2d>(Conv2dOptions{.in_channels = 3, .out_channels = 4, .kernel_size = 3,
                                                     .stride = 2, .padding = 1, .bias = false});
  auto deconv = make_deconv({.in_channels = 4, .out_channels = 3, .kernel_size = 3, .stride = 2, .padding = 1,
                             .output_padding = 1, .bias = false});
  deconv->weight().copy_(conv->weight());
  const Tensor u = random_tensor({2, 3, 8, 8}, 60, -1, 1, DType::Float32);
  const Tensor v = random_tensor({2, 4, 4, 4}, 61, -1, 1, DType::Float32);
  const double lhs = sum_all(mul(conv->forward(u), v));
  const Tensor dv = deconv->forward(v);
  ASSERT_EQ(dv.shape(), u.shape());
  EXPECT_NEAR(lhs, sum_all(mul(dv, u)), 1e-3);
}

TEST(ConvTranspose2dTest, SameShapeReusesCachedPrimitives) {
  auto m = make_deconv({.in_channels = 4, .out_channels = 2, .kernel_size = 2, .stride = 2});
  const Tensor x = random_tensor({2, 4, 5, 5}, 70, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({2, 2, 10, 10}, 71, -1, 1, DType::Float32);
  m->forward(x);
  m->backward(x, gy);
  const size_t after_first = kernels::conv2d_cache_size();
  if (after_first == 0) GTEST_SKIP() << "built without oneDNN";
  m->forward(x);
  m->backward(x, gy);
  EXPECT_EQ(kernels::conv2d_cache_size(), after_first);
}

TEST(ConvTranspose2dTest, InputErrorsNameShapes) {
  auto m = make_deconv({.in_channels = 2, .out_channels = 3, .kernel_size = 1, .padding = 1});
  EXPECT_THROW_WITH(m->forward(Tensor::zeros({1, 3, 4, 4})), ShapeError,
                    "[nn.ConvTranspose2d] input channel mismatch: expected in_channels=2 at dim 1, got input of "
                    "shape [1, 3, 4, 4] (weight shape [2, 3, 1, 1])");
  EXPECT_THROW_WITH(m->forward(Tensor::zeros({2, 4})), ShapeError, "expected 3-d or 4-d, got shape [2, 4]");
  EXPECT_THROW_WITH(m->forward(Tensor::zeros({1, 2, 1, 3})), ShapeError,
                    "input is too small for the padding: output size would be -1x1 for input of shape [1, 2, 1, 3]");
  EXPECT_THROW_WITH(m->forward(Tensor::zeros({1, 2, 4, 4}, DType::Float64)), TypeError,
                    "input dtype float64 does not match weight dtype float32");
  const Tensor x = Tensor::zeros({1, 2, 4, 4});
  m->forward(x);
  EXPECT_THROW_WITH(m->backward(x, Tensor::zeros({1, 3, 4, 4})), ShapeError,
                    "grad_output shape mismatch: expected [1, 3, 2, 2] (the output's shape), got [1, 3, 4, 4]");
}

TEST(ConvTranspose2dTest, InvalidOptionsAreRejected) {
  auto make = [](ConvTranspose2dOptions o) { return ConvTranspose2d(o); };
  EXPECT_THROW_WITH(make({.in_channels = 0, .out_channels = 2, .kernel_size = 3}), ValueError,
                    "[nn.ConvTranspose2d] in_channels must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 0, .kernel_size = 3}), ValueError,
                    "out_channels must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = -3}), ValueError,
                    "kernel_size must be positive, got -3");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .stride = {1, 0}}), ValueError,
                    "stride must be positive, got (1, 0)");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .padding = -1}), ValueError,
                    "padding must be non-negative, got -1");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .dilation = 0}), ValueError,
                    "dilation must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .stride = 2, .output_padding = 2}),
                    ValueError,
                    "output_padding must be non-negative and smaller than stride or dilation: expected "
                    "output_padding < max(stride, dilation) = 2 in dimension 0, got output_padding=2");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .groups = 0}), ValueError,
                    "groups must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 3, .out_channels = 4, .kernel_size = 3, .groups = 2}), ValueError,
                    "in_channels must be divisible by groups: expected a multiple of groups=2, got in_channels=3");
  EXPECT_THROW_WITH(make({.in_channels = 4, .out_channels = 3, .kernel_size = 3, .groups = 2}), ValueError,
                    "out_channels must be divisible by groups: expected a multiple of groups=2, got out_channels=3");
}

TEST(ConvTranspose2dTest, ReprRegistryAndInit) {
  auto m = make_deconv({.in_channels = 8, .out_channels = 6, .kernel_size = 4, .stride = 2, .padding = 1,
                        .groups = 2});
  EXPECT_EQ(m->repr(),
            "nn.ConvTranspose2d(in_channels=8, out_channels=6, kernel_size=4, stride=2, padding=1, output_padding=0, "
            "dilation=1, groups=2, bias=true)");
  auto made =
      std::dynamic_pointer_cast<ConvTranspose2d>(Registry::global().create_module("nn.ConvTranspose2d", m->config()));
  ASSERT_NE(made, nullptr);
  EXPECT_EQ(made->weight().shape(), Shape({8, 3, 4, 4}));
  EXPECT_EQ(made->options().groups, 2);
  const double bound = 1.0 / std::sqrt(3.0 * 16.0);  // fan_in = out_channels/groups * kH * kW (PyTorch)
  EXPECT_LE(max(abs(m->weight())).item(), bound);
  EXPECT_GT(max(abs(m->weight())).item(), 0.8 * bound);
  EXPECT_LE(max(abs(m->bias())).item(), bound);
}

}  // namespace
}  // namespace ember::nn
