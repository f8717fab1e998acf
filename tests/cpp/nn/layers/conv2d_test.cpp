#include <gtest/gtest.h>

#include <cmath>

#include "common/gradient_check.h"
#include "conv_test_util.h"
#include "ember/nn/layers/conv2d.h"
#include "ember/nn/registry.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/kernels/conv2d.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::random_tensor;

std::shared_ptr<Conv2d> make_conv(Conv2dOptions o, DType dtype = DType::Float32) {
  return conv_test::make_layer<Conv2d>(o, dtype);
}

// Options as written by tools/fixtures/gen_conv.py: in, out, kH, kW, sH, sW, pH, pW, dH, dW, groups, bias.
Conv2dOptions options_from(const Tensor& t) {
  const std::vector<double> v = t.to_vector();
  auto i = [&](size_t k) { return static_cast<int64_t>(v[k]); };
  return {.in_channels = i(0), .out_channels = i(1), .kernel_size = {i(2), i(3)}, .stride = {i(4), i(5)},
          .padding = {i(6), i(7)}, .dilation = {i(8), i(9)}, .groups = i(10), .bias = v[11] != 0};
}

TEST(Conv2dTest, ForwardBackwardMatchPyTorch) {
  conv_test::expect_fixture_cases_match<Conv2d>(
      "nn/conv2d", {"basic", "stride_pad", "dilation", "groups_nobias", "unbatched"}, options_from);
}

TEST(Conv2dTest, GradientsMatchFiniteDifferences) {
  conv_test::expect_gradients_match_finite_differences<Conv2d>({
      {{.in_channels = 2, .out_channels = 3, .kernel_size = 3, .padding = 1}, {2, 2, 4, 5}},
      {{.in_channels = 2, .out_channels = 2, .kernel_size = {2, 3}, .stride = 2, .padding = {1, 0}}, {1, 2, 5, 6}},
      {{.in_channels = 1, .out_channels = 2, .kernel_size = 2, .dilation = 2, .bias = false}, {2, 1, 5, 4}},
      {{.in_channels = 4, .out_channels = 2, .kernel_size = 1, .groups = 2}, {2, 4, 3, 3}},
      {{.in_channels = 2, .out_channels = 2, .kernel_size = 3, .stride = {1, 2}}, {2, 4, 5}},  // unbatched
  });
}

TEST(Conv2dTest, OneDnnMatchesReference) {
  conv_test::expect_onednn_matches_reference<Conv2d>({
      {{.in_channels = 3, .out_channels = 5, .kernel_size = 3, .padding = 1}, {2, 3, 9, 7}},
      {{.in_channels = 16, .out_channels = 32, .kernel_size = 3, .stride = 2, .padding = 1}, {3, 16, 13, 11}},
      {{.in_channels = 5, .out_channels = 7, .kernel_size = {3, 2}, .stride = {2, 1}, .dilation = 2}, {2, 5, 11, 9}},
      {{.in_channels = 6, .out_channels = 4, .kernel_size = 3, .padding = 2, .groups = 2, .bias = false},
       {1, 6, 7, 8}},
      {{.in_channels = 8, .out_channels = 8, .kernel_size = 3, .padding = 1, .groups = 8}, {2, 8, 6, 6}},
      {{.in_channels = 3, .out_channels = 4, .kernel_size = 1}, {3, 5, 5}},
  });
}

TEST(Conv2dTest, SameShapeReusesCachedPrimitives) {
  auto conv = make_conv({.in_channels = 3, .out_channels = 4, .kernel_size = 3, .padding = 1});
  const Tensor x = random_tensor({2, 3, 8, 8}, 20, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({2, 4, 8, 8}, 21, -1, 1, DType::Float32);
  conv->forward(x);
  conv->backward(x, gy);
  const size_t after_first = kernels::conv2d_cache_size();
  if (after_first == 0) GTEST_SKIP() << "built without oneDNN";
  const void* out_data = conv->output_tensor().raw_data();
  conv->forward(x);
  conv->backward(x, gy);
  EXPECT_EQ(kernels::conv2d_cache_size(), after_first);
  EXPECT_EQ(conv->output_tensor().raw_data(), out_data);  // the output buffer is reused too
  conv->forward(random_tensor({1, 3, 8, 8}, 22, -1, 1, DType::Float32));
  EXPECT_EQ(kernels::conv2d_cache_size(), after_first + 1);  // a new shape adds one forward primitive
}

TEST(Conv2dTest, GradientsAccumulateUntilZeroed) {
  auto conv = make_conv({.in_channels = 2, .out_channels = 3, .kernel_size = 2, .stride = 2});
  const Tensor x = random_tensor({2, 2, 6, 6}, 30, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({2, 3, 3, 3}, 31, -1, 1, DType::Float32);
  conv->zero_grad_parameters();
  conv->forward(x);
  conv->backward(x, gy);
  const Tensor w1 = conv->grad_weight().clone(), b1 = conv->grad_bias().clone();
  conv->backward(x, gy);
  EXPECT_LT(max_abs_diff(conv->grad_weight(), mul(w1, 2.0)), 1e-5);
  EXPECT_LT(max_abs_diff(conv->grad_bias(), mul(b1, 2.0)), 1e-5);
  EXPECT_GT(sum_all(abs(w1)), 0.0);
}

TEST(Conv2dTest, EmptyBatchGivesEmptyOutputAndNoGradient) {
  auto conv = make_conv({.in_channels = 2, .out_channels = 3, .kernel_size = 3, .padding = 1});
  const Tensor x = Tensor::zeros({0, 2, 5, 5});
  EXPECT_EQ(conv->forward(x).shape(), Shape({0, 3, 5, 5}));
  conv->zero_grad_parameters();
  EXPECT_EQ(conv->backward(x, Tensor::zeros({0, 3, 5, 5})).shape(), x.shape());
  EXPECT_EQ(sum_all(abs(conv->grad_weight())), 0.0);
}

TEST(Conv2dTest, TrainsThroughFlatParameterViews) {
  // After get_parameters() the weight and its gradient are views at an offset into flat buffers.
  auto conv = make_conv({.in_channels = 3, .out_channels = 16, .kernel_size = 3, .padding = 1});
  auto [flat_w, flat_g] = conv->get_parameters();
  const Tensor x = random_tensor({2, 3, 6, 6}, 41, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({2, 16, 6, 6}, 42, -1, 1, DType::Float32);
  Tensor gw_ref, gb_ref;
  {
    kernels::ScopedBackend ref(kernels::Backend::Reference);
    conv->zero_grad_parameters();
    conv->forward(x);
    conv->backward(x, gy);
    gw_ref = conv->grad_weight().clone();
    gb_ref = conv->grad_bias().clone();
  }
  conv->zero_grad_parameters();
  conv->forward(x);
  conv->backward(x, gy);
  EXPECT_TRUE(conv->grad_weight().shares_storage(flat_g));
  EXPECT_LT(max_abs_diff(conv->grad_weight(), gw_ref), 1e-4);
  EXPECT_LT(max_abs_diff(conv->grad_bias(), gb_ref), 1e-4);
  EXPECT_NEAR(sum_all(flat_g), sum_all(gw_ref) + sum_all(gb_ref), 1e-3);
}

TEST(Conv2dTest, NonContiguousInputMatchesContiguous) {
  auto conv = make_conv({.in_channels = 3, .out_channels = 2, .kernel_size = 3});
  const Tensor nhwc = random_tensor({2, 6, 5, 3}, 40, -1, 1, DType::Float32);
  const Tensor x = nhwc.permute({0, 3, 1, 2});
  const Tensor y = conv->forward(x).clone();
  EXPECT_LT(max_abs_diff(y, conv->forward(x.contiguous())), 1e-6);
}

TEST(Conv2dTest, InputErrorsNameShapes) {
  auto conv = make_conv({.in_channels = 3, .out_channels = 4, .kernel_size = 3});
  EXPECT_THROW_WITH(conv->forward(Tensor::zeros({2, 4, 8, 8})), ShapeError,
                    "[nn.Conv2d] input channel mismatch: expected in_channels=3 at dim 1, got input of shape "
                    "[2, 4, 8, 8] (weight shape [4, 3, 3, 3])");
  EXPECT_THROW_WITH(conv->forward(Tensor::zeros({3, 8})), ShapeError, "expected 3-d or 4-d, got shape [3, 8]");
  EXPECT_THROW_WITH(conv->forward(Tensor::zeros({1, 3, 2, 8})), ShapeError,
                    "input is too small for the kernel: output size would be 0x6 for input of shape [1, 3, 2, 8]");
  EXPECT_THROW_WITH(conv->forward(Tensor::zeros({1, 3, 8, 8}, DType::Float64)), TypeError,
                    "input dtype float64 does not match weight dtype float32");
  const Tensor x = Tensor::zeros({1, 3, 8, 8});
  conv->forward(x);
  EXPECT_THROW_WITH(conv->backward(x, Tensor::zeros({1, 4, 6, 5})), ShapeError,
                    "grad_output shape mismatch: expected [1, 4, 6, 6] (the output's shape), got [1, 4, 6, 5]");
  EXPECT_THROW_WITH(conv->backward(x, Tensor::zeros({1, 4, 6, 6}, DType::Float64)), TypeError,
                    "grad_output dtype float64 does not match input dtype float32");
}

TEST(Conv2dTest, InvalidOptionsAreRejected) {
  auto make = [](Conv2dOptions o) { return Conv2d(o); };
  EXPECT_THROW_WITH(make({.in_channels = 0, .out_channels = 2, .kernel_size = 3}), ValueError,
                    "[nn.Conv2d] in_channels must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = -1, .kernel_size = 3}), ValueError,
                    "out_channels must be positive, got -1");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = {3, 0}}), ValueError,
                    "kernel_size must be positive, got (3, 0)");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .stride = 0}), ValueError,
                    "stride must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .padding = {1, -1}}), ValueError,
                    "padding must be non-negative, got (1, -1)");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .dilation = 0}), ValueError,
                    "dilation must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .groups = 0}), ValueError,
                    "groups must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 3, .out_channels = 4, .kernel_size = 3, .groups = 2}), ValueError,
                    "in_channels must be divisible by groups: expected a multiple of groups=2, got in_channels=3");
  EXPECT_THROW_WITH(make({.in_channels = 4, .out_channels = 3, .kernel_size = 3, .groups = 2}), ValueError,
                    "out_channels must be divisible by groups: expected a multiple of groups=2, got out_channels=3");
}

TEST(Conv2dTest, ReprAndRegistryRoundTrip) {
  auto conv = make_conv({.in_channels = 3, .out_channels = 8, .kernel_size = {3, 5}, .stride = 2, .groups = 1,
                         .bias = false});
  EXPECT_EQ(conv->repr(),
            "nn.Conv2d(in_channels=3, out_channels=8, kernel_size=(3, 5), stride=2, padding=0, dilation=1, "
            "groups=1, bias=false)");
  auto made = std::dynamic_pointer_cast<Conv2d>(Registry::global().create_module("nn.Conv2d", conv->config()));
  ASSERT_NE(made, nullptr);
  EXPECT_EQ(made->options().kernel_size, conv->options().kernel_size);
  EXPECT_EQ(made->options().stride, conv->options().stride);
  EXPECT_FALSE(made->options().bias);
  EXPECT_EQ(made->weight().shape(), Shape({8, 3, 3, 5}));
}

TEST(Conv2dTest, DefaultInitIsFanInUniform) {
  auto conv = make_conv({.in_channels = 8, .out_channels = 16, .kernel_size = 3, .groups = 2});
  const double bound = 1.0 / std::sqrt(4.0 * 9.0);  // fan_in = in_channels/groups * kH * kW
  EXPECT_LE(max(abs(conv->weight())).item(), bound);
  EXPECT_GT(max(abs(conv->weight())).item(), 0.9 * bound);
  EXPECT_LE(max(abs(conv->bias())).item(), bound);
}

}  // namespace
}  // namespace ember::nn
