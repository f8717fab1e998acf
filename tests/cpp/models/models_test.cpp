#include "ember/models/models.h"

#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/tensor/ops.h"

namespace ember::models {
namespace {

// Parameter counts of the same models in PyTorch (bench/peers/bench_torch.py; VGG by formula).
TEST(ModelsTest, ParameterCountsMatchTheReference) {
  EXPECT_EQ(lenet5()->num_parameters(), 22278);
  EXPECT_EQ(resnet20_cifar()->num_parameters(), 269722);
  EXPECT_EQ(bigdl_cnn({.num_classes = 1})->num_parameters(), 3453121);
  EXPECT_EQ(vgg16_cifar()->num_parameters(), 14991946);
}

TEST(ModelsTest, ForwardGivesLogProbabilitiesOfTheRightShape) {
  for (const std::string& name : model_names()) {
    if (name == "vgg16-cifar" || name == "bigdl-cnn") continue;  // large: shapes checked via summary below
    auto model = make_model(name, {.num_classes = 7});
    std::vector<int64_t> in = model_input_shape(name);
    in.insert(in.begin(), 3);
    const Tensor x = test::random_tensor(Shape(in), 1).to(DType::Float32);
    const Tensor y = model->forward(x).tensor();
    ASSERT_EQ(y.shape(), Shape({3, 7})) << name;
    // log-softmax rows: exp sums to one
    const Tensor s = sum(exp(y), 1);
    for (double v : s.to_vector()) EXPECT_NEAR(v, 1.0, 1e-5) << name;
  }
}

TEST(ModelsTest, LargeModelsProduceClassScores) {
  EXPECT_NE(vgg16_cifar({.num_classes = 10})->summary({2, 3, 32, 32}).find("[2, 10]"), std::string::npos);
  EXPECT_NE(bigdl_cnn({.num_classes = 2})->summary({1, 3, 112, 112}).find("[1, 2]"), std::string::npos);
}

TEST(ModelsTest, ResNetShortcutPadsChannels) {
  auto model = resnet20_cifar();
  // Stage 2's first block: 16 -> 32 channels, stride 2, through the parameter-free shortcut.
  EXPECT_NE(model->repr().find("nn.Padding(dim=1, pad_before=8, pad_after=8"), std::string::npos) << model->repr();
}

TEST(ModelsTest, UnknownNameListsTheKnownOnes) {
  EXPECT_THROW_WITH(make_model("lenet"), ValueError,
                    "[models] unknown model 'lenet': expected one of lenet5, bigdl-cnn, vgg16-cifar, resnet20-cifar");
  EXPECT_THROW_WITH(lenet5({.num_classes = 0}), ValueError, "[models.lenet5] num_classes must be >= 1, got 0");
}

}  // namespace
}  // namespace ember::models
