// Bindings for ember/train (see bindings.h).
#include "bindings.h"

namespace ember::python {

void bind_train(py::module_& m) { (void)m; }

}  // namespace ember::python
