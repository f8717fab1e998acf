// Bindings for ember/optim (see bindings.h).
#include "bindings.h"

namespace ember::python {

void bind_optim(py::module_& m) { (void)m; }

}  // namespace ember::python
