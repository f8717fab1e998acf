#pragma once
/// Helpers shared by the optim, train, summary and io bindings: Python arguments -> options Config
/// (typed by the options' defaults), StateDict <-> dict, and Python objects -> triggers, validation
/// methods and data sets.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.h"
#include "ember/data/dataset.h"
#include "ember/nn/options.h"
#include "ember/optim/trigger.h"
#include "ember/optim/validation.h"
#include "ember/tensor/state_dict.h"

namespace ember::python {

/// The Python type name of `obj` ("int", "numpy.ndarray").
std::string py_type_name(py::handle obj);

/// Positional `args` (in the order of `defaults`) and keyword `kwargs` -> a Config whose values have
/// the types of `defaults` (an int given for a float option is accepted, a float for an int option
/// is not). TypeError "[where] ..." for an unknown keyword, a value of the wrong type, an option
/// given twice or too many positional arguments.
nn::Config config_from_args(std::string_view where, const py::args& args, const py::kwargs& kwargs,
                            const nn::Config& defaults);

/// A Config as a dict (for `config()` and reprs in Python).
py::dict config_to_dict(const nn::Config& config);

/// StateDict -> {key: ndarray | int | float | str} (insertion order kept; arrays are copies).
py::dict state_to_dict(const StateDict& state);
/// {key: array | ember.Tensor | int | float | str} -> StateDict (tensors copied). TypeError naming
/// the key for any other value.
StateDict state_from_dict(py::handle dict, std::string_view where);

/// A Trigger from a Python object: an ember.optim.Trigger. TypeError otherwise.
optim::Trigger to_trigger(py::handle obj, std::string_view where, const char* what = "trigger");

/// Validation methods from a method, a name ("top1"; "loss" uses `criterion`), or a list/tuple of either.
std::vector<optim::ValidationMethodPtr> to_validation_methods(py::handle obj, std::string_view where,
                                                              nn::CriterionPtr criterion = nullptr);

/// A data set from a (features, labels) pair of arrays (zero-copy ArrayDataSet; labels may be None)
/// or an ember.data.DataSet. TypeError naming what is accepted otherwise.
std::shared_ptr<const data::DataSet> to_dataset(py::handle obj, std::string_view where, const char* what);

}  // namespace ember::python
