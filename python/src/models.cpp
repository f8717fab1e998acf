// Bindings for ember/models: the built-in models.
#include "bindings.h"
#include "ember/models/models.h"

namespace ember::python {

void bind_models(py::module_& m) {
  auto def_model = [&m](const char* name, nn::ModulePtr (*make)(const models::ModelOptions&), const char* doc) {
    m.def(
        name,
        [make](int64_t num_classes, int64_t in_channels) {
          return make(models::ModelOptions{.num_classes = num_classes, .in_channels = in_channels});
        },
        py::arg("num_classes") = 10, py::arg("in_channels") = 0, doc);
  };
  def_model("lenet5", &models::lenet5,
            "LeNet-5 (BigDL's model zoo). Input [N, 1, 28, 28], output log-probabilities [N, num_classes].");
  def_model("bigdl_cnn", &models::bigdl_cnn, "BigDL's example CNN for 28x28 images. Input [N, 1, 28, 28].");
  def_model("vgg16_cifar", &models::vgg16_cifar, "VGG-16 for CIFAR-10 (BigDL's VggForCifar10). Input [N, 3, 32, 32].");
  def_model("resnet20_cifar", &models::resnet20_cifar, "ResNet-20 with option-A shortcuts. Input [N, 3, 32, 32].");
  m.def(
      "make_model",
      [](const std::string& name, int64_t num_classes, int64_t in_channels) {
        return models::make_model(name, models::ModelOptions{.num_classes = num_classes, .in_channels = in_channels});
      },
      py::arg("name"), py::arg("num_classes") = 10, py::arg("in_channels") = 0, "A built-in model by name.");
  m.def("model_names", &models::model_names, "Names accepted by make_model.");
  m.def("model_input_shape", [](const std::string& n) { return models::model_input_shape(n); }, py::arg("name"),
        "The input shape of one sample, e.g. [1, 28, 28].");
}

}  // namespace ember::python
