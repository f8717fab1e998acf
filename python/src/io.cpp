// Bindings for ember/io (see bindings.h).
#include "bindings.h"

namespace ember::python {

void bind_io(py::module_& m) { (void)m; }

}  // namespace ember::python
