#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/nn/containers/sequential.h"
#include "ember/nn/layers/linear.h"
#include "optim_test_util.h"

namespace ember::optim {
namespace {

std::shared_ptr<nn::Linear> make_linear() {
  auto fc = std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 2, .out_features = 2});
  fc->to(DType::Float64);
  fc->weight().copy_(Tensor::from_vector(std::vector<double>{0.5, -2.0, 0.0, 1.5}, {2, 2}));
  fc->bias().copy_(Tensor::from_vector(std::vector<double>{-1.0, 3.0}, {2}));
  fc->zero_grad_parameters();
  return fc;
}

TEST(RegularizationTest, AddsL1SignAndL2WeightToTheGradient) {
  auto fc = make_linear();
  fc->set_regularizer("weight", {.l1 = 0.1, .l2 = 0.01});
  fc->grad_weight().fill_(1.0);
  apply_regularization(*fc);
  // 1 + 0.1 * sign(w) + 0.01 * w for w = 0.5, -2, 0, 1.5.
  const std::vector<double> expected = {1.105, 0.88, 1.0, 1.115};
  const auto got = fc->grad_weight().to_vector();
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-15) << i;
  EXPECT_EQ(max_abs_diff(fc->grad_bias(), Tensor::zeros({2}, DType::Float64)), 0.0);  // no bias regularizer
  EXPECT_NEAR(regularization_loss(*fc), 0.1 * 4.0 + 0.5 * 0.01 * (0.25 + 4 + 2.25), 1e-15);
}

TEST(RegularizationTest, WalksContainersFlatBuffersAndSkipsFrozenParameters) {
  auto fc1 = make_linear(), fc2 = make_linear();
  auto model = std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{fc1, fc2});
  auto [w, g] = model->get_parameters();  // parameters become views into one flat buffer
  fc1->set_regularizer("bias", {.l2 = 0.5});
  fc2->set_regularizer("weight", {.l1 = 1.0});
  EXPECT_EQ(fc2->regularizer("weight"), (nn::Regularizer{.l1 = 1.0}));
  apply_regularization(*model);
  EXPECT_EQ(fc1->grad_bias().to_vector(), (std::vector<double>{-0.5, 1.5}));
  EXPECT_EQ(fc2->grad_weight().to_vector(), (std::vector<double>{1, -1, 0, 1}));
  EXPECT_EQ(g.to_vector()[4], -0.5);  // the flat gradient sees it (fc1.bias follows fc1.weight)
  model->zero_grad_parameters();
  model->freeze({"1"});
  apply_regularization(*model);
  EXPECT_EQ(max_abs_diff(fc2->grad_weight(), Tensor::zeros({2, 2}, DType::Float64)), 0.0);
  EXPECT_EQ(fc1->grad_bias().to_vector(), (std::vector<double>{-0.5, 1.5}));
}

TEST(RegularizationTest, WorksInFloat32AndOnStridedGradients) {
  auto fc = std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 3, .out_features = 2});
  fc->weight().fill_(-2.0);
  fc->zero_grad_parameters();
  fc->set_regularizer("weight", {.l1 = 0.5, .l2 = 0.25});
  Tensor strided = Tensor::zeros({3, 2}).t();  // a non-contiguous gradient takes the op path
  fc->grad_weight() = strided;
  apply_regularization(*fc);
  EXPECT_EQ(max_abs_diff(strided, Tensor::full({2, 3}, -0.5 - 0.5)), 0.0);
}

TEST(RegularizationTest, ErrorsNameTheModuleAndItsParameters) {
  auto fc = make_linear();
  fc->set_name("fc1");
  EXPECT_THROW_WITH(fc->set_regularizer("wieght", {.l2 = 0.1}), ValueError,
                    "[nn.Linear 'fc1'.set_regularizer] no parameter named 'wieght': this module has parameters "
                    "'weight', 'bias'");
  EXPECT_THROW_WITH(fc->set_regularizer("weight", {.l1 = -0.1}), ValueError, "l1 and l2 must be >= 0, got l1=-0.1");
  auto model = std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{fc});
  EXPECT_THROW_WITH(model->set_regularizer("weight", {.l2 = 0.1}), ValueError,
                    "[nn.Sequential.set_regularizer] no parameter named 'weight': this module has no parameters");
  EXPECT_THROW_WITH(fc->regularizer("gamma"), ValueError, "no parameter named 'gamma'");
}

}  // namespace
}  // namespace ember::optim
