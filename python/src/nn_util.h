#pragma once
// Helpers shared by the ember.nn binding files (nn.cpp, nn_layers.cpp, nn_custom.cpp): option specs
// read from an options struct (names, order, defaults, value kinds), Python args/kwargs -> Config,
// generated docstrings, dtype arguments, and the trampolines for Python subclasses of Module and
// Criterion.
#include <memory>
#include <string>
#include <vector>

#include "bindings.h"
#include "ember/nn/criterion.h"
#include "ember/nn/module.h"

namespace ember::python {

// ---- options ------------------------------------------------------------------------------------

/// One field of an options struct as Python sees it.
struct OptionSpec {
  enum Kind { Bool, Int, Float, Str, IntList, FloatList, IntArray };
  std::string name;
  Kind kind;
  size_t n = 0;  // IntArray: the N of ExpandingArray<N>
  nn::ConfigValue default_value;
};

namespace detail_nn {
struct SpecVisitor {
  std::vector<OptionSpec>& out;
  void operator()(const char* n, bool x) { out.push_back({n, OptionSpec::Bool, 0, x}); }
  void operator()(const char* n, int64_t x) { out.push_back({n, OptionSpec::Int, 0, x}); }
  void operator()(const char* n, double x) { out.push_back({n, OptionSpec::Float, 0, x}); }
  void operator()(const char* n, const std::string& x) { out.push_back({n, OptionSpec::Str, 0, x}); }
  void operator()(const char* n, const std::vector<int64_t>& x) { out.push_back({n, OptionSpec::IntList, 0, x}); }
  void operator()(const char* n, const std::vector<double>& x) { out.push_back({n, OptionSpec::FloatList, 0, x}); }
  template <size_t N>
  void operator()(const char* n, const nn::ExpandingArray<N>& x) {
    out.push_back({n, OptionSpec::IntArray, N, std::vector<int64_t>(x.v.begin(), x.v.end())});
  }
};
}  // namespace detail_nn

/// The fields of `Options` in visit order, with the defaults of a default-constructed struct.
template <class Options>
std::vector<OptionSpec> option_specs() {
  std::vector<OptionSpec> out;
  Options o{};
  o.visit(detail_nn::SpecVisitor{out});
  return out;
}

/// Positional and keyword arguments -> Config, in the specs' order. `cls` names the class in errors
/// ("Linear"). None keeps the default. TypeError for an unknown keyword, too many positional
/// arguments, a value given twice or a value of the wrong kind.
nn::Config config_from_args(const char* cls, const std::vector<OptionSpec>& specs, const py::args& args,
                            const py::kwargs& kwargs);
/// A Config as a Python dict (bools, ints, floats, strings, lists).
py::dict config_to_dict(const nn::Config& c);
/// Config from a dict of Python values: converted with the option specs of `type_name` when its
/// class is bound (see register_specs), else with kinds guessed from the values.
nn::Config config_from_dict(const std::string& type_name, const py::dict& d);
/// Records the option specs of a bound type ("nn.Linear") for config_from_dict.
void register_specs(const std::string& type_name, const char* cls, const std::vector<OptionSpec>* specs);
/// "Linear(in_features=0, out_features=0, bias=True)\n\n<doc>\n\nOptions: ..." for a class docstring.
std::string make_class_doc(const char* cls, const std::vector<OptionSpec>& specs, const char* doc);

/// A dtype argument: ember dtype, NumPy dtype or type, or a name ("float32").
DType dtype_arg(py::handle obj, const char* what);

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
