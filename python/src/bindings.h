#pragma once
/// Shared pieces of the Python bindings: one `bind_<floor>` per file (python/src/<floor>.cpp) and
/// the conversions between NumPy/Python objects and Ember's Tensor and Activity.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "ember/nn/activity.h"
#include "ember/tensor/tensor.h"

namespace ember::python {

namespace py = pybind11;

// One per floor, each in its own file; module.cpp calls them in floor order.
void bind_core(py::module_& m);     // core.cpp: exceptions, threads, version
void bind_tensor(py::module_& m);   // tensor.cpp: Tensor, dtypes, ops
void bind_nn(py::module_& m);       // nn.cpp: Module, layers, containers, criteria, init, Python subclasses
void bind_models(py::module_& m);   // models.cpp: built-in models
void bind_data(py::module_& m);     // data.cpp: Sample, DataSet, transformers, readers, image ops
void bind_optim(py::module_& m);    // optim.cpp: optim methods, schedules, triggers, validation, clipping
void bind_summary(py::module_& m);  // summary.cpp: TrainSummary, ValidationSummary, read_scalar
void bind_io(py::module_& m);       // io.cpp: model files, state files, checkpoints
void bind_train(py::module_& m);    // train.cpp: the local Optimizer
void bind_dist(py::module_& m);     // dist.cpp: Listener, Collective, DistributedOptimizer
void bind_cli(py::module_& m);      // cli.cpp: `python -m ember`

/// The Ember dtype of a NumPy dtype; TypeError naming `what` and listing the supported dtypes.
DType dtype_from_numpy(const py::dtype& dt, const char* what);
/// The NumPy dtype of an Ember dtype (bfloat16 has none: TypeError).
py::dtype numpy_dtype(DType dt);

/// A Tensor viewing `obj`'s memory without copying: an ember.Tensor is returned as is; a NumPy
/// array (or anything with the buffer protocol / __array__) of a supported dtype is wrapped with
/// its strides, keeping the array alive and read-only when it is. Arrays with negative or
/// non-element-multiple strides are copied once. Python scalars and lists are converted (copied).
/// `what` names the argument in errors ("input", "features").
Tensor to_tensor(py::handle obj, const char* what = "argument");
/// A NumPy array sharing the tensor's memory (keeps the storage alive; read-only when it is).
py::array to_numpy(const Tensor& t);

/// Python -> Activity: Tensor/array -> Tensor, list/tuple -> Table (nested), None -> empty.
nn::Activity to_activity(py::handle obj, const char* what = "input");
/// Activity -> Python: Tensor -> ember.Tensor (shares memory), Table -> list, empty -> None.
py::object from_activity(const nn::Activity& a);

}  // namespace ember::python
