// Bindings for ember/data (see bindings.h).
#include "bindings.h"

namespace ember::python {

void bind_data(py::module_& m) { (void)m; }

}  // namespace ember::python
