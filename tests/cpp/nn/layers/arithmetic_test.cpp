// Add, Mul, AddConstant, MulConstant, CAdd, CMul (BigDL arithmetic layers).
#include <gtest/gtest.h>

#include <cmath>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/all.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::load_fixture;
using test::random_tensor;

// Loads the fixture, copies its parameter `pname` (if any) into `param`, and compares everything.
void expect_matches_fixture(TensorModule& m, const std::string& name, Tensor* param = nullptr, Tensor* grad = nullptr,
                            const std::string& pname = "") {
  const auto f = load_fixture("nn/" + name);
  m.to(DType::Float64);
  if (param) param->copy_(f.get(pname));
  m.zero_grad_parameters();
  EXPECT_LT(max_abs_diff(m.forward(f.get("input")), f.get("output")), 1e-12) << name;
  EXPECT_LT(max_abs_diff(m.backward(f.get("input"), f.get("grad_output")), f.get("grad_input")), 1e-12) << name;
  if (grad) {
    EXPECT_LT(max_abs_diff(*grad, f.get("grad_" + pname)), 1e-12) << name;
  }
}

TEST(ArithmeticTest, ForwardBackwardMatchPyTorch) {
  Add add(AddOptions{.input_size = 5});
  expect_matches_fixture(add, "add", &add.bias(), &add.grad_bias(), "bias");
  Mul mul;
  expect_matches_fixture(mul, "mul", &mul.weight(), &mul.grad_weight(), "weight");
  AddConstant add_c(AddConstantOptions{.constant_scalar = 1.5});
  expect_matches_fixture(add_c, "add_constant");
  MulConstant mul_c(MulConstantOptions{.scalar = -0.75});
  expect_matches_fixture(mul_c, "mul_constant");
  CAdd cadd(CAddOptions{.size = {3, 1, 1}});
  expect_matches_fixture(cadd, "c_add", &cadd.bias(), &cadd.grad_bias(), "bias");
  CMul cmul(CMulOptions{.size = {3, 1}});
  expect_matches_fixture(cmul, "c_mul", &cmul.weight(), &cmul.grad_weight(), "weight");
}

TEST(ArithmeticTest, GradientsMatchFiniteDifferences) {
  std::vector<std::pair<ModulePtr, Shape>> cases = {
      {std::make_shared<Add>(AddOptions{.input_size = 6}), {4, 6}},
      {std::make_shared<Add>(AddOptions{.input_size = 6}), {3, 2, 3}},  // 6 elements per sample
      {std::make_shared<Add>(AddOptions{.input_size = 6}), {6}},
      {std::make_shared<Mul>(), {3, 4}},
      {std::make_shared<AddConstant>(AddConstantOptions{.constant_scalar = 2}), {3, 4}},
      {std::make_shared<MulConstant>(MulConstantOptions{.scalar = -3}), {3, 4}},
      {std::make_shared<CAdd>(CAddOptions{.size = {3, 1, 1}}), {2, 3, 2, 2}},
      {std::make_shared<CAdd>(CAddOptions{.size = {1, 4}}), {3, 4}},
      {std::make_shared<CMul>(CMulOptions{.size = {3, 1}}), {2, 3, 4}},
      {std::make_shared<CMul>(CMulOptions{.size = {2, 3, 4}}), {2, 3, 4}},
  };
  uint64_t seed = 1;
  for (auto& [m, shape] : cases) {
    m->to(DType::Float64);
    EXPECT_TRUE(check_module_gradients(*m, random_tensor(shape, seed++))) << m->repr() << " input " << shape;
  }
}

TEST(ArithmeticTest, ParameterGradientsReduceOverBroadcastDimsAndAccumulate) {
  CMul cmul(CMulOptions{.size = {3, 1}});
  cmul.weight().fill_(2.0);
  const Tensor x = Tensor::ones({2, 3, 4});
  const Tensor gy = Tensor::full({2, 3, 4}, 0.5);
  cmul.zero_grad_parameters();
  cmul.forward(x);
  cmul.backward(x, gy);
  // 2 * 4 broadcast elements of 1 * 0.5 per weight.
  EXPECT_EQ(cmul.grad_weight().to_vector(), std::vector<double>(3, 4.0));
  EXPECT_EQ(cmul.grad_input_tensor().to_vector(), std::vector<double>(24, 1.0));
  cmul.backward(x, gy);
  EXPECT_EQ(cmul.grad_weight().to_vector(), std::vector<double>(3, 8.0));
  CAdd cadd(CAddOptions{.size = {4}});
  cadd.zero_grad_parameters();
  cadd.forward(x);
  cadd.backward(x, gy.transpose(0, 1).contiguous().transpose(0, 1));  // strided grad_output
  EXPECT_EQ(cadd.grad_bias().to_vector(), std::vector<double>(4, 3.0));
}

TEST(ArithmeticTest, DefaultInitFollowsBigDL) {
  Mul mul;
  EXPECT_LE(std::abs(mul.weight().item()), 1.0);
  CMul cmul(CMulOptions{.size = {100}});
  EXPECT_LE(max(abs(cmul.weight())).item(), 0.1);
  EXPECT_GT(max(abs(cmul.weight())).item(), 0.05);
  Add add(AddOptions{.input_size = 4});
  add.set_init_method(nullptr, std::make_shared<Const>(0.5));
  EXPECT_EQ(add.bias().to_vector(), std::vector<double>(4, 0.5));
}

TEST(ArithmeticTest, BadInputsRaise) {
  Add add(AddOptions{.input_size = 5});
  EXPECT_THROW_WITH(add.forward(Tensor::zeros({4, 6})), ShapeError,
                    "[nn.Add] input size mismatch: expected [input_size] or [N, ...] with input_size=5 elements per "
                    "sample, got input of shape [4, 6]");
  EXPECT_THROW_WITH(add.forward(Tensor::zeros({4})), ShapeError, "got input of shape [4]");
  EXPECT_THROW_WITH(add.forward(Tensor::zeros({2, 5}, DType::Float64)), TypeError,
                    "input dtype float64 does not match bias dtype float32");
  CMul cmul(CMulOptions{.size = {3, 1}});
  EXPECT_THROW_WITH(cmul.forward(Tensor::zeros({2, 4, 5})), ShapeError,
                    "[nn.CMul] input shape mismatch: expected a shape to which weight of shape [3, 1] broadcasts, got "
                    "input of shape [2, 4, 5]");
  EXPECT_THROW_WITH(cmul.forward(Tensor::zeros({3})), ShapeError, "got input of shape [3]");
  CAdd cadd(CAddOptions{.size = {2}});
  EXPECT_THROW_WITH(cadd.forward(Tensor::zeros({2}, DType::Int64)), TypeError, "[nn.CAdd] unsupported input dtype");
  cadd.forward(Tensor::zeros({3, 2}));
  EXPECT_THROW_WITH(cadd.backward(Tensor::zeros({3, 2}), Tensor::zeros({2, 3})), ShapeError,
                    "grad_output shape mismatch: expected [3, 2] (the input shape), got [2, 3]");
  MulConstant mc;
  EXPECT_THROW_WITH(mc.backward(Tensor::zeros({2}), Tensor::zeros({2}, DType::Float64)), TypeError,
                    "[nn.MulConstant] grad_output dtype float64 does not match input dtype float32");
}

TEST(ArithmeticTest, InvalidOptionsAreRejected) {
  EXPECT_THROW_WITH(Add(AddOptions{.input_size = 0}), ValueError, "[nn.Add] input_size must be positive, got 0");
  EXPECT_THROW_WITH(CAdd(CAddOptions{.size = {}}), ValueError, "[nn.CAdd] size must have at least one dimension, got []");
  EXPECT_THROW_WITH(CMul(CMulOptions{.size = {3, 0}}), ValueError,
                    "[nn.CMul] size must be positive in every dimension, got [3, 0]");
  EXPECT_THROW_WITH(AddConstant(AddConstantOptions{.constant_scalar = NAN}), ValueError,
                    "[nn.AddConstant] constant_scalar must be finite, got nan");
  EXPECT_THROW_WITH(MulConstant(MulConstantOptions{.scalar = INFINITY}), ValueError,
                    "[nn.MulConstant] scalar must be finite, got inf");
}

TEST(ArithmeticTest, ReprAndRegistry) {
  EXPECT_EQ(CMul(CMulOptions{.size = {3, 1, 1}}).repr(), "nn.CMul(size=[3, 1, 1])");
  EXPECT_EQ(AddConstant(AddConstantOptions{.constant_scalar = 2}).repr(), "nn.AddConstant(constant_scalar=2, inplace=false)");
  for (const std::string type : {"nn.Add", "nn.Mul", "nn.AddConstant", "nn.MulConstant", "nn.CAdd", "nn.CMul"}) {
    Config c;
    if (type == "nn.Add") c = {{"input_size", int64_t{3}}};
    if (type == "nn.CAdd" || type == "nn.CMul") c = {{"size", std::vector<int64_t>{3}}};
    ModulePtr m = Registry::global().create_module(type, c);
    EXPECT_EQ(m->type_name(), type);
    EXPECT_EQ(m->config(), c.empty() ? m->config() : c) << type;
  }
}

TEST(ArithmeticTest, ZeroDimInputToMul) {
  Mul mul;
  mul.weight().fill_(3.0);
  const Tensor x = Tensor::scalar(2.0);
  EXPECT_EQ(mul.forward(x).item(), 6.0);
  EXPECT_EQ(mul.forward(x).dim(), 0);
}

}  // namespace
}  // namespace ember::nn
