// The family working together inside a Sequential, against finite differences.
#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/nn/all.h"

namespace ember::nn {
namespace {

TEST(ActivationSequentialTest, MixedStackGradientsMatchFiniteDifferences) {
  auto model = std::make_shared<Sequential>();
  model->add(std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 6}))
      .add(std::make_shared<PReLU>())
      .add(std::make_shared<CMul>(CMulOptions{.size = {6}}))
      .add(std::make_shared<Add>(AddOptions{.input_size = 6}))
      .add(std::make_shared<ELU>())
      .add(std::make_shared<Dropout>(DropoutOptions{.p = 0.0}))
      .add(std::make_shared<MulConstant>(MulConstantOptions{.scalar = 0.5}))
      .add(std::make_shared<Tanh>())
      .add(std::make_shared<LogSoftMax>());
  model->to(DType::Float64);
  EXPECT_TRUE(test::check_module_gradients(*model, test::random_tensor({3, 4}, 1)));
}

}  // namespace
}  // namespace ember::nn
