#pragma once
// Helpers of the ember.nn binding files (nn.cpp, nn_layers.cpp, nn_custom.cpp): the option specs of
// the bound layers by type name (for create() and unpickling), and the trampolines for Python
// subclasses of Module and Criterion. The generic option and argument helpers are in util.h.
#include <memory>
#include <string>
#include <vector>

#include "bindings.h"
#include "ember/nn/criterion.h"
#include "ember/nn/module.h"
#include "util.h"

namespace ember::python {

// ---- options ------------------------------------------------------------------------------------
// (OptionSpec, option_specs, config_from_args, config_to_dict, make_class_doc: util.h)

/// Config from a dict of Python values: converted with the option specs of `type_name` when its
/// class is bound (see register_specs), else with kinds guessed from the values.
nn::Config config_from_dict(const std::string& type_name, const py::dict& d);
/// Records the option specs of a bound type ("nn.Linear") for config_from_dict.
void register_specs(const std::string& type_name, const char* cls, const std::vector<OptionSpec>* specs);

// ---- Python subclasses -------------------------------------------------------------------------

/// Storage of one parameter or buffer registered by a Python module: the module's parameter list
/// points at these tensors, so they stay current when get_parameters() or to() replaces them.
struct ParamSlot {
  std::string name;
  Tensor value, grad;  // grad undefined for buffers
  bool is_buffer = false;
};

/// Handle to a Python module's parameter (ember.nn.Parameter): `.value` and `.grad` are NumPy
/// views of the current tensors. It does not keep the module alive.
struct ParameterRef {
  std::weak_ptr<ParamSlot> slot;
  std::shared_ptr<ParamSlot> lock() const;
};

/// Trampoline of ember.nn.Module: the virtual methods call the Python subclass's overrides with
/// the GIL held.
class PyModule : public nn::Module, public py::trampoline_self_life_support {
 public:
  std::string_view type_name() const override;
  const nn::Activity& update_output(const nn::Activity& input) override;
  const nn::Activity& update_grad_input(const nn::Activity& input, const nn::Activity& grad_output) override;
  void acc_grad_parameters(const nn::Activity& input, const nn::Activity& grad_output) override;
  std::string extra_repr() const override;
  void reset_parameters() override;

  /// Copies `value` into a new C++ tensor (float32/float64), with a zero gradient, and registers it.
  std::shared_ptr<ParamSlot> add_parameter(const std::string& name, py::handle value);
  std::shared_ptr<ParamSlot> add_buffer(const std::string& name, py::handle value);
  void add_child(const std::string& key, nn::ModulePtr child) { register_module(key, std::move(child)); }

 private:
  void check_new_name(const std::string& name) const;
  mutable std::string type_name_;
  std::vector<std::shared_ptr<ParamSlot>> slots_;
};

/// Trampoline of ember.nn.Criterion.
class PyCriterion : public nn::Criterion, public py::trampoline_self_life_support {
 public:
  std::string_view type_name() const override;
  double update_output(const nn::Activity& input, const nn::Activity& target) override;
  const nn::Activity& update_grad_input(const nn::Activity& input, const nn::Activity& target) override;
  std::string extra_repr() const override;

 private:
  mutable std::string type_name_;
};

/// An activity as Python overrides receive it: NumPy arrays (read-only views), lists, None.
py::object activity_to_python_arrays(const nn::Activity& a);

// ---- per-file binders --------------------------------------------------------------------------
void bind_nn_custom(py::module_& m);  // nn_custom.cpp: Parameter, register_* methods
void bind_nn_layers(py::module_& m);  // nn_layers.cpp: every registered layer and criterion

}  // namespace ember::python
