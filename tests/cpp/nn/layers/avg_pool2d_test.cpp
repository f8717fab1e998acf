#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/avg_pool2d.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/kernels/pooling.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

TEST(AvgPool2dTest, ForwardBackwardMatchPyTorch) {
  const auto f = load_fixture("nn/avg_pool2d");
  AvgPool2d ceil_include({.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true});
  test::expect_fixture_case(ceil_include, f, "a");
  EXPECT_EQ(ceil_include.output_tensor().shape(), Shape({1, 2, 4, 4}));
  AvgPool2d ceil_exclude({.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true, .count_include_pad = false});
  test::expect_fixture_case(ceil_exclude, f, "b");
  AvgPool2d odd({.kernel_size = 2});
  test::expect_fixture_case(odd, f, "c");
  AvgPool2d rect({.kernel_size = {3, 2}, .stride = {1, 2}, .padding = {1, 1}});
  test::expect_fixture_case(rect, f, "d");
  AvgPool2d unbatched({.kernel_size = 2, .stride = 3, .padding = 1, .ceil_mode = true});
  test::expect_fixture_case(unbatched, f, "e");
}

TEST(AvgPool2dTest, FixturesMatchInFloat32WithOneDnn) {
  // Float32 runs the oneDNN kernel where its divisor agrees with PyTorch and the reference elsewhere.
  const auto f = load_fixture("nn/avg_pool2d");
  AvgPool2d ceil_include({.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true});
  AvgPool2d ceil_exclude({.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true, .count_include_pad = false});
  for (auto [pool, p] : {std::pair{&ceil_include, "a"}, std::pair{&ceil_exclude, "b"}}) {
    const Tensor x = f.get(std::string(p) + "_input").to(DType::Float32);
    EXPECT_LT(max_abs_diff(pool->forward(x), f.get(std::string(p) + "_output").to(DType::Float32)), 1e-5) << p;
    const Tensor gy = f.get(std::string(p) + "_grad_output").to(DType::Float32);
    EXPECT_LT(max_abs_diff(pool->backward(x, gy), f.get(std::string(p) + "_grad_input").to(DType::Float32)), 1e-5)
        << p;
  }
}

TEST(AvgPool2dTest, OneDnnIsSkippedOnlyForCeilOverhangWithPadCounting) {
  kernels::Pool2dParams p{.kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1};
  p.oh = p.ow = kernels::pool_output_size(6, 3, 2, 1, true);
  EXPECT_EQ(p.oh, 4);
  EXPECT_FALSE(kernels::onednn::avg_pool2d_supported(p, 6, 6));
  p.count_include_pad = false;
  EXPECT_TRUE(kernels::onednn::avg_pool2d_supported(p, 6, 6));
  p.count_include_pad = true;
  p.oh = p.ow = kernels::pool_output_size(7, 3, 2, 1, true);
  EXPECT_TRUE(kernels::onednn::avg_pool2d_supported(p, 7, 7));
}

TEST(AvgPool2dTest, GradientsMatchFiniteDifferences) {
  AvgPool2d pool({.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true});
  EXPECT_TRUE(check_module_gradients(pool, random_tensor({2, 2, 6, 5}, 1)));
  AvgPool2d excl({.kernel_size = {2, 3}, .stride = 1, .padding = {1, 1}, .count_include_pad = false});
  EXPECT_TRUE(check_module_gradients(excl, random_tensor({1, 2, 4, 5}, 2)));
}

TEST(AvgPool2dTest, OneDnnMatchesReference) {
  const std::vector<std::pair<AvgPool2dOptions, Shape>> cases = {
      {{.kernel_size = 2}, {2, 3, 8, 8}},
      {{.kernel_size = 3, .stride = 2, .padding = 1, .ceil_mode = true, .count_include_pad = false}, {3, 5, 13, 11}},
      {{.kernel_size = 3, .stride = 2, .padding = 1}, {2, 4, 7, 9}},
      {{.kernel_size = {3, 2}, .stride = {1, 2}, .padding = {1, 1}}, {2, 7, 9, 5}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    AvgPool2d pool(cases[i].first);
    const Tensor x = random_tensor(cases[i].second, 10 + i, -1, 1, DType::Float32);
    const Tensor y_fast = pool.forward(x).clone();
    const Tensor gy = random_tensor(y_fast.shape(), 20 + i, -1, 1, DType::Float32);
    const Tensor gx_fast = pool.backward(x, gy).clone();
    kernels::ScopedBackend ref(kernels::Backend::Reference);
    EXPECT_LT(max_abs_diff(pool.forward(x), y_fast), 1e-6);
    EXPECT_LT(max_abs_diff(pool.backward(x, gy), gx_fast), 1e-6);
  }
}

TEST(AvgPool2dTest, ErrorsNameTheProblem) {
  AvgPool2d pool({.kernel_size = 2});
  EXPECT_THROW_WITH(pool.forward(Tensor::zeros({1, 1, 1, 4})), ShapeError,
                    "[nn.AvgPool2d] input is too small for the pooling window");
  EXPECT_THROW_WITH(pool.forward(Tensor::zeros({1, 1, 1, 1, 4})), ShapeError, "expected 3-d or 4-d, got shape");
  EXPECT_THROW_WITH(pool.forward(Tensor::zeros({1, 4, 4}, DType::Int32)), TypeError, "got int32");
  const Tensor x = Tensor::zeros({1, 1, 4, 4});
  EXPECT_THROW_WITH(pool.backward(x, Tensor::zeros({1, 1, 4, 4})), ShapeError,
                    "grad_output shape mismatch: expected [1, 1, 2, 2], got [1, 1, 4, 4]");
  EXPECT_THROW_WITH(pool.backward(x, Tensor::zeros({1, 1, 2, 2}, DType::Float64)), TypeError,
                    "grad_output dtype float64 does not match input dtype float32");
  EXPECT_THROW_WITH(AvgPool2d({.kernel_size = 2, .padding = 2}), ValueError,
                    "[nn.AvgPool2d] padding must be between 0 and half the kernel size");
  EXPECT_THROW_WITH(AvgPool2d({.kernel_size = {2, -1}}), ValueError, "kernel_size must be positive, got (2, -1)");
}

TEST(AvgPool2dTest, ReprAndConfig) {
  AvgPool2d pool({.kernel_size = 3, .count_include_pad = false});
  EXPECT_EQ(pool.repr(),
            "nn.AvgPool2d(kernel_size=3, stride=0, padding=0, ceil_mode=false, count_include_pad=false)");
  EXPECT_FALSE(from_config<AvgPool2dOptions>(pool.config()).count_include_pad);
  EXPECT_EQ(Registry::global().create_module("nn.AvgPool2d", pool.config())->repr(), pool.repr());
}

}  // namespace
}  // namespace ember::nn
