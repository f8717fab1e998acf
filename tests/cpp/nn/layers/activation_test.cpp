// ReLU, ReLU6, LeakyReLU, ELU, Tanh, Sigmoid, HardTanh, SoftPlus, SoftSign: one table of cases run
// through the same checks (PyTorch fixture, finite differences, oneDNN vs reference).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/all.h"
#include "ember/nn/registry.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

struct ActCase {
  std::string fixture;  // tests/fixtures/nn/act_<fixture>.txt (tools/fixtures/gen_act.py)
  std::function<std::shared_ptr<Activation>()> make;
};

// gtest prints the case by name (test names and ctest listings stay readable).
void PrintTo(const ActCase& c, std::ostream* os) { *os << c.fixture; }

template <class T, class... O>
std::function<std::shared_ptr<Activation>()> maker(O... o) {
  return [=] { return std::make_shared<T>(o...); };
}

std::vector<ActCase> cases() {
  return {
      {"relu", maker<ReLU>()},
      {"relu6", maker<ReLU6>()},
      {"leaky_relu", maker<LeakyReLU>()},
      {"leaky_relu_02", maker<LeakyReLU>(LeakyReLUOptions{.negative_slope = 0.2})},
      {"elu", maker<ELU>()},
      {"elu_05", maker<ELU>(ELUOptions{.alpha = 0.5})},
      {"tanh", maker<Tanh>()},
      {"sigmoid", maker<Sigmoid>()},
      {"hard_tanh", maker<HardTanh>()},
      {"hard_tanh_m2_3", maker<HardTanh>(HardTanhOptions{.min_val = -2.0, .max_val = 3.0})},
      {"soft_plus", maker<SoftPlus>()},
      {"soft_plus_b2_t1", maker<SoftPlus>(SoftPlusOptions{.beta = 2.0, .threshold = 1.0})},
      {"soft_sign", maker<SoftSign>()},
  };
}

class ActivationTest : public ::testing::TestWithParam<ActCase> {};

TEST_P(ActivationTest, ForwardBackwardMatchPyTorch) {
  const auto f = load_fixture("nn/act_" + GetParam().fixture);
  auto m = GetParam().make();
  EXPECT_LT(max_abs_diff(m->forward(f.get("input")), f.get("output")), 1e-12);
  EXPECT_LT(max_abs_diff(m->backward(f.get("input"), f.get("grad_output")), f.get("grad_input")), 1e-12);
}

TEST_P(ActivationTest, GradientsMatchFiniteDifferences) {
  auto m = GetParam().make();
  EXPECT_TRUE(check_module_gradients(*m, random_tensor({3, 4, 5}, 11, -4, 4)));
  // A strided (transposed) input goes through the same kernels.
  EXPECT_TRUE(check_module_gradients(*m, random_tensor({4, 3}, 12, -4, 4).t()));
}

TEST_P(ActivationTest, OneDnnMatchesReference) {
  auto m = GetParam().make();
  for (const Shape& shape : {Shape{7}, Shape{3, 5, 11}, Shape{2, 3, 17, 19}}) {
    const Tensor x = random_tensor(shape, 21, -5, 5, DType::Float32);
    const Tensor gy = random_tensor(shape, 22, -1, 1, DType::Float32);
    Tensor y_ref, gx_ref;
    {
      kernels::ScopedBackend ref(kernels::Backend::Reference);
      y_ref = m->forward(x).clone();
      gx_ref = m->backward(x, gy).clone();
    }
    EXPECT_LT(max_abs_diff(m->forward(x), y_ref), 2e-6) << shape;
    EXPECT_LT(max_abs_diff(m->backward(x, gy), gx_ref), 2e-6) << shape;
  }
}

TEST_P(ActivationTest, KeepsShapeAndDtypeAndReusesBuffers) {
  auto m = GetParam().make();
  const Tensor x = random_tensor({2, 3, 4}, 31, -2, 2, DType::Float32);
  const Tensor& y = m->forward(x);
  EXPECT_EQ(y.shape(), x.shape());
  EXPECT_EQ(y.dtype(), DType::Float32);
  const void* first = y.raw_data();
  EXPECT_EQ(m->forward(x).raw_data(), first);  // same buffer on the next call
  EXPECT_EQ(m->forward(Tensor::zeros({0, 3})).numel(), 0);
}

TEST_P(ActivationTest, BadInputsRaise) {
  auto m = GetParam().make();
  const std::string where = "[" + std::string(m->type_name()) + "]";
  EXPECT_THROW_WITH(m->forward(Tensor::zeros({2, 3}, DType::Int32)), TypeError,
                    where + " unsupported input dtype: expected float32 or float64, got int32");
  const Tensor x = random_tensor({2, 3}, 41);
  m->forward(x);
  EXPECT_THROW_WITH(m->backward(x, Tensor::zeros({3, 2}, DType::Float64)), ShapeError,
                    "grad_output shape mismatch: expected [2, 3] (the input shape), got [3, 2]");
  EXPECT_THROW_WITH(m->backward(x, Tensor::zeros({2, 3})), TypeError,
                    "grad_output dtype float32 does not match input dtype float64");
}

TEST_P(ActivationTest, RegistryRebuildsFromConfig) {
  auto m = GetParam().make();
  ModulePtr copy = Registry::global().create_module(std::string(m->type_name()), m->config());
  EXPECT_EQ(copy->repr(), m->repr());
  auto* act = dynamic_cast<Activation*>(copy.get());
  ASSERT_NE(act, nullptr);
  EXPECT_EQ(act->eltwise_params().alpha, m->eltwise_params().alpha);
  EXPECT_EQ(act->eltwise_params().beta, m->eltwise_params().beta);
}

INSTANTIATE_TEST_SUITE_P(All, ActivationTest, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.fixture; });

TEST(ActivationTest, BackwardFromOutputNeedsForward) {
  Tanh tanh_layer;
  const Tensor x = random_tensor({2, 3}, 51);
  EXPECT_THROW_WITH(tanh_layer.backward(x, x), ValueError,
                    "[nn.Tanh] backward needs the output of forward for this input: expected shape [2, 3], got none");
  tanh_layer.forward(random_tensor({4}, 52));
  EXPECT_THROW_WITH(tanh_layer.backward(x, x), ValueError, "expected shape [2, 3], got [4]");
  // Layers whose gradient reads the input need no forward.
  SoftSign soft_sign;
  EXPECT_NO_THROW(soft_sign.backward(x, x));
}

TEST(ActivationTest, BackwardReadsSavedOutputWhereTorchDoes) {
  EXPECT_TRUE(kernels::eltwise_backward_uses_output(ReLU().eltwise_params()));
  EXPECT_TRUE(kernels::eltwise_backward_uses_output(Tanh().eltwise_params()));
  EXPECT_TRUE(kernels::eltwise_backward_uses_output(Sigmoid().eltwise_params()));
  EXPECT_TRUE(kernels::eltwise_backward_uses_output(ELU().eltwise_params()));
  EXPECT_FALSE(kernels::eltwise_backward_uses_output(ELU(ELUOptions{.alpha = 0}).eltwise_params()));
  EXPECT_FALSE(kernels::eltwise_backward_uses_output(HardTanh().eltwise_params()));
  EXPECT_FALSE(kernels::eltwise_backward_uses_output(LeakyReLU().eltwise_params()));
}

TEST(ActivationTest, GradientIsZeroAtClampBoundsAsPyTorch) {
  // hardtanh_backward: grad where min_val < x < max_val only; relu: where x > 0.
  const Tensor x = Tensor::from_vector(std::vector<float>{-1.0f, 0.0f, 1.0f, 6.0f, 0.5f}, {5});
  const Tensor gy = Tensor::ones({5});
  for (bool ref : {false, true}) {
    kernels::ScopedBackend b(ref ? kernels::Backend::Reference : kernels::Backend::Auto);
    HardTanh ht;
    ht.forward(x);
    EXPECT_EQ(ht.backward(x, gy).to_vector(), (std::vector<double>{0, 1, 0, 0, 1})) << "reference=" << ref;
    ReLU6 r6;
    r6.forward(x);
    EXPECT_EQ(r6.backward(x, gy).to_vector(), (std::vector<double>{0, 0, 1, 0, 1})) << "reference=" << ref;
    ReLU relu;
    relu.forward(x);
    EXPECT_EQ(relu.backward(x, gy).to_vector(), (std::vector<double>{0, 0, 1, 1, 1})) << "reference=" << ref;
  }
}

TEST(ActivationTest, InvalidOptionsAreRejected) {
  EXPECT_THROW_WITH(LeakyReLU(LeakyReLUOptions{.negative_slope = NAN}), ValueError,
                    "[nn.LeakyReLU] negative_slope must be finite, got nan");
  EXPECT_THROW_WITH(ELU(ELUOptions{.alpha = INFINITY}), ValueError, "[nn.ELU] alpha must be finite, got inf");
  EXPECT_THROW_WITH(HardTanh(HardTanhOptions{.min_val = 1, .max_val = 1}), ValueError,
                    "[nn.HardTanh] max_val must be greater than min_val: expected max_val > 1, got max_val=1");
  EXPECT_THROW_WITH(SoftPlus(SoftPlusOptions{.beta = 0}), ValueError, "[nn.SoftPlus] beta must be positive, got 0");
  EXPECT_THROW_WITH(SoftPlus(SoftPlusOptions{.threshold = NAN}), ValueError,
                    "[nn.SoftPlus] threshold must be a number, got nan");
}

TEST(ActivationTest, ReprShowsOptions) {
  EXPECT_EQ(ReLU().repr(), "nn.ReLU()");
  EXPECT_EQ(HardTanh(HardTanhOptions{.min_val = -2, .max_val = 3}).repr(), "nn.HardTanh(min_val=-2, max_val=3)");
  EXPECT_EQ(SoftPlus().repr(), "nn.SoftPlus(beta=1, threshold=20)");
}

TEST(ActivationTest, SoftPlusUsesOneDnnOnlyWhereExact) {
  EXPECT_TRUE(kernels::onednn::eltwise_supported(SoftPlus().eltwise_params()) ||
              !kernels::use_onednn(DType::Float32));
  EXPECT_FALSE(kernels::onednn::eltwise_supported(SoftPlus(SoftPlusOptions{.beta = 2}).eltwise_params()));
  EXPECT_FALSE(kernels::onednn::eltwise_supported(SoftSign().eltwise_params()));
}

}  // namespace
}  // namespace ember::nn
