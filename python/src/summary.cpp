// Bindings for ember/summary (see bindings.h).
#include "bindings.h"

namespace ember::python {

void bind_summary(py::module_& m) { (void)m; }

}  // namespace ember::python
