// The extension module `ember._ember`: one submodule per floor, bound in floor order so that a
// floor's types exist before the floors above refer to them.
#include "bindings.h"

PYBIND11_MODULE(_ember, m, pybind11::mod_gil_not_used()) {
  namespace py = pybind11;
  using namespace ember::python;
  m.doc() = "Ember's C++ core. Import the `ember` package instead of this module.";
  bind_core(m);
  bind_tensor(m);
  py::module_ nn = m.def_submodule("nn", "Modules, containers, layers, criteria and init methods.");
  bind_nn(nn);
  py::module_ models = m.def_submodule("models", "Built-in models: LeNet-5, BigDL's CNN, VGG-16 and ResNet-20 for CIFAR.");
  bind_models(models);
  py::module_ data = m.def_submodule("data", "Samples, data sets, transformers, readers and image ops.");
  bind_data(data);
  py::module_ optim = m.def_submodule("optim", "Optim methods, schedules, triggers, validation methods, clipping.");
  bind_optim(optim);
  py::module_ summary = m.def_submodule("summary", "TensorBoard summaries.");
  bind_summary(summary);
  py::module_ io = m.def_submodule("io", "Model files, state files and checkpoints.");
  bind_io(io);
  py::module_ train = m.def_submodule("train", "The local Optimizer (training loop).");
  bind_train(train);
  py::module_ dist = m.def_submodule("dist", "The collective and the data-parallel trainer.");
  bind_dist(dist);
  bind_cli(m);
}
