#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/spatial_cross_map_lrn.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

TEST(SpatialCrossMapLRNTest, ForwardBackwardMatchPyTorch) {
  const auto f = load_fixture("nn/spatial_cross_map_lrn");
  SpatialCrossMapLRN odd({.size = 5, .alpha = 0.5, .beta = 0.75, .k = 1.0});
  test::expect_fixture_case(odd, f, "a");
  SpatialCrossMapLRN even({.size = 4, .alpha = 0.3, .beta = 0.6, .k = 2.0});
  test::expect_fixture_case(even, f, "b");
  SpatialCrossMapLRN defaults({.size = 3});
  test::expect_fixture_case(defaults, f, "c");
}

TEST(SpatialCrossMapLRNTest, FixtureMatchesInFloat32WithOneDnn) {
  const auto f = load_fixture("nn/spatial_cross_map_lrn");
  SpatialCrossMapLRN lrn({.size = 5, .alpha = 0.5, .beta = 0.75, .k = 1.0});
  const Tensor x = f.get("a_input").to(DType::Float32);
  EXPECT_LT(max_abs_diff(lrn.forward(x), f.get("a_output").to(DType::Float32)), 1e-5);
  const Tensor gy = f.get("a_grad_output").to(DType::Float32);
  EXPECT_LT(max_abs_diff(lrn.backward(x, gy), f.get("a_grad_input").to(DType::Float32)), 1e-5);
}

TEST(SpatialCrossMapLRNTest, GradientsMatchFiniteDifferences) {
  SpatialCrossMapLRN lrn({.size = 3, .alpha = 0.7, .beta = 0.75, .k = 1.5});
  EXPECT_TRUE(check_module_gradients(lrn, random_tensor({2, 5, 2, 3}, 1, -2, 2)));
  SpatialCrossMapLRN even({.size = 2, .alpha = 0.9, .beta = 0.5, .k = 1.0});
  EXPECT_TRUE(check_module_gradients(even, random_tensor({1, 4, 3, 2}, 2, -2, 2)));
  SpatialCrossMapLRN wide({.size = 7, .alpha = 0.4, .beta = 1.2, .k = 1.0});  // window wider than C
  EXPECT_TRUE(check_module_gradients(wide, random_tensor({2, 3, 2, 2}, 3, -2, 2)));
}

TEST(SpatialCrossMapLRNTest, OneDnnMatchesReference) {
  const std::vector<std::pair<SpatialCrossMapLRNOptions, Shape>> cases = {
      {{}, {2, 8, 5, 5}},
      {{.size = 3, .alpha = 0.5, .beta = 0.75, .k = 2.0}, {3, 7, 3, 5}},
      {{.size = 5, .alpha = 1.0, .beta = 0.6, .k = 1.0}, {1, 3, 7, 1}},
      {{.size = 4, .alpha = 0.5, .beta = 0.75, .k = 1.0}, {2, 6, 3, 3}},  // even: reference both times
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    SpatialCrossMapLRN lrn(cases[i].first);
    const Tensor x = random_tensor(cases[i].second, 10 + i, -2, 2, DType::Float32);
    const Tensor y = lrn.forward(x).clone();
    const Tensor gy = random_tensor(y.shape(), 20 + i, -1, 1, DType::Float32);
    const Tensor gx = lrn.backward(x, gy).clone();
    kernels::ScopedBackend ref(kernels::Backend::Reference);
    EXPECT_LT(max_abs_diff(lrn.forward(x), y), 1e-5);
    EXPECT_LT(max_abs_diff(lrn.backward(x, gy), gx), 1e-5);
  }
}

TEST(SpatialCrossMapLRNTest, ErrorsNameTheProblem) {
  SpatialCrossMapLRN lrn;
  EXPECT_THROW_WITH(lrn.forward(Tensor::zeros({3, 4, 4})), ShapeError,
                    "[nn.SpatialCrossMapLRN] input has the wrong number of dimensions: expected 4-d, got shape "
                    "[3, 4, 4]");
  EXPECT_THROW_WITH(lrn.forward(Tensor::zeros({1, 3, 4, 4}, DType::Int32)), TypeError, "got int32");
  const Tensor x = Tensor::zeros({1, 3, 4, 4});
  lrn.forward(x);
  EXPECT_THROW_WITH(lrn.backward(x, Tensor::zeros({1, 3, 4})), ShapeError,
                    "grad_output shape mismatch: expected [1, 3, 4, 4] (the input shape), got [1, 3, 4]");
  EXPECT_THROW_WITH(lrn.backward(Tensor::zeros({1, 3, 4, 5}), Tensor::zeros({1, 3, 4, 5})), ShapeError,
                    "backward input shape differs from the forward's: expected [1, 3, 4, 4], got [1, 3, 4, 5]");
  EXPECT_THROW_WITH(lrn.backward(x, Tensor::zeros({1, 3, 4, 4}, DType::Float64)), TypeError,
                    "grad_output dtype float64 does not match input dtype float32");
  EXPECT_THROW_WITH(SpatialCrossMapLRN({.size = 0}), ValueError,
                    "[nn.SpatialCrossMapLRN] size must be positive, got 0");
  EXPECT_THROW_WITH(SpatialCrossMapLRN({.k = 0}), ValueError, "k must be positive, got 0");
  EXPECT_THROW_WITH(SpatialCrossMapLRN({.alpha = -1}), ValueError, "alpha must be non-negative, got -1");
}

TEST(SpatialCrossMapLRNTest, ReprAndConfig) {
  SpatialCrossMapLRN lrn;
  EXPECT_EQ(lrn.repr(), "nn.SpatialCrossMapLRN(size=5, alpha=0.0001, beta=0.75, k=1)");
  EXPECT_EQ(from_config<SpatialCrossMapLRNOptions>(lrn.config()).beta, 0.75);
  SpatialCrossMapLRN custom({.size = 3, .alpha = 0.5, .beta = 1.0, .k = 2.0});
  EXPECT_EQ(Registry::global().create_module("nn.SpatialCrossMapLRN", custom.config())->repr(), custom.repr());
}

}  // namespace
}  // namespace ember::nn
