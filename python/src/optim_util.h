#pragma once
/// Helpers shared by the optim and train bindings (defined in optim_util.cpp): Python objects ->
/// triggers, validation methods and data sets. The generic helpers (type names, options, state
/// dicts, paths) are in util.h.

#include <memory>
#include <string_view>
#include <vector>

#include "bindings.h"
#include "ember/data/dataset.h"
#include "ember/optim/trigger.h"
#include "ember/optim/validation.h"
#include "util.h"

namespace ember::python {

/// A Trigger from a Python object: an ember.optim.Trigger. TypeError otherwise.
optim::Trigger to_trigger(py::handle obj, std::string_view where, const char* what = "trigger");

/// Validation methods from a method, a name ("top1"; "loss" uses `criterion`), or a list/tuple of either.
std::vector<optim::ValidationMethodPtr> to_validation_methods(py::handle obj, std::string_view where,
                                                              nn::CriterionPtr criterion = nullptr);

/// A data set from a (features, labels) pair of arrays (zero-copy ArrayDataSet; labels may be None)
/// or an ember.data.DataSet. TypeError naming what is accepted otherwise.
std::shared_ptr<const data::DataSet> to_dataset(py::handle obj, std::string_view where, const char* what);

}  // namespace ember::python
