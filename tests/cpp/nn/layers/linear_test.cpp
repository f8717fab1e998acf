#include <gtest/gtest.h>

#include <cmath>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/linear.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

std::shared_ptr<Linear> make_linear(int64_t in, int64_t out, bool bias = true) {
  return std::make_shared<Linear>(LinearOptions{.in_features = in, .out_features = out, .bias = bias});
}

TEST(LinearTest, ForwardBackwardMatchPyTorch) {
  const auto f = load_fixture("nn/linear");
  auto fc = make_linear(5, 3);
  fc->to(DType::Float64);
  fc->weight().copy_(f.get("weight"));
  fc->bias().copy_(f.get("bias"));
  EXPECT_LT(max_abs_diff(fc->forward(f.get("input")), f.get("output")), 1e-12);
  fc->zero_grad_parameters();
  EXPECT_LT(max_abs_diff(fc->backward(f.get("input"), f.get("grad_output")), f.get("grad_input")), 1e-12);
  EXPECT_LT(max_abs_diff(fc->grad_weight(), f.get("grad_weight")), 1e-12);
  EXPECT_LT(max_abs_diff(fc->grad_bias(), f.get("grad_bias")), 1e-12);
}

TEST(LinearTest, GradientsMatchFiniteDifferences) {
  auto fc = make_linear(4, 3);
  fc->to(DType::Float64);
  EXPECT_TRUE(check_module_gradients(*fc, random_tensor({5, 4}, 1)));
  auto nobias = make_linear(4, 2, false);
  nobias->to(DType::Float64);
  EXPECT_TRUE(check_module_gradients(*nobias, random_tensor({3, 4}, 2)));
}

TEST(LinearTest, OneDnnMatchesReference) {
  auto fc = make_linear(37, 19);
  const Tensor x = random_tensor({13, 37}, 3, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({13, 19}, 4, -1, 1, DType::Float32);
  Tensor y_ref, gx_ref, gw_ref;
  {
    kernels::ScopedBackend ref(kernels::Backend::Reference);
    y_ref = fc->forward(x).clone();
    fc->zero_grad_parameters();
    gx_ref = fc->backward(x, gy).clone();
    gw_ref = fc->grad_weight().clone();
  }
  EXPECT_LT(max_abs_diff(fc->forward(x), y_ref), 1e-5);
  fc->zero_grad_parameters();
  EXPECT_LT(max_abs_diff(fc->backward(x, gy), gx_ref), 1e-5);
  EXPECT_LT(max_abs_diff(fc->grad_weight(), gw_ref), 1e-5);
}

TEST(LinearTest, AcceptsOneDimensionalInput) {
  auto fc = make_linear(3, 2);
  const Tensor x = random_tensor({3}, 5, -1, 1, DType::Float32);
  const Tensor y = fc->forward(x).clone();
  EXPECT_EQ(y.shape(), Shape({2}));
  EXPECT_LT(max_abs_diff(y, fc->forward(x.unsqueeze(0)).squeeze(0)), 1e-6);
}

TEST(LinearTest, GradientsAccumulateUntilZeroed) {
  auto fc = make_linear(3, 2);
  const Tensor x = random_tensor({4, 3}, 6, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({4, 2}, 7, -1, 1, DType::Float32);
  fc->zero_grad_parameters();
  fc->forward(x);
  fc->backward(x, gy);
  const Tensor once = fc->grad_weight().clone();
  fc->backward(x, gy);
  EXPECT_LT(max_abs_diff(fc->grad_weight(), mul(once, 2.0)), 1e-5);
  fc->zero_grad_parameters();
  EXPECT_EQ(sum_all(abs(fc->grad_weight())), 0.0);
}

TEST(LinearTest, WrongFeatureSizeNamesShapes) {
  auto fc = make_linear(1024, 512);
  EXPECT_THROW_WITH(fc->forward(Tensor::zeros({32, 784})), ShapeError,
                    "[nn.Linear] input feature size mismatch: expected last dimension in_features=1024, got input "
                    "of shape [32, 784] (weight shape [512, 1024])");
  EXPECT_THROW_WITH(fc->forward(Tensor::zeros({2, 3, 1024})), ShapeError, "expected 1-d or 2-d, got shape [2, 3, 1024]");
  EXPECT_THROW_WITH(fc->forward(Tensor::zeros({2, 1024}, DType::Float64)), TypeError,
                    "input dtype float64 does not match weight dtype float32");
}

TEST(LinearTest, InvalidOptionsAreRejected) {
  EXPECT_THROW_WITH(make_linear(0, 3), ValueError, "[nn.Linear] in_features must be positive, got 0");
  EXPECT_THROW_WITH(make_linear(3, -2), ValueError, "out_features must be positive, got -2");
}

TEST(LinearTest, ReprAndConfig) {
  auto fc = make_linear(784, 10, false);
  EXPECT_EQ(fc->repr(), "nn.Linear(in_features=784, out_features=10, bias=false)");
  const auto c = fc->config();
  EXPECT_EQ(from_config<LinearOptions>(c).out_features, 10);
}

TEST(LinearTest, DefaultInitIsFanInUniform) {
  auto fc = make_linear(100, 50);
  const double bound = 1.0 / std::sqrt(100.0);
  EXPECT_LE(max(abs(fc->weight())).item(), bound);
  EXPECT_GT(max(abs(fc->weight())).item(), 0.9 * bound);
}

}  // namespace
}  // namespace ember::nn
