#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/layer_norm.h"
#include "ember/nn/registry.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

TEST(LayerNormTest, ForwardBackwardMatchPyTorch) {
  const auto f = load_fixture("nn/layer_norm");
  LayerNorm ln({.normalized_shape = {4, 5}});
  ln.to(DType::Float64);
  ln.weight().copy_(f.get("weight"));
  ln.bias().copy_(f.get("bias"));
  const Tensor x = f.get("input");
  EXPECT_LT(max_abs_diff(ln.forward(x), f.get("output")), 1e-12);
  ln.zero_grad_parameters();
  EXPECT_LT(max_abs_diff(ln.backward(x, f.get("grad_output")), f.get("grad_input")), 1e-12);
  EXPECT_LT(max_abs_diff(ln.grad_weight(), f.get("grad_weight")), 1e-12);
  EXPECT_LT(max_abs_diff(ln.grad_bias(), f.get("grad_bias")), 1e-12);

  LayerNorm plain({.normalized_shape = {6}, .elementwise_affine = false});
  EXPECT_TRUE(plain.parameters().empty());
  const Tensor xp = f.get("plain_input");
  EXPECT_LT(max_abs_diff(plain.forward(xp), f.get("plain_output")), 1e-12);
  EXPECT_LT(max_abs_diff(plain.backward(xp, f.get("plain_grad_output")), f.get("plain_grad_input")), 1e-12);
}

TEST(LayerNormTest, GradientsMatchFiniteDifferences) {
  LayerNorm ln({.normalized_shape = {3, 4}});
  ln.to(DType::Float64);
  ln.weight().copy_(random_tensor({3, 4}, 1, 0.5, 1.5));
  ln.bias().copy_(random_tensor({3, 4}, 2));
  EXPECT_TRUE(check_module_gradients(ln, random_tensor({2, 3, 4}, 3)));
  LayerNorm plain({.normalized_shape = {5}, .elementwise_affine = false});
  EXPECT_TRUE(check_module_gradients(plain, random_tensor({2, 3, 5}, 4)));
}

TEST(LayerNormTest, OneDnnMatchesReference) {
  LayerNorm affine({.normalized_shape = {3, 7}});
  affine.weight().copy_(random_tensor({3, 7}, 20, 0.5, 1.5, DType::Float32));
  affine.bias().copy_(random_tensor({3, 7}, 21, -1, 1, DType::Float32));
  LayerNorm plain({.normalized_shape = {13}, .elementwise_affine = false});
  for (auto [ln, shape] : {std::pair<LayerNorm*, Shape>{&affine, {5, 3, 7}}, {&plain, {2, 3, 13}}, {&plain, {1, 13}}}) {
    SCOPED_TRACE(ember::detail::str_cat(shape));
    const Tensor x = random_tensor(shape, 22, -2, 3, DType::Float32);
    const Tensor gy = random_tensor(shape, 23, -1, 1, DType::Float32);
    ln->zero_grad_parameters();
    const Tensor y = ln->forward(x).clone();
    const Tensor gx = ln->backward(x, gy).clone();
    const Tensor gw = ln->options().elementwise_affine ? ln->grad_weight().clone() : Tensor();
    kernels::ScopedBackend ref(kernels::Backend::Reference);
    ln->zero_grad_parameters();
    EXPECT_LT(max_abs_diff(ln->forward(x), y), 2e-5);
    EXPECT_LT(max_abs_diff(ln->backward(x, gy), gx), 2e-5);
    if (gw.defined()) {
      EXPECT_LT(max_abs_diff(ln->grad_weight(), gw), 1e-4);
    }
  }
}

TEST(LayerNormTest, EmptyBatchIsAllowed) {
  LayerNorm ln({.normalized_shape = {4}});
  const Tensor x = Tensor::zeros({0, 4});
  EXPECT_EQ(ln.forward(x).shape(), Shape({0, 4}));
  EXPECT_EQ(ln.backward(x, x).shape(), Shape({0, 4}));
}

TEST(LayerNormTest, SameInTrainingAndEvaluationAndFloat32) {
  LayerNorm ln({.normalized_shape = {7}});
  const Tensor x = random_tensor({5, 7}, 5, -3, 4, DType::Float32);
  const Tensor y = ln.forward(x).clone();
  ln.evaluate();
  EXPECT_EQ(max_abs_diff(ln.forward(x), y), 0.0);
  EXPECT_NEAR(sum_all(y.select(0, 2)), 0.0, 1e-5);
  EXPECT_NEAR(sum_all(square(y.select(0, 3))) / 7.0, 1.0, 1e-3);
}

TEST(LayerNormTest, GradientsAccumulate) {
  LayerNorm ln({.normalized_shape = {4}});
  const Tensor x = random_tensor({3, 4}, 6, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({3, 4}, 7, -1, 1, DType::Float32);
  ln.zero_grad_parameters();
  ln.forward(x);
  ln.backward(x, gy);
  const Tensor once = ln.grad_weight().clone();
  ln.backward(x, gy);
  EXPECT_LT(max_abs_diff(ln.grad_weight(), mul(once, 2.0)), 1e-6);
}

TEST(LayerNormTest, ErrorsNameTheProblem) {
  LayerNorm ln({.normalized_shape = {4, 5}});
  EXPECT_THROW_WITH(ln.forward(Tensor::zeros({2, 5, 4})), ShapeError,
                    "[nn.LayerNorm] input shape mismatch: expected trailing dimensions normalized_shape=[4, 5], got "
                    "input of shape [2, 5, 4]");
  EXPECT_THROW_WITH(ln.forward(Tensor::zeros({5})), ShapeError, "got input of shape [5]");
  EXPECT_THROW_WITH(ln.forward(Tensor::zeros({4, 5}, DType::Float64)), TypeError,
                    "input dtype float64 does not match weight dtype float32");
  const Tensor x = Tensor::zeros({2, 4, 5});
  ln.forward(x);
  EXPECT_THROW_WITH(ln.backward(x, Tensor::zeros({2, 20})), ShapeError,
                    "grad_output shape mismatch: expected [2, 4, 5] (the input shape), got [2, 20]");
  EXPECT_THROW_WITH(ln.backward(x, Tensor::zeros({2, 4, 5}, DType::Float64)), TypeError,
                    "grad_output dtype float64 does not match input dtype float32");
  EXPECT_THROW_WITH(ln.backward(Tensor::zeros({3, 4, 5}), Tensor::zeros({3, 4, 5})), ShapeError,
                    "backward input shape differs from the forward's: expected [2, 4, 5], got [3, 4, 5]");
  LayerNorm fresh({.normalized_shape = {5}});
  EXPECT_THROW_WITH(fresh.backward(x, x), ValueError, "[nn.LayerNorm] backward called before forward");
  LayerNorm plain({.normalized_shape = {2}, .elementwise_affine = false});
  EXPECT_THROW_WITH(plain.forward(Tensor::zeros({3, 2}, DType::Int64)), TypeError, "got int64");
}

TEST(LayerNormTest, InvalidOptionsAreRejected) {
  EXPECT_THROW_WITH(LayerNorm(LayerNormOptions{}), ValueError, "[nn.LayerNorm] normalized_shape must not be empty");
  EXPECT_THROW_WITH(LayerNorm({.normalized_shape = {3, 0}}), ValueError,
                    "normalized_shape sizes must be positive, got [3, 0]");
  EXPECT_THROW_WITH(LayerNorm({.normalized_shape = {3}, .eps = -1}), ValueError, "eps must be positive, got -1");
}

TEST(LayerNormTest, DefaultsAndRepr) {
  LayerNorm ln({.normalized_shape = {2, 3}});
  EXPECT_EQ(ln.weight().shape(), Shape({2, 3}));
  EXPECT_EQ(sum_all(ln.weight()), 6.0);
  EXPECT_EQ(sum_all(abs(ln.bias())), 0.0);
  EXPECT_EQ(ln.repr(), "nn.LayerNorm(normalized_shape=[2, 3], eps=1e-05, elementwise_affine=true)");
  EXPECT_EQ(from_config<LayerNormOptions>(ln.config()).normalized_shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Registry::global().create_module("nn.LayerNorm", ln.config())->repr(), ln.repr());
}

}  // namespace
}  // namespace ember::nn
