#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/max_pool2d.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

// Runs forward and backward on fixture case `p` and compares with PyTorch.
TEST(MaxPool2dTest, ForwardBackwardMatchPyTorch) {
  const auto f = load_fixture("nn/max_pool2d");
  MaxPool2d ceil_pad({.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true});
  test::expect_fixture_case(ceil_pad, f, "a");
  EXPECT_EQ(ceil_pad.output_tensor().shape(), Shape({2, 2, 4, 4}));
  MaxPool2d odd({.kernel_size = 2});
  test::expect_fixture_case(odd, f, "b");
  EXPECT_EQ(odd.output_tensor().shape(), Shape({1, 3, 2, 2}));
  MaxPool2d rect({.kernel_size = {3, 2}, .stride = {2, 1}, .padding = {1, 0}});
  test::expect_fixture_case(rect, f, "c");
  MaxPool2d unbatched({.kernel_size = 2, .stride = 2, .ceil_mode = true});
  test::expect_fixture_case(unbatched, f, "d");
  EXPECT_EQ(unbatched.output_tensor().shape(), Shape({3, 3, 3}));
}

TEST(MaxPool2dTest, GradientsMatchFiniteDifferences) {
  MaxPool2d pool({.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true});
  EXPECT_TRUE(check_module_gradients(pool, random_tensor({2, 2, 6, 5}, 1)));
  MaxPool2d overlap({.kernel_size = {2, 3}, .stride = 1});
  EXPECT_TRUE(check_module_gradients(overlap, random_tensor({1, 2, 4, 5}, 2)));
}

TEST(MaxPool2dTest, OneDnnMatchesReference) {
  const std::vector<std::pair<MaxPool2dOptions, Shape>> cases = {
      {{.kernel_size = 2}, {2, 3, 8, 8}},
      {{.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true}, {3, 5, 13, 11}},
      {{.kernel_size = 3, .stride = 2, .ceil_mode = true}, {1, 4, 6, 6}},
      {{.kernel_size = {3, 2}, .stride = {1, 2}, .padding = {1, 1}}, {2, 7, 9, 5}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    MaxPool2d pool(cases[i].first);
    const Tensor x = random_tensor(cases[i].second, 10 + i, -1, 1, DType::Float32);
    const Tensor y_fast = pool.forward(x).clone();
    const Tensor gy = random_tensor(y_fast.shape(), 20 + i, -1, 1, DType::Float32);
    const Tensor gx_fast = pool.backward(x, gy).clone();
    kernels::ScopedBackend ref(kernels::Backend::Reference);
    EXPECT_LT(max_abs_diff(pool.forward(x), y_fast), 1e-6);
    EXPECT_LT(max_abs_diff(pool.backward(x, gy), gx_fast), 1e-6);
  }
}

TEST(MaxPool2dTest, TiesSendTheGradientToTheFirstMaximumOnBothBackends) {
  MaxPool2d pool({.kernel_size = 2});
  const Tensor x = Tensor::zeros({1, 3, 4, 4});  // e.g. after a ReLU
  const Tensor gy = Tensor::ones({1, 3, 2, 2});
  pool.forward(x);
  const Tensor fast = pool.backward(x, gy).clone();
  kernels::ScopedBackend ref(kernels::Backend::Reference);
  pool.forward(x);
  const Tensor& slow = pool.backward(x, gy);
  EXPECT_EQ(max_abs_diff(fast, slow), 0.0);
  EXPECT_EQ(slow.at({0, 1, 0, 0}), 1.0);
  EXPECT_EQ(slow.at({0, 1, 2, 2}), 1.0);
  EXPECT_EQ(slow.at({0, 1, 1, 1}), 0.0);
  EXPECT_EQ(sum_all(slow), 12.0);
}

TEST(MaxPool2dTest, StrideZeroMeansKernelSize) {
  MaxPool2d a({.kernel_size = 3}), b({.kernel_size = 3, .stride = 3});
  const Tensor x = random_tensor({1, 1, 9, 7}, 3, -1, 1, DType::Float32);
  EXPECT_EQ(a.forward(x).shape(), Shape({1, 1, 3, 2}));
  EXPECT_EQ(max_abs_diff(a.forward(x), b.forward(x)), 0.0);
}

TEST(MaxPool2dTest, ErrorsNameTheProblem) {
  MaxPool2d pool({.kernel_size = 3});
  EXPECT_THROW_WITH(pool.forward(Tensor::zeros({2, 3, 2})), ShapeError,
                    "[nn.MaxPool2d] input is too small for the pooling window: expected height + 2*padding >= 3");
  EXPECT_THROW_WITH(pool.forward(Tensor::zeros({4, 4})), ShapeError,
                    "input has the wrong number of dimensions: expected 3-d or 4-d, got shape [4, 4]");
  EXPECT_THROW_WITH(pool.forward(Tensor::zeros({1, 1, 4, 4}, DType::Int64)), TypeError,
                    "input dtype must be float32 or float64, got int64");
  const Tensor x = Tensor::zeros({1, 1, 6, 6});
  pool.forward(x);
  EXPECT_THROW_WITH(pool.backward(x, Tensor::zeros({1, 1, 3, 3})), ShapeError,
                    "grad_output shape mismatch: expected [1, 1, 2, 2] (the output shape), got [1, 1, 3, 3]");
  EXPECT_THROW_WITH(pool.backward(Tensor::zeros({1, 1, 7, 7}), Tensor::zeros({1, 1, 2, 2})), ShapeError,
                    "backward input shape differs from the forward's: expected [1, 1, 6, 6], got [1, 1, 7, 7]");
  EXPECT_THROW_WITH(pool.backward(x, Tensor::zeros({1, 1, 2, 2}, DType::Float64)), TypeError,
                    "grad_output dtype float64 does not match output dtype float32");
}

TEST(MaxPool2dTest, InvalidOptionsAreRejected) {
  EXPECT_THROW_WITH(MaxPool2d({.kernel_size = 0}), ValueError, "[nn.MaxPool2d] kernel_size must be positive, got 0");
  EXPECT_THROW_WITH(MaxPool2d({.kernel_size = 2, .stride = -1}), ValueError, "stride must be positive");
  EXPECT_THROW_WITH(MaxPool2d({.kernel_size = 3, .padding = 2}), ValueError,
                    "padding must be between 0 and half the kernel size: expected at most 1, got padding=2");
}

TEST(MaxPool2dTest, ReprAndConfig) {
  MaxPool2d pool({.kernel_size = {3, 2}, .stride = 2, .ceil_mode = true});
  EXPECT_EQ(pool.repr(), "nn.MaxPool2d(kernel_size=(3, 2), stride=2, padding=0, ceil_mode=true)");
  EXPECT_EQ(from_config<MaxPool2dOptions>(pool.config()).kernel_size, ExpandingArray<2>({3, 2}));
  EXPECT_EQ(Registry::global().create_module("nn.MaxPool2d", pool.config())->repr(), pool.repr());
}

}  // namespace
}  // namespace ember::nn
