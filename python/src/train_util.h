#pragma once
// The Python-side Optimizer object, shared by the local Optimizer (train.cpp) and its distributed
// subclass (dist.cpp): the C++ trainer plus what Python reads back.
#include <cstdio>
#include <memory>
#include <optional>

#include "bindings.h"
#include "ember/nn/criterion.h"
#include "ember/optim/optim_method.h"
#include "ember/optim/trigger.h"
#include "ember/summary/summary.h"
#include "ember/train/optimizer.h"

namespace ember::python {

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// The Python-side Optimizer: the C++ Optimizer plus what Python reads back (the C++ class keeps no getters
// for its settings) and the Ctrl-C handling of optimize().
struct PyOptimizer {
  FilePtr log_file{nullptr, &std::fclose};  // a stream over a Python file object; declared first: outlives `opt`
  nn::ModulePtr model;
  nn::CriterionPtr criterion;  // for validation methods given by name ("loss")
  std::unique_ptr<train::Optimizer> opt;
  std::shared_ptr<optim::OptimMethod> method;
  std::optional<optim::Trigger> end_when;
  std::shared_ptr<summary::TrainSummary> train_summary;
  std::shared_ptr<summary::ValidationSummary> validation_summary;
  train::DataOptions data_options;
  train::LogOptions log_options;
  bool log_stream_set = false;  // set_log(stream=...) was called
  bool interrupted = false;

  PyOptimizer() = default;
  PyOptimizer(const PyOptimizer&) = delete;
  PyOptimizer& operator=(const PyOptimizer&) = delete;
  // The C++ Optimizer may still own a data loader (after an exception in optimize()) whose worker threads
  // wait for the GIL inside a Python transform: join them with the GIL released.
  ~PyOptimizer() {
    if (opt && Py_IsInitialized() && PyGILState_Check()) {
      py::gil_scoped_release release;
      opt.reset();
    }
  }
};

/// `self` (an ember.optim.Optimizer or a subclass) as the C++ object.
inline PyOptimizer& self_of(py::handle self) { return self.cast<PyOptimizer&>(); }

}  // namespace ember::python
