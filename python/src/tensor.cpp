// Bindings for ember/tensor: Tensor (buffer protocol, NumPy interop), dtypes, ops.
#include "bindings.h"

namespace ember::python {

void bind_tensor(py::module_& m) {
  py::class_<Tensor>(m, "Tensor")
      .def("numpy", &to_numpy, "A NumPy array sharing this tensor's memory.")
      .def("__array__", [](const Tensor& t, py::object dtype, py::object) {
             py::array a = to_numpy(t);
             return dtype.is_none() ? a : a.attr("astype")(dtype).cast<py::array>();
           }, py::arg("dtype") = py::none(), py::arg("copy") = py::none());
  m.def("from_numpy", [](py::handle a) { return to_tensor(a, "array"); }, py::arg("array"),
        "A Tensor sharing the array's memory (no copy).");
}

}  // namespace ember::python
