#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/nn/layers/dropout.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::random_tensor;

// Input with no zeros, so every zero of the output comes from the mask.
Tensor nonzero_input(const Shape& shape, uint64_t seed) { return random_tensor(shape, seed, 0.5, 1.5, DType::Float32); }

TEST(DropoutTest, EvaluateIsIdentity) {
  Dropout d(DropoutOptions{.p = 0.7});
  d.evaluate();
  const Tensor x = nonzero_input({4, 5}, 1);
  EXPECT_EQ(max_abs_diff(d.forward(x), x), 0.0);
  const Tensor gy = random_tensor({4, 5}, 2, -1, 1, DType::Float32);
  EXPECT_EQ(max_abs_diff(d.backward(x, gy), gy), 0.0);
}

TEST(DropoutTest, TrainingZeroesAboutPAndScalesTheRest) {
  const double p = 0.3;
  Dropout d(DropoutOptions{.p = p});
  const Tensor x = nonzero_input({100, 100}, 3);
  const Tensor y = d.forward(x).clone();
  const std::vector<double> xv = x.to_vector(), yv = y.to_vector();
  int64_t zeros = 0;
  for (size_t i = 0; i < xv.size(); ++i) {
    if (yv[i] == 0) {
      ++zeros;
    } else {
      ASSERT_NEAR(yv[i], xv[i] / (1 - p), 1e-5) << i;
    }
  }
  EXPECT_NEAR(static_cast<double>(zeros) / xv.size(), p, 0.02);
}

TEST(DropoutTest, BackwardUsesTheForwardMask) {
  Dropout d;
  const Tensor x = nonzero_input({20, 30}, 4);
  const Tensor y = d.forward(x).clone();
  const Tensor gy = Tensor::ones({20, 30});
  const Tensor gx = d.backward(x, gy).clone();
  // grad = mask / (1 - p) = y / x elementwise.
  EXPECT_LT(max_abs_diff(gx, div(y, x)), 1e-5);
  EXPECT_LT(max_abs_diff(gx, d.mask()), 0.0 + 1e-12);
  EXPECT_GT(sum_all(gx), 0.0);
}

TEST(DropoutTest, MaskIsReproducibleWithManualSeed) {
  Dropout d;
  const Tensor x = nonzero_input({10, 10}, 5);
  manual_seed(42);
  const Tensor a = d.forward(x).clone();
  const Tensor b = d.forward(x).clone();
  manual_seed(42);
  const Tensor c = d.forward(x).clone();
  EXPECT_EQ(max_abs_diff(a, c), 0.0);
  EXPECT_GT(max_abs_diff(a, b), 0.0);  // a fresh mask on every forward
}

TEST(DropoutTest, GradientCheckWithPZero) {
  Dropout d(DropoutOptions{.p = 0.0});
  EXPECT_TRUE(check_module_gradients(d, random_tensor({3, 4}, 6)));
  const Tensor x = random_tensor({3, 4}, 7);
  EXPECT_EQ(max_abs_diff(d.forward(x), x), 0.0);
}

TEST(DropoutTest, PEqualOneGivesZeros) {
  Dropout d(DropoutOptions{.p = 1.0});
  const Tensor x = nonzero_input({4, 4}, 8);
  EXPECT_EQ(sum_all(abs(d.forward(x))), 0.0);
  EXPECT_EQ(sum_all(abs(d.backward(x, x))), 0.0);
}

TEST(DropoutTest, BadInputsRaise) {
  EXPECT_THROW_WITH(Dropout(DropoutOptions{.p = 1.5}), ValueError,
                    "[nn.Dropout] dropout probability must be in [0, 1]: expected 0 <= p <= 1, got p=1.5");
  EXPECT_THROW_WITH(Dropout(DropoutOptions{.p = -0.1}), ValueError, "got p=-0.1");
  Dropout d;
  EXPECT_THROW_WITH(d.forward(Tensor::zeros({2}, DType::UInt8)), TypeError,
                    "[nn.Dropout] unsupported input dtype: expected float32 or float64, got uint8");
  const Tensor x = nonzero_input({2, 3}, 9);
  d.forward(x);
  EXPECT_THROW_WITH(d.backward(x, Tensor::zeros({2, 2})), ShapeError, "grad_output shape mismatch");
  EXPECT_THROW_WITH(d.backward(nonzero_input({3, 3}, 10), Tensor::zeros({3, 3})), ValueError,
                    "backward needs the mask of forward for this input: expected shape [3, 3], got [2, 3]");
}

TEST(DropoutTest, ReprAndRegistry) {
  EXPECT_EQ(Dropout().repr(), "nn.Dropout(p=0.5)");
  ModulePtr m = Registry::global().create_module("nn.Dropout", {{"p", 0.25}});
  EXPECT_EQ(m->repr(), "nn.Dropout(p=0.25)");
}

}  // namespace
}  // namespace ember::nn
