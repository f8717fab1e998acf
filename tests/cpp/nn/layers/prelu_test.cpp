#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/prelu.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

TEST(PReLUTest, ForwardBackwardMatchPyTorch) {
  for (auto [name, c] : {std::pair<const char*, int64_t>{"nn/prelu_1", 1}, {"nn/prelu_3", 3}}) {
    const auto f = load_fixture(name);
    PReLU m(PReLUOptions{.num_parameters = c});
    m.to(DType::Float64);
    m.weight().copy_(f.get("weight"));
    m.zero_grad_parameters();
    EXPECT_LT(max_abs_diff(m.forward(f.get("input")), f.get("output")), 1e-12) << name;
    EXPECT_LT(max_abs_diff(m.backward(f.get("input"), f.get("grad_output")), f.get("grad_input")), 1e-12) << name;
    EXPECT_LT(max_abs_diff(m.grad_weight(), f.get("grad_weight")), 1e-12) << name;
  }
}

TEST(PReLUTest, GradientsMatchFiniteDifferences) {
  PReLU shared;
  shared.to(DType::Float64);
  EXPECT_TRUE(check_module_gradients(shared, random_tensor({3, 4}, 1)));
  EXPECT_TRUE(check_module_gradients(shared, random_tensor({5}, 2)));
  PReLU per_channel(PReLUOptions{.num_parameters = 3});
  per_channel.to(DType::Float64);
  EXPECT_TRUE(check_module_gradients(per_channel, random_tensor({2, 3, 4, 2}, 3)));
  EXPECT_TRUE(check_module_gradients(per_channel, random_tensor({4, 3}, 4)));
}

TEST(PReLUTest, DefaultInitAndAccumulation) {
  PReLU m(PReLUOptions{.num_parameters = 4, .init = 0.1});
  EXPECT_EQ(m.weight().to_vector(), std::vector<double>(4, static_cast<double>(0.1f)));
  const Tensor x = random_tensor({2, 4, 3}, 5, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({2, 4, 3}, 6, -1, 1, DType::Float32);
  m.zero_grad_parameters();
  m.forward(x);
  m.backward(x, gy);
  const Tensor once = m.grad_weight().clone();
  EXPECT_GT(sum_all(abs(once)), 0.0);
  m.backward(x, gy);
  EXPECT_LT(max_abs_diff(m.grad_weight(), mul(once, 2.0)), 1e-6);
}

TEST(PReLUTest, BadInputsRaise) {
  PReLU m(PReLUOptions{.num_parameters = 3});
  EXPECT_THROW_WITH(m.forward(Tensor::zeros({2, 4, 5})), ShapeError,
                    "[nn.PReLU] input channel mismatch: expected dim 1 of size num_parameters=3, got input of shape "
                    "[2, 4, 5]");
  EXPECT_THROW_WITH(m.forward(Tensor::zeros({3})), ShapeError, "got input of shape [3]");
  EXPECT_THROW_WITH(m.forward(Tensor::zeros({2, 3}, DType::Float64)), TypeError,
                    "input dtype float64 does not match weight dtype float32");
  EXPECT_THROW_WITH(m.forward(Tensor::zeros({2, 3}, DType::Int32)), TypeError, "unsupported input dtype");
  m.forward(Tensor::zeros({2, 3}));
  EXPECT_THROW_WITH(m.backward(Tensor::zeros({2, 3}), Tensor::zeros({3, 2})), ShapeError, "grad_output shape mismatch");
  EXPECT_THROW_WITH(PReLU(PReLUOptions{.num_parameters = 0}), ValueError,
                    "[nn.PReLU] num_parameters must be positive, got 0");
}

TEST(PReLUTest, ReprAndRegistry) {
  PReLU m(PReLUOptions{.num_parameters = 8});
  EXPECT_EQ(m.repr(), "nn.PReLU(num_parameters=8, init=0.25)");
  ModulePtr copy = Registry::global().create_module("nn.PReLU", m.config());
  EXPECT_EQ(copy->num_parameters(), 8);
}

}  // namespace
}  // namespace ember::nn
