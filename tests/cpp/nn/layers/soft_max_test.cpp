// SoftMax and LogSoftMax.
#include <gtest/gtest.h>

#include <cmath>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/layers/log_soft_max.h"
#include "ember/nn/layers/soft_max.h"
#include "ember/nn/registry.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

std::shared_ptr<TensorModule> make(bool log, int64_t dim = -1) {
  if (log) return std::make_shared<LogSoftMax>(LogSoftMaxOptions{.dim = dim});
  return std::make_shared<SoftMax>(SoftMaxOptions{.dim = dim});
}

TEST(SoftMaxTest, ForwardBackwardMatchPyTorch) {
  for (bool log : {false, true}) {
    for (auto [dim, tag] : {std::pair<int64_t, const char*>{-1, "last"}, {1, "dim1"}}) {
      const auto f = load_fixture(std::string("nn/") + (log ? "log_soft_max_" : "soft_max_") + tag);
      auto m = make(log, dim);
      EXPECT_LT(max_abs_diff(m->forward(f.get("input")), f.get("output")), 1e-12) << f.path;
      EXPECT_LT(max_abs_diff(m->backward(f.get("input"), f.get("grad_output")), f.get("grad_input")), 1e-12)
          << f.path;
    }
  }
}

TEST(SoftMaxTest, GradientsMatchFiniteDifferences) {
  for (bool log : {false, true}) {
    for (int64_t dim : {-1, 0, 1}) {
      auto m = make(log, dim);
      EXPECT_TRUE(check_module_gradients(*m, random_tensor({3, 4, 5}, 7, -2, 2))) << log << " dim " << dim;
    }
    EXPECT_TRUE(check_module_gradients(*make(log), random_tensor({6}, 8, -2, 2)));
  }
}

TEST(SoftMaxTest, OneDnnMatchesReference) {
  for (bool log : {false, true}) {
    for (auto [shape, dim] : {std::pair<Shape, int64_t>{{7}, 0}, {{3, 11}, -1}, {{2, 5, 3, 7}, 1}, {{13, 3, 9}, 0}}) {
      auto m = make(log, dim);
      const Tensor x = random_tensor(shape, 9, -6, 6, DType::Float32);
      const Tensor gy = random_tensor(shape, 10, -1, 1, DType::Float32);
      Tensor y_ref, gx_ref;
      {
        kernels::ScopedBackend ref(kernels::Backend::Reference);
        y_ref = m->forward(x).clone();
        gx_ref = m->backward(x, gy).clone();
      }
      EXPECT_LT(max_abs_diff(m->forward(x), y_ref), 1e-5) << shape << " dim " << dim << " log " << log;
      EXPECT_LT(max_abs_diff(m->backward(x, gy), gx_ref), 1e-5) << shape << " dim " << dim << " log " << log;
    }
  }
}

TEST(SoftMaxTest, StableForLargeInputsAndSumsToOne) {
  const Tensor x = Tensor::from_vector(std::vector<float>{1000.f, 1001.f, 1002.f, -1000.f, 1000.f, 1000.f}, {2, 3});
  for (bool ref : {false, true}) {
    kernels::ScopedBackend b(ref ? kernels::Backend::Reference : kernels::Backend::Auto);
    SoftMax sm;
    const Tensor y = sm.forward(x).clone();
    EXPECT_NEAR(sum(y, 1).at({0}), 1.0, 1e-6);
    EXPECT_NEAR(y.at({1, 2}), 0.5, 1e-6);
    EXPECT_NEAR(y.at({0, 2}), 1.0 / (1.0 + std::exp(-1.0) + std::exp(-2.0)), 1e-6);
    LogSoftMax lsm;
    EXPECT_NEAR(lsm.forward(x).at({1, 0}), -2000.0 - std::log(2.0), 1e-2);
    EXPECT_TRUE(std::isfinite(sum_all(lsm.forward(x))));
  }
}

TEST(SoftMaxTest, BadInputsRaise) {
  SoftMax sm(SoftMaxOptions{.dim = 2});
  EXPECT_THROW_WITH(sm.forward(Tensor::zeros({3, 4})), IndexError,
                    "[nn.SoftMax] dim out of range: expected dim in [-2, 1], got dim=2 for input of shape [3, 4]");
  LogSoftMax lsm;
  EXPECT_THROW_WITH(lsm.forward(Tensor::scalar(1.0)), ShapeError,
                    "[nn.LogSoftMax] input has the wrong number of dimensions: expected at least 1-d, got shape []");
  EXPECT_THROW_WITH(lsm.forward(Tensor::zeros({2}, DType::Int64)), TypeError, "unsupported input dtype");
  const Tensor x = random_tensor({2, 3}, 11);
  EXPECT_THROW_WITH(lsm.backward(x, x), ValueError, "backward needs the output of forward");
  lsm.forward(x);
  EXPECT_THROW_WITH(lsm.backward(x, random_tensor({2, 4}, 12)), ShapeError,
                    "grad_output shape mismatch: expected [2, 3] (the input shape), got [2, 4]");
}

TEST(SoftMaxTest, ReprAndRegistry) {
  EXPECT_EQ(SoftMax().repr(), "nn.SoftMax(dim=-1)");
  ModulePtr m = Registry::global().create_module("nn.LogSoftMax", {{"dim", int64_t{1}}});
  EXPECT_EQ(m->repr(), "nn.LogSoftMax(dim=1)");
}

}  // namespace
}  // namespace ember::nn
