// Bindings for ember/nn: Module, Criterion, layers, containers, criteria, init methods.
// (Skeleton: the base classes every other binding file refers to. The full surface is built here.)
#include "bindings.h"
#include "ember/nn/all.h"
#include "ember/nn/registry.h"

namespace ember::python {

namespace {

// Python keyword arguments -> Config (bool, int, float, str, lists of ints or floats).
nn::Config config_from_kwargs(const py::kwargs& kwargs) {
  nn::Config c;
  for (auto [k, v] : kwargs) {
    const std::string key = py::str(k);
    if (py::isinstance<py::bool_>(v)) c.emplace_back(key, v.cast<bool>());
    else if (py::isinstance<py::int_>(v)) c.emplace_back(key, v.cast<int64_t>());
    else if (py::isinstance<py::float_>(v)) c.emplace_back(key, v.cast<double>());
    else if (py::isinstance<py::str>(v)) c.emplace_back(key, v.cast<std::string>());
    else {
      bool all_int = true;
      for (py::handle x : v) all_int = all_int && py::isinstance<py::int_>(x);
      if (all_int) c.emplace_back(key, v.cast<std::vector<int64_t>>());
      else c.emplace_back(key, v.cast<std::vector<double>>());
    }
  }
  return c;
}

}  // namespace

void bind_nn(py::module_& m) {
  py::classh<nn::Module>(m, "Module")
      .def("forward",
           [](nn::Module& self, py::handle input) {
             nn::Activity in = to_activity(input, "input");
             const nn::Activity* out = nullptr;
             {
               py::gil_scoped_release release;
               out = &self.forward(in);
             }
             return from_activity(*out);
           },
           py::arg("input"))
      .def("__call__",
           [](nn::Module& self, py::handle input) {
             nn::Activity in = to_activity(input, "input");
             const nn::Activity* out = nullptr;
             {
               py::gil_scoped_release release;
               out = &self.forward(in);
             }
             return from_activity(*out);
           },
           py::arg("input"))
      .def("__repr__", &nn::Module::repr);
  py::classh<nn::Criterion>(m, "Criterion");
  m.def(
      "create",
      [](const std::string& type_name, const py::kwargs& kwargs) {
        return nn::Registry::global().create_module(type_name, config_from_kwargs(kwargs));
      },
      py::arg("type_name"), "A module of a registered type, e.g. create('nn.Linear', in_features=4, out_features=2).");
  m.def(
      "create_criterion",
      [](const std::string& type_name, const py::kwargs& kwargs) {
        return nn::Registry::global().create_criterion(type_name, config_from_kwargs(kwargs));
      },
      py::arg("type_name"), "A criterion of a registered type, e.g. create_criterion('nn.ClassNLLCriterion').");
}

}  // namespace ember::python
