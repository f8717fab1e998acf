// Bindings for ember/models: the built-in models (BigDL's model zoo).
#include "bindings.h"
#include "ember/models/models.h"

namespace ember::python {

namespace {

constexpr const char* kOptionsDoc =
    "\n\nnum_classes: outputs of the last Linear (log-probabilities of that many classes).\n"
    "in_channels: channels of the input images; 0 keeps the model's usual value.\n"
    "Returns an untrained nn.Sequential in training mode.";

}  // namespace

void bind_models(py::module_& m) {
  auto def_model = [&m](const char* name, nn::ModulePtr (*make)(const models::ModelOptions&), const std::string& doc) {
    m.def(
        name,
        [make](int64_t num_classes, int64_t in_channels) {
          return make(models::ModelOptions{.num_classes = num_classes, .in_channels = in_channels});
        },
        py::arg("num_classes") = 10, py::arg("in_channels") = 0, (doc + kOptionsDoc).c_str());
  };
  def_model("lenet5", &models::lenet5,
            "LeNet-5 as in BigDL's model zoo: conv 6@5x5, tanh, maxpool 2, conv 12@5x5, tanh, maxpool 2, "
            "Linear 192->100, tanh, Linear 100->num_classes, LogSoftMax.\n"
            "Input float32 [N, 1, 28, 28] (MNIST), output [N, num_classes].\n\n"
            "Example: ``ember.models.lenet5()(np.zeros((2, 1, 28, 28), np.float32)).shape == (2, 10)``");
  def_model("bigdl_cnn", &models::bigdl_cnn,
            "The CNN of BigDL's image-classification example: 4 x (conv 3x3 pad 1, ReLU, maxpool 2 ceil) with 32, 64, "
            "128, 128 channels, Dropout 0.4, Linear ->512, ReLU, Linear ->num_classes, LogSoftMax.\n"
            "Input float32 [N, 3, 112, 112], output [N, num_classes].");
  def_model("vgg16_cifar", &models::vgg16_cifar,
            "VGG-16 for CIFAR-10 (BigDL's VggForCifar10): 13 conv 3x3 + BatchNorm + ReLU, 5 max pools, Dropout, "
            "Linear 512->512, BatchNorm, ReLU, Dropout, Linear 512->num_classes, LogSoftMax.\n"
            "Input float32 [N, 3, 32, 32], output [N, num_classes].");
  def_model("resnet20_cifar", &models::resnet20_cifar,
            "ResNet-20 for CIFAR-10 (He et al. 2015, option-A shortcuts): conv 16, 3 stages of 3 basic blocks "
            "(16, 32, 64 channels), global average pool, Linear 64->num_classes, LogSoftMax.\n"
            "Input float32 [N, 3, 32, 32], output [N, num_classes].");
  m.def(
      "make_model",
      [](const std::string& name, int64_t num_classes, int64_t in_channels) {
        return models::make_model(name, models::ModelOptions{.num_classes = num_classes, .in_channels = in_channels});
      },
      py::arg("name"), py::arg("num_classes") = 10, py::arg("in_channels") = 0,
      (std::string("A built-in model by name: 'lenet5', 'bigdl-cnn', 'vgg16-cifar' or 'resnet20-cifar' (see "
                   "model_names(); ValueError listing them for another name).") +
       kOptionsDoc)
          .c_str());
  m.def("model_names", &models::model_names, "The names make_model accepts, e.g. ['lenet5', 'bigdl-cnn', ...].");
  m.def("model_input_shape", [](const std::string& n) { return py::tuple(py::cast(models::model_input_shape(n))); },
        py::arg("name"), "The input shape of one sample (C, H, W), e.g. (1, 28, 28) for 'lenet5'.");
}

}  // namespace ember::python
