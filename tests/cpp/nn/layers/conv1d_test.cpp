#include <gtest/gtest.h>

#include <cmath>

#include "common/gradient_check.h"
#include "conv_test_util.h"
#include "ember/nn/layers/conv1d.h"
#include "ember/nn/layers/conv2d.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::random_tensor;

std::shared_ptr<Conv1d> make_conv(Conv1dOptions o, DType dtype = DType::Float32) {
  return conv_test::make_layer<Conv1d>(o, dtype);
}

// Options as written by tools/fixtures/gen_conv.py: in, out, kernel, stride, padding, dilation, groups, bias.
Conv1dOptions options_from(const Tensor& t) {
  const std::vector<double> v = t.to_vector();
  auto i = [&](size_t k) { return static_cast<int64_t>(v[k]); };
  return {.in_channels = i(0), .out_channels = i(1), .kernel_size = i(2), .stride = i(3), .padding = i(4),
          .dilation = i(5), .groups = i(6), .bias = v[7] != 0};
}

TEST(Conv1dTest, ForwardBackwardMatchPyTorch) {
  conv_test::expect_fixture_cases_match<Conv1d>(
      "nn/conv1d", {"basic", "stride_dilation", "groups_nobias", "unbatched"}, options_from);
}

TEST(Conv1dTest, GradientsMatchFiniteDifferences) {
  conv_test::expect_gradients_match_finite_differences<Conv1d>({
      {{.in_channels = 2, .out_channels = 3, .kernel_size = 3, .padding = 1}, {2, 2, 6}},
      {{.in_channels = 2, .out_channels = 2, .kernel_size = 2, .stride = 2, .dilation = 2}, {2, 2, 9}},
      {{.in_channels = 4, .out_channels = 2, .kernel_size = 3, .groups = 2, .bias = false}, {1, 4, 5}},
      {{.in_channels = 3, .out_channels = 2, .kernel_size = 2}, {3, 4}},  // unbatched
  });
}

TEST(Conv1dTest, OneDnnMatchesReference) {
  conv_test::expect_onednn_matches_reference<Conv1d>({
      {{.in_channels = 5, .out_channels = 7, .kernel_size = 3, .padding = 1}, {3, 5, 17}},
      {{.in_channels = 16, .out_channels = 8, .kernel_size = 5, .stride = 2, .padding = 2, .dilation = 2},
       {2, 16, 31}},
      {{.in_channels = 6, .out_channels = 9, .kernel_size = 2, .groups = 3, .bias = false}, {6, 11}},
  });
}

TEST(Conv1dTest, MatchesConv2dWithUnitHeight) {
  auto c1 = make_conv({.in_channels = 3, .out_channels = 4, .kernel_size = 3, .stride = 2, .padding = 1});
  auto c2 = std::make_shared<Conv2d>(Conv2dOptions{
      .in_channels = 3, .out_channels = 4, .kernel_size = {1, 3}, .stride = {1, 2}, .padding = {0, 1}});
  c2->weight().copy_(c1->weight().unsqueeze(2));
  c2->bias().copy_(c1->bias());
  const Tensor x = random_tensor({2, 3, 10}, 50, -1, 1, DType::Float32);
  EXPECT_LT(max_abs_diff(c1->forward(x), c2->forward(x.unsqueeze(2)).squeeze(2)), 1e-6);
}

TEST(Conv1dTest, FrameMajorInputThroughTranspose) {
  // BigDL's TemporalConvolution takes [N, L, C]; a transposed view gives the same result as a copy.
  auto conv = make_conv({.in_channels = 4, .out_channels = 2, .kernel_size = 3});
  const Tensor frames = random_tensor({2, 7, 4}, 51, -1, 1, DType::Float32);
  const Tensor y = conv->forward(frames.transpose(1, 2)).clone();
  EXPECT_EQ(y.shape(), Shape({2, 2, 5}));
  EXPECT_LT(max_abs_diff(y, conv->forward(frames.transpose(1, 2).contiguous())), 1e-6);
  EXPECT_THROW_WITH(conv->forward(frames), ShapeError, "Hint: BigDL's TemporalConvolution input [N, L, C]");
}

TEST(Conv1dTest, InputErrorsNameShapes) {
  auto conv = make_conv({.in_channels = 3, .out_channels = 2, .kernel_size = 4, .dilation = 2});
  EXPECT_THROW_WITH(conv->forward(Tensor::zeros({2, 5, 9})), ShapeError,
                    "[nn.Conv1d] input channel mismatch: expected in_channels=3 at dim 1, got input of shape "
                    "[2, 5, 9] (weight shape [2, 3, 4])");
  EXPECT_THROW_WITH(conv->forward(Tensor::zeros({1, 3, 2, 9})), ShapeError,
                    "expected 2-d or 3-d, got shape [1, 3, 2, 9]");
  EXPECT_THROW_WITH(conv->forward(Tensor::zeros({1, 3, 6})), ShapeError,
                    "input is too small for the kernel: output size would be 0 for input of shape [1, 3, 6] "
                    "(kernel_size=4, padding=0, dilation=2)");
  EXPECT_THROW_WITH(conv->forward(Tensor::zeros({1, 3, 9}, DType::Float64)), TypeError,
                    "input dtype float64 does not match weight dtype float32");
  const Tensor x = Tensor::zeros({1, 3, 9});
  conv->forward(x);
  EXPECT_THROW_WITH(conv->backward(x, Tensor::zeros({1, 2, 2})), ShapeError,
                    "grad_output shape mismatch: expected [1, 2, 3] (the output's shape), got [1, 2, 2]");
}

TEST(Conv1dTest, InvalidOptionsAreRejected) {
  auto make = [](Conv1dOptions o) { return Conv1d(o); };
  EXPECT_THROW_WITH(make({.in_channels = 0, .out_channels = 2, .kernel_size = 3}), ValueError,
                    "[nn.Conv1d] in_channels must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 0, .kernel_size = 3}), ValueError,
                    "out_channels must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2}), ValueError, "kernel_size must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .stride = -1}), ValueError,
                    "stride must be positive, got -1");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .padding = -2}), ValueError,
                    "padding must be non-negative, got -2");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .dilation = 0}), ValueError,
                    "dilation must be positive, got 0");
  EXPECT_THROW_WITH(make({.in_channels = 2, .out_channels = 2, .kernel_size = 3, .groups = -1}), ValueError,
                    "groups must be positive, got -1");
  EXPECT_THROW_WITH(make({.in_channels = 3, .out_channels = 4, .kernel_size = 3, .groups = 2}), ValueError,
                    "in_channels must be divisible by groups: expected a multiple of groups=2, got in_channels=3");
  EXPECT_THROW_WITH(make({.in_channels = 4, .out_channels = 6, .kernel_size = 3, .groups = 4}), ValueError,
                    "out_channels must be divisible by groups: expected a multiple of groups=4, got out_channels=6");
}

TEST(Conv1dTest, ReprRegistryAndInit) {
  auto conv = make_conv({.in_channels = 6, .out_channels = 4, .kernel_size = 5, .padding = 2, .groups = 2});
  EXPECT_EQ(conv->repr(),
            "nn.Conv1d(in_channels=6, out_channels=4, kernel_size=5, stride=1, padding=2, dilation=1, groups=2, "
            "bias=true)");
  auto made = std::dynamic_pointer_cast<Conv1d>(Registry::global().create_module("nn.Conv1d", conv->config()));
  ASSERT_NE(made, nullptr);
  EXPECT_EQ(made->weight().shape(), Shape({4, 3, 5}));
  EXPECT_EQ(made->options().padding, 2);
  const double bound = 1.0 / std::sqrt(3.0 * 5.0);  // fan_in = in_channels/groups * kernel_size
  EXPECT_LE(max(abs(conv->weight())).item(), bound);
  EXPECT_GT(max(abs(conv->weight())).item(), 0.8 * bound);
}

}  // namespace
}  // namespace ember::nn
