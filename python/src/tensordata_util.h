#pragma once
/// Helpers shared by the tensor and data bindings (tensor.cpp, data.cpp): dtype and shape
/// arguments, file paths, and the StateDict <-> dict conversion of the data loader.

#include <cstdint>
#include <string>
#include <vector>

#include "bindings.h"
#include "ember/tensor/state_dict.h"

namespace ember::python {

/// A dtype argument: an ember.DType, a name ("float32", "bfloat16"), a NumPy dtype or anything
/// np.dtype() accepts (np.float64, float). `fallback` when obj is None.
DType dtype_arg(py::handle obj, DType fallback, const char* what = "dtype");

/// A shape from Python: an int, or a sequence of ints.
Shape shape_arg(py::handle obj, const char* what = "shape");
/// A shape from `*size` arguments: `f(2, 3)` or `f((2, 3))` / `f([2, 3])`.
Shape shape_from_args(const py::args& args, const char* what = "size");

/// A path argument: str, bytes or os.PathLike (TypeError otherwise).
std::string path_arg(py::handle obj, const char* what = "path");

/// StateDict -> dict (Tensor values as ember.Tensor, ints, floats, strings), and back.
py::dict state_dict_to_py(const StateDict& s);
StateDict state_dict_from_py(const py::dict& d);

}  // namespace ember::python
