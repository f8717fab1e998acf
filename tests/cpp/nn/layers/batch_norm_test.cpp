// Tests for BatchNorm1d and BatchNorm2d (one shared implementation).
#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/batch_norm.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

// Two training forwards (running statistics after each), a training backward, then evaluation.
void expect_matches_fixture(BatchNormBase& bn, const std::string& name) {
  SCOPED_TRACE(name);
  const auto f = load_fixture(name);
  bn.to(DType::Float64);
  bn.weight().copy_(f.get("weight"));
  bn.bias().copy_(f.get("bias"));
  bn.forward(f.get("input1"));
  EXPECT_LT(max_abs_diff(bn.running_mean(), f.get("running_mean1")), 1e-12);
  EXPECT_LT(max_abs_diff(bn.running_var(), f.get("running_var1")), 1e-12);
  const Tensor x2 = f.get("input2");
  EXPECT_LT(max_abs_diff(bn.forward(x2), f.get("output2")), 1e-12);
  bn.zero_grad_parameters();
  EXPECT_LT(max_abs_diff(bn.backward(x2, f.get("grad_output2")), f.get("grad_input2")), 1e-12);
  EXPECT_LT(max_abs_diff(bn.grad_weight(), f.get("grad_weight2")), 1e-12);
  EXPECT_LT(max_abs_diff(bn.grad_bias(), f.get("grad_bias2")), 1e-12);
  EXPECT_LT(max_abs_diff(bn.running_mean(), f.get("running_mean2")), 1e-12);
  EXPECT_LT(max_abs_diff(bn.running_var(), f.get("running_var2")), 1e-12);

  const Tensor running_mean = bn.running_mean().clone();
  bn.evaluate();
  const Tensor x3 = f.get("eval_input");
  EXPECT_LT(max_abs_diff(bn.forward(x3), f.get("eval_output")), 1e-12);
  bn.zero_grad_parameters();
  EXPECT_LT(max_abs_diff(bn.backward(x3, f.get("eval_grad_output")), f.get("eval_grad_input")), 1e-12);
  EXPECT_LT(max_abs_diff(bn.grad_weight(), f.get("eval_grad_weight")), 1e-12);
  EXPECT_LT(max_abs_diff(bn.grad_bias(), f.get("eval_grad_bias")), 1e-12);
  EXPECT_EQ(max_abs_diff(bn.running_mean(), running_mean), 0.0);  // evaluation leaves them
}

TEST(BatchNormTest, MatchesPyTorchInTrainingAndEvaluation) {
  BatchNorm2d bn2({.num_features = 3});
  expect_matches_fixture(bn2, "nn/batch_norm2d");
  BatchNorm1d bn1({.num_features = 4});
  expect_matches_fixture(bn1, "nn/batch_norm1d");
  BatchNorm1d bn1_3d({.num_features = 3});
  expect_matches_fixture(bn1_3d, "nn/batch_norm1d_3d");
}

TEST(BatchNormTest, GradientsMatchFiniteDifferencesInTraining) {
  BatchNorm2d bn({.num_features = 3});
  bn.to(DType::Float64);
  bn.weight().copy_(random_tensor({3}, 1, 0.5, 1.5));
  bn.bias().copy_(random_tensor({3}, 2));
  EXPECT_TRUE(check_module_gradients(bn, random_tensor({3, 3, 2, 3}, 3)));
  BatchNorm1d bn1({.num_features = 2, .affine = false});
  bn1.to(DType::Float64);
  EXPECT_TRUE(check_module_gradients(bn1, random_tensor({5, 2, 3}, 4)));
}

TEST(BatchNormTest, GradientsMatchFiniteDifferencesInEvaluation) {
  BatchNorm2d bn({.num_features = 3});
  bn.to(DType::Float64);
  bn.weight().copy_(random_tensor({3}, 5, 0.5, 1.5));
  bn.bias().copy_(random_tensor({3}, 6));
  bn.running_mean().copy_(random_tensor({3}, 7));
  bn.running_var().copy_(random_tensor({3}, 8, 0.5, 2.0));
  bn.evaluate();
  EXPECT_TRUE(check_module_gradients(bn, random_tensor({2, 3, 3, 2}, 9)));
  BatchNorm1d bn1({.num_features = 4});
  bn1.to(DType::Float64);
  bn1.running_var().copy_(random_tensor({4}, 10, 0.5, 2.0));
  bn1.evaluate();
  EXPECT_TRUE(check_module_gradients(bn1, random_tensor({3, 4}, 11)));
}

// Float32 forward + backward with oneDNN, then the same with the reference kernels.
void expect_backends_agree(BatchNormBase& bn, const Tensor& x, uint64_t seed) {
  bn.zero_grad_parameters();
  const Tensor y = bn.forward(x).clone();
  const Tensor gy = random_tensor(y.shape(), seed, -1, 1, DType::Float32);
  const Tensor gx = bn.backward(x, gy).clone();
  const Tensor gw = bn.options().affine ? bn.grad_weight().clone() : Tensor();
  kernels::ScopedBackend ref(kernels::Backend::Reference);
  bn.zero_grad_parameters();
  EXPECT_LT(max_abs_diff(bn.forward(x), y), 2e-5);
  EXPECT_LT(max_abs_diff(bn.backward(x, gy), gx), 2e-5);
  if (gw.defined()) {
    EXPECT_LT(max_abs_diff(bn.grad_weight(), gw), 1e-4);
  }
}

TEST(BatchNormTest, OneDnnMatchesReference) {
  BatchNorm2d bn2({.num_features = 5});
  bn2.weight().copy_(random_tensor({5}, 1, 0.5, 1.5, DType::Float32));
  bn2.bias().copy_(random_tensor({5}, 2, -1, 1, DType::Float32));
  BatchNorm1d bn1({.num_features = 7});
  BatchNorm1d plain({.num_features = 3, .affine = false});
  const Tensor x4 = random_tensor({3, 5, 7, 9}, 3, -2, 3, DType::Float32);
  const Tensor x2 = random_tensor({11, 7}, 4, -2, 3, DType::Float32);
  const Tensor x3 = random_tensor({4, 3, 13}, 5, -2, 3, DType::Float32);
  for (bool train : {true, false}) {
    SCOPED_TRACE(train ? "training" : "evaluation");
    for (BatchNormBase* m : {static_cast<BatchNormBase*>(&bn2), static_cast<BatchNormBase*>(&bn1),
                             static_cast<BatchNormBase*>(&plain)})
      train ? m->training() : m->evaluate();
    expect_backends_agree(bn2, x4, 6);
    expect_backends_agree(bn1, x2, 7);
    expect_backends_agree(plain, x3, 8);
  }
}

TEST(BatchNormTest, ParameterGradientsAccumulate) {
  BatchNorm2d bn({.num_features = 2});
  const Tensor x = random_tensor({3, 2, 2, 2}, 13, -1, 1, DType::Float32);
  const Tensor gy = random_tensor({3, 2, 2, 2}, 14, -1, 1, DType::Float32);
  bn.zero_grad_parameters();
  bn.forward(x);
  bn.backward(x, gy);
  const Tensor gw = bn.grad_weight().clone(), gb = bn.grad_bias().clone();
  EXPECT_GT(sum_all(abs(gw)), 0.0);
  bn.backward(x, gy);
  EXPECT_LT(max_abs_diff(bn.grad_weight(), mul(gw, 2.0)), 1e-5);
  EXPECT_LT(max_abs_diff(bn.grad_bias(), mul(gb, 2.0)), 1e-5);
}

TEST(BatchNormTest, RunningStatisticsUseUnbiasedVariance) {
  BatchNorm1d bn({.num_features = 1, .momentum = 0.5});
  bn.forward(Tensor::from_vector(std::vector<float>{1, 3}, {2, 1}));
  EXPECT_FLOAT_EQ(bn.running_mean().at({0}), 0.5 * 0 + 0.5 * 2);
  EXPECT_FLOAT_EQ(bn.running_var().at({0}), 0.5 * 1 + 0.5 * 2);  // unbiased variance of {1, 3} is 2
}

TEST(BatchNormTest, WithoutRunningStatsEvaluationUsesBatchStatistics) {
  BatchNorm2d bn({.num_features = 2, .track_running_stats = false});
  EXPECT_TRUE(bn.named_buffers().empty());
  bn.evaluate();
  const Tensor x = random_tensor({2, 2, 3, 3}, 12, 5, 9, DType::Float32);
  const Tensor y = bn.forward(x);
  EXPECT_NEAR(sum_all(y.select(1, 0)), 0.0, 1e-4);
  EXPECT_NEAR(sum_all(square(y.select(1, 1))) / 18.0, 1.0, 1e-3);
}

TEST(BatchNormTest, DefaultsAndBuffers) {
  BatchNorm2d bn({.num_features = 4});
  EXPECT_EQ(sum_all(bn.weight()), 4.0);
  EXPECT_EQ(sum_all(abs(bn.bias())), 0.0);
  const auto buffers = bn.named_buffers();
  ASSERT_EQ(buffers.size(), 2u);
  EXPECT_EQ(buffers[0].first, "running_mean");
  EXPECT_EQ(buffers[1].first, "running_var");
  EXPECT_EQ(sum_all(bn.running_var()), 4.0);
  EXPECT_EQ(bn.repr(),
            "nn.BatchNorm2d(num_features=4, eps=1e-05, momentum=0.1, affine=true, track_running_stats=true)");
  EXPECT_EQ(from_config<BatchNormOptions>(bn.config()).num_features, 4);
  BatchNorm1d bn1({.num_features = 2, .momentum = 0.3, .affine = false});
  EXPECT_EQ(Registry::global().create_module("nn.BatchNorm1d", bn1.config())->repr(), bn1.repr());
  EXPECT_EQ(Registry::global().create_module("nn.BatchNorm2d", bn.config())->repr(), bn.repr());
}

TEST(BatchNormTest, ErrorsNameTheProblem) {
  BatchNorm2d bn({.num_features = 3});
  EXPECT_THROW_WITH(bn.forward(Tensor::zeros({2, 4, 2, 2})), ShapeError,
                    "[nn.BatchNorm2d] input channel mismatch: expected num_features=3 in dimension 1, got input of "
                    "shape [2, 4, 2, 2]");
  EXPECT_THROW_WITH(bn.forward(Tensor::zeros({2, 3})), ShapeError, "expected 4-d, got shape [2, 3]");
  EXPECT_THROW_WITH(bn.forward(Tensor::zeros({2, 3, 2, 2}, DType::Float64)), TypeError,
                    "input dtype float64 does not match parameter dtype float32");
  EXPECT_THROW_WITH(bn.forward(Tensor::zeros({1, 3, 1, 1})), ShapeError,
                    "expected more than 1 value per channel when training, got input of shape [1, 3, 1, 1]");
  const Tensor x = Tensor::zeros({2, 3, 2, 2});
  bn.forward(x);
  EXPECT_THROW_WITH(bn.backward(x, Tensor::zeros({2, 3, 2})), ShapeError,
                    "grad_output shape mismatch: expected [2, 3, 2, 2] (the input shape), got [2, 3, 2]");
  EXPECT_THROW_WITH(bn.backward(x, Tensor::zeros({2, 3, 2, 2}, DType::Float64)), TypeError,
                    "grad_output dtype float64 does not match input dtype float32");
  EXPECT_THROW_WITH(bn.backward(Tensor::zeros({3, 3, 2, 2}), Tensor::zeros({3, 3, 2, 2})), ShapeError,
                    "backward input shape differs from the forward's: expected [2, 3, 2, 2], got [3, 3, 2, 2]");
  BatchNorm2d fresh({.num_features = 3});
  EXPECT_THROW_WITH(fresh.backward(x, x), ValueError, "[nn.BatchNorm2d] backward called before forward");
  BatchNorm1d bn1({.num_features = 3});
  EXPECT_THROW_WITH(bn1.forward(Tensor::zeros({2, 3, 2, 2})), ShapeError,
                    "[nn.BatchNorm1d] input has the wrong number of dimensions: expected 2-d or 3-d");
}

TEST(BatchNormTest, InvalidOptionsAreRejected) {
  EXPECT_THROW_WITH(BatchNorm2d({.num_features = 0}), ValueError,
                    "[nn.BatchNorm2d] num_features must be positive, got 0");
  EXPECT_THROW_WITH(BatchNorm1d({.num_features = 2, .eps = 0}), ValueError, "[nn.BatchNorm1d] eps must be positive");
  EXPECT_THROW_WITH(BatchNorm1d({.num_features = 2, .momentum = 1.5}), ValueError,
                    "momentum must be in [0, 1], got 1.5");
}

}  // namespace
}  // namespace ember::nn
