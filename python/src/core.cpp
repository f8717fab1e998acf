// ember/core: exception types and the thread pool.
#include "bindings.h"
#include "ember/core/error.h"
#include "ember/core/parallel.h"

namespace ember::python {

void bind_core(py::module_& m) {
  // Ember's exceptions derive from the standard ones, which pybind11 maps to ValueError (invalid_argument),
  // IndexError (out_of_range) and RuntimeError. Ember's TypeError is an invalid_argument too, so the
  // types that need another Python class are translated here. FormatError and IOError get classes of
  // their own: ember.FormatError(ValueError) and ember.IOError(OSError).
  py::register_exception<FormatError>(m, "FormatError", PyExc_ValueError);
  py::register_exception<IOError>(m, "IOError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const TypeError& e) {
      py::set_error(PyExc_TypeError, e.what());
    } catch (const NotImplementedError& e) {
      py::set_error(PyExc_NotImplementedError, e.what());
    }
  });
  m.def("set_num_threads", &ember::set_num_threads, py::arg("n"),
        "Sets the size of Ember's thread pool (OpenMP, shared with oneDNN and OpenBLAS).");
  m.def("get_num_threads", &ember::num_threads, "The size of Ember's thread pool.");
}

}  // namespace ember::python
