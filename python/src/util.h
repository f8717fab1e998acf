#pragma once
/// Helpers every binding file shares, each defined once in util.cpp: the type name and value kind of
/// a Python object, dtype / shape / path arguments, options (Python arguments <-> Config, class
/// docstrings) and state dicts (StateDict <-> dict).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.h"
#include "ember/core/error.h"
#include "ember/nn/options.h"
#include "ember/tensor/state_dict.h"

namespace ember::python {

// ---- Python values ------------------------------------------------------------------------------

/// The Python type name of `obj` for messages: "int", "numpy.ndarray", "ember._ember.Tensor"; "None"
/// for None.
std::string py_type_name(py::handle obj);

/// The __name__ of obj's class ("Linear", "MyDataSet"), as Python's own messages and reprs name it.
std::string py_class_name(py::handle obj);

/// Raises AttributeError "'T' object has no attribute 'name'" as Python does (T: the class's __name__).
[[noreturn]] void raise_no_attribute(py::handle self, const std::string& name);

/// A Python bool or a NumPy bool scalar (numpy.bool_; numpy.bool in NumPy 2).
bool is_bool(py::handle v);
/// An integer (int, NumPy integer scalar: anything with __index__), not a bool or an array.
bool is_int(py::handle v);
/// A real number (int, float, NumPy scalar, anything with __float__), not a bool, str, array or Tensor.
bool is_number(py::handle v);

/// numpy.<name>, e.g. numpy_attr("dtype")(obj).
py::object numpy_attr(const char* name);

/// Keeps a Python object referenced from C++ code (a callback in a trigger, transformer or data set)
/// that may drop it without the GIL: the last owner takes the GIL to release it (after interpreter
/// shutdown the object is leaked).
std::shared_ptr<py::object> hold(py::object obj);

/// Runs f() with the GIL released (long-running C++ work: forward, training, file I/O) and returns
/// what it returns, references included. Python objects must not be touched inside f.
template <class F>
decltype(auto) nogil(F&& f) {
  py::gil_scoped_release release;
  return f();
}

// ---- arguments ----------------------------------------------------------------------------------

/// `*p` for a non-null object argument; TypeError "[where] what: expected <type>, got None" otherwise
/// (pybind11 turns a Python None into a null shared_ptr).
template <class P>
auto& require(const P& p, std::string_view where, std::string_view what, std::string_view type) {
  if (!p) throw TypeError(detail::str_cat("[", where, "] ", what, ": expected ", type, ", got None"));
  return *p;
}

/// A dtype argument: an ember.DType, a name ("float32", "bfloat16", "np.float64"; "float" is
/// float32), a NumPy dtype or anything np.dtype() accepts (np.float64, float; bool -> uint8). None
/// gives `fallback`, or a TypeError without one. TypeError naming `what` for anything else.
DType dtype_arg(py::handle obj, std::optional<DType> fallback = std::nullopt, const char* what = "dtype");

/// A shape from Python: an int, or a sequence of ints.
Shape shape_arg(py::handle obj, const char* what = "shape");
/// A shape from `*size` arguments: `f(2, 3)` or `f((2, 3))` / `f([2, 3])`.
Shape shape_from_args(const py::args& args, const char* what = "size");

/// Whether `obj` names a file: a str or an os.PathLike (bytes are data, not paths, here).
bool is_path_like(py::handle obj);
/// A path argument: str, bytes or os.PathLike. TypeError "[where] what: expected ..., got T" otherwise.
std::string path_arg(py::handle obj, std::string_view where, const char* what = "path");

// ---- options ------------------------------------------------------------------------------------

/// One field of an options struct as Python sees it.
struct OptionSpec {
  enum Kind { Bool, Int, Float, Str, IntList, FloatList, IntArray };
  std::string name;
  Kind kind;
  size_t n = 0;  // IntArray: the N of ExpandingArray<N>
  nn::ConfigValue default_value;
};

namespace detail_util {
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
}  // namespace detail_util

/// The fields of `Options` in visit order, with the defaults of a default-constructed struct
/// (computed once per options struct).
template <class Options>
const std::vector<OptionSpec>& option_specs() {
  static const std::vector<OptionSpec> specs = [] {
    std::vector<OptionSpec> out;
    Options o{};
    o.visit(detail_util::SpecVisitor{out});
    return out;
  }();
  return specs;
}

/// The specs of a Config of defaults (for objects made by name, whose options struct is not known
/// here): kinds from the values' types, in the Config's order.
std::vector<OptionSpec> option_specs_from_config(const nn::Config& defaults);

/// Positional and keyword arguments -> Config, in the specs' order. `cls` names the callable in
/// errors ("Linear", "SGD"). None keeps the default. An int is accepted for a float option, a float
/// is refused for an int option. TypeError for an unknown keyword, too many positional arguments, a
/// value given twice or a value of the wrong kind.
nn::Config config_from_args(std::string_view cls, const std::vector<OptionSpec>& specs, const py::args& args,
                            const py::kwargs& kwargs);
/// One option value as a Python object (bool, int, float, str, list).
py::object config_value_to_py(const nn::ConfigValue& v);
/// A Config as a Python dict (bools, ints, floats, strings, lists).
py::dict config_to_dict(const nn::Config& c);
/// "Linear(in_features=0, out_features=0, bias=True)\n\n<doc>\n\nOptions: ..." for a class docstring.
std::string make_class_doc(std::string_view cls, const std::vector<OptionSpec>& specs, std::string_view doc);

/// Binds `T` (an Ember class with an options struct `T::Options`) as the Python class `name` derived
/// from `Base`: the docstring lists the options with their defaults (make_class_doc) and the
/// constructor takes them positionally or by keyword (config_from_args), e.g. nn.Conv2d(1, 6,
/// kernel_size=5), optim.SGD(learning_rate=0.1). `name` must be a string literal.
template <class T, class Base>
py::classh<T, Base> bind_options_class(py::module_& m, const char* name, const char* doc) {
  using Options = typename T::Options;
  py::classh<T, Base> cls(m, name, make_class_doc(name, option_specs<Options>(), doc).c_str());
  cls.def(py::init([name](const py::args& args, const py::kwargs& kwargs) {
    return std::make_shared<T>(nn::from_config<Options>(config_from_args(name, option_specs<Options>(), args, kwargs)));
  }));
  return cls;
}

// ---- state dicts --------------------------------------------------------------------------------

/// StateDict -> {key: ndarray | int | float | str} (insertion order kept; arrays are copies).
py::dict state_to_dict(const StateDict& state);
/// {key: array | ember.Tensor | bool | int | float | str} -> StateDict (tensors copied). TypeError
/// "[where] ..." for something other than a dict, a key that is not a str, or any other value.
StateDict state_from_dict(py::handle dict, std::string_view where);

}  // namespace ember::python
