#include <gtest/gtest.h>

#include <cmath>

#include "common/gradient_check.h"
#include "ember/nn/all.h"
#include "ember/nn/registry.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

TEST(ActivityTest, HoldsTensorOrTable) {
  Activity a(Tensor::zeros({2, 3}));
  EXPECT_TRUE(a.is_tensor());
  EXPECT_EQ(a.describe(), "Tensor[2, 3]");
  Activity t(Table{Tensor::zeros({2}), Table{Tensor::zeros({1}, DType::Float64)}});
  EXPECT_TRUE(t.is_table());
  EXPECT_EQ(t.describe(), "Table{Tensor[2], Table{Tensor[1]:float64}}");
  EXPECT_THROW_WITH(a.table(), TypeError, "expected a Table, got Tensor[2, 3]");
  EXPECT_THROW_WITH(t.tensor(), TypeError, "expected a Tensor, got Table{");
  EXPECT_THROW_WITH(t.table()[5], IndexError, "index 5 out of range for a table of 2 elements");
}

TEST(ModuleTest, TensorModuleRejectsTableInputWithModuleName) {
  Linear fc({.in_features = 2, .out_features = 2});
  EXPECT_THROW_WITH(fc.Module::forward(Activity(Table{Tensor::zeros({1, 2})})), TypeError,
                    "[nn.Linear] expected a Tensor, got Table{Tensor[1, 2]}");
}

TEST(ModuleTest, ToFloat64ConvertsParametersAndKeepsValues) {
  Linear fc({.in_features = 3, .out_features = 2});
  const Tensor w = fc.weight().clone();
  fc.to(DType::Float64);
  EXPECT_EQ(fc.weight().dtype(), DType::Float64);
  EXPECT_EQ(fc.grad_weight().dtype(), DType::Float64);
  EXPECT_LT(max_abs_diff(fc.weight().to(DType::Float32), w), 1e-7);
  EXPECT_THROW_WITH(fc.to(DType::Int32), TypeError, "modules compute in float32 or float64, got int32");
}

TEST(ModuleTest, GetParametersRejectsMixedDtypes) {
  auto a = std::make_shared<Linear>(LinearOptions{.in_features = 2, .out_features = 2});
  auto b = std::make_shared<Linear>(LinearOptions{.in_features = 2, .out_features = 2});
  b->to(DType::Float64);
  Sequential s({a, b});
  EXPECT_THROW_WITH(s.get_parameters(), TypeError, "all parameters must share a dtype");
}

TEST(ModuleTest, FindByPathAndFreezeParameterPath) {
  auto inner = std::make_shared<Sequential>(std::vector<ModulePtr>{
      std::make_shared<Linear>(LinearOptions{.in_features = 2, .out_features = 2})});
  inner->set_name("enc");
  Sequential s({inner});
  EXPECT_EQ(s.find("enc.0")->type_name(), "nn.Linear");
  EXPECT_EQ(s.find("enc.7"), nullptr);
  s.freeze({"enc.0.bias"});
  auto ps = s.named_parameters();
  EXPECT_FALSE(ps[0].frozen);
  EXPECT_TRUE(ps[1].frozen);
}

TEST(InitTest, MethodsFillAsDocumented) {
  Generator g(3);
  Tensor t = Tensor::empty({200, 300});
  Xavier().init(t, 300, 200, g);
  const double a = std::sqrt(6.0 / 500);
  EXPECT_LE(max(abs(t)).item(), a);
  EXPECT_GT(max(abs(t)).item(), 0.95 * a);
  MsraFiller(false).init(t, 300, 200, g);
  EXPECT_NEAR(std::sqrt(mean(square(t)).item()), std::sqrt(2.0 / 200), 2e-3);
  MsraFiller(true).init(t, 300, 200, g);
  EXPECT_NEAR(std::sqrt(mean(square(t)).item()), std::sqrt(2.0 / 250), 2e-3);
  RandomNormal(1.0, 0.5).init(t, 0, 0, g);
  EXPECT_NEAR(mean(t).item(), 1.0, 0.01);
  RandomUniform(2, 3).init(t, 0, 0, g);
  EXPECT_GE(min(t).item(), 2.0);
  Ones().init(t, 0, 0, g);
  EXPECT_EQ(sum_all(t), 60000.0);
  EXPECT_THROW_WITH(RandomUniform(3, 2), ValueError, "expected lower <= upper, got lower=3, upper=2");
}

TEST(InitTest, BilinearFillerMatchesCaffe) {
  Generator g(0);
  Tensor w = Tensor::empty({1, 1, 4, 4});
  BilinearFiller().init(w, 0, 0, g);
  // Caffe's bilinear kernel for k=4: f=2, c=0.75; rows/cols weights 0.25, 0.75, 0.75, 0.25.
  EXPECT_NEAR(w.at({0, 0, 0, 0}), 0.0625, 1e-7);
  EXPECT_NEAR(w.at({0, 0, 1, 2}), 0.5625, 1e-7);
  EXPECT_NEAR(w.at({0, 0, 3, 1}), 0.1875, 1e-7);
}

TEST(RegistryTest, CreatesModulesFromConfig) {
  Linear fc({.in_features = 7, .out_features = 3, .bias = false});
  ModulePtr m = Registry::global().create_module("nn.Linear", fc.config());
  EXPECT_EQ(m->repr(), fc.repr());
  EXPECT_THROW_WITH(Registry::global().create_module("nn.Nope"), ValueError, "unknown module type 'nn.Nope'");
  EXPECT_NE(Registry::global().create_criterion("nn.ClassNLLCriterion"), nullptr);
}

}  // namespace
}  // namespace ember::nn
