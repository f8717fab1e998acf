#pragma once
/// Built-in models (BigDL's model zoo): LeNet-5 for MNIST, the CNN of BigDL's examples, VGG-16 and
/// ResNet-20 for CIFAR-10. Each returns an untrained Sequential in training mode.
///
///   auto model = ember::models::lenet5({.num_classes = 10});   // input [N, 1, 28, 28]

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ember/nn/module.h"

namespace ember::models {

struct ModelOptions {
  int64_t num_classes = 10;
  /// Channels of the input images (LeNet-5: 1; the CIFAR models: 3).
  int64_t in_channels = 0;  // 0: the model's usual value
};

/// LeNet-5 as in BigDL's model zoo: conv 6@5x5, tanh, maxpool 2, conv 12@5x5, tanh, maxpool 2,
/// Linear 192->100, tanh, Linear 100->classes, LogSoftMax. Input [N, 1, 28, 28].
nn::ModulePtr lenet5(const ModelOptions& options = {});

/// The CNN of BigDL's image-classification example (and its talk): 4 x (conv 3x3 pad 1, ReLU,
/// maxpool 2 ceil) with 32, 64, 128, 128 channels, Dropout 0.4, Linear ->512, ReLU, Linear
/// ->classes, LogSoftMax. Input [N, 3, 112, 112].
nn::ModulePtr bigdl_cnn(const ModelOptions& options = {});

/// VGG-16 for CIFAR-10 as in BigDL's VggForCifar10: 13 conv 3x3 + BatchNorm + ReLU (+ Dropout),
/// 5 max pools, then Dropout, Linear 512->512, BatchNorm, ReLU, Dropout, Linear 512->classes,
/// LogSoftMax. Input [N, 3, 32, 32].
nn::ModulePtr vgg16_cifar(const ModelOptions& options = {});

/// ResNet-20 for CIFAR-10 (He et al. 2015, option A shortcuts: subsample + zero-padded channels):
/// conv 16, 3 stages of 3 basic blocks (16, 32, 64 channels), global average pool, Linear
/// 64->classes, LogSoftMax. Input [N, 3, 32, 32].
nn::ModulePtr resnet20_cifar(const ModelOptions& options = {});

/// The model by name: "lenet5", "bigdl-cnn", "vgg16-cifar", "resnet20-cifar" (ValueError listing
/// the names otherwise).
nn::ModulePtr make_model(std::string_view name, const ModelOptions& options = {});
/// The names make_model knows.
std::vector<std::string> model_names();
/// The input shape of one sample: {C, H, W}.
std::vector<int64_t> model_input_shape(std::string_view name);

}  // namespace ember::models
