// The helpers every binding file shares (see util.h).
#include "util.h"

#include <cstring>
#include <sstream>
#include <type_traits>
#include <variant>

#include "ember/core/error.h"

namespace ember::python {

using ember::detail::str_cat;

// ---- Python values ------------------------------------------------------------------------------

std::string py_type_name(py::handle obj) {
  if (obj.is_none()) return "None";
  py::handle t = py::type::handle_of(obj);
  const std::string mod = py::hasattr(t, "__module__") ? py::str(t.attr("__module__")).cast<std::string>() : "";
  const std::string name = py::str(t.attr("__qualname__")).cast<std::string>();
  if (mod.empty() || mod == "builtins") return name;
  return mod + "." + name;
}

std::string py_class_name(py::handle obj) { return py::str(py::type::of(obj).attr("__name__")).cast<std::string>(); }

void raise_no_attribute(py::handle self, const std::string& name) {
  throw py::attribute_error(str_cat("'", py_class_name(self), "' object has no attribute '", name, "'"));
}

std::shared_ptr<py::object> hold(py::object obj) {
  return std::shared_ptr<py::object>(new py::object(std::move(obj)), [](py::object* p) {
    if (!Py_IsInitialized()) return;  // leaked after interpreter shutdown
    py::gil_scoped_acquire gil;
    delete p;
  });
}

py::object numpy_attr(const char* name) { return py::module_::import("numpy").attr(name); }

bool is_bool(py::handle v) {
  if (PyBool_Check(v.ptr())) return true;
  return py::isinstance(v, numpy_attr("bool_"));  // numpy.bool_ (NumPy 1), numpy.bool (NumPy 2)
}

bool is_int(py::handle v) { return !is_bool(v) && !py::isinstance<py::array>(v) && PyIndex_Check(v.ptr()); }

bool is_number(py::handle v) {
  if (is_bool(v) || PyUnicode_Check(v.ptr()) || py::isinstance<py::array>(v) || py::isinstance<Tensor>(v)) return false;
  return PyFloat_Check(v.ptr()) || PyIndex_Check(v.ptr()) || py::hasattr(v, "__float__");
}

namespace {

int64_t as_int(py::handle v) { return py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr())).cast<int64_t>(); }

double as_float(py::handle v) {
  const double d = PyFloat_AsDouble(v.ptr());
  if (d == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  return d;
}

}  // namespace

// ---- arguments ----------------------------------------------------------------------------------

DType dtype_arg(py::handle obj, std::optional<DType> fallback, const char* what) {
  if (obj.is_none()) {
    if (fallback) return *fallback;
    throw TypeError(str_cat("[ember] ", what, ": expected a dtype, got None"));
  }
  if (py::isinstance<DType>(obj)) return obj.cast<DType>();
  py::object spec = py::reinterpret_borrow<py::object>(obj);
  if (PyUnicode_Check(obj.ptr())) {
    std::string s = obj.cast<std::string>();
    for (const char* prefix : {"ember.", "DType.", "numpy.", "np."})
      if (s.rfind(prefix, 0) == 0) s = s.substr(std::strlen(prefix));
    if (s == "float") return DType::Float32;  // Ember's (and PyTorch's) float
    for (DType d : {DType::Float32, DType::Float64, DType::Int32, DType::Int64, DType::UInt8, DType::BFloat16})
      if (dtype_name(d) == s) return d;
    spec = py::str(s);
  }
  py::object np_dtype;
  try {
    np_dtype = numpy_attr("dtype")(spec);
  } catch (py::error_already_set&) {
    throw TypeError(str_cat("[ember] ", what, ": not a dtype: ", py::repr(obj).cast<std::string>(),
                            "; expected ember.float32, float64, int32, int64, uint8 or bfloat16"));
  }
  if (np_dtype.attr("kind").cast<std::string>() == "b") return DType::UInt8;
  return dtype_from_numpy(np_dtype.cast<py::dtype>(), what);
}

Shape shape_arg(py::handle obj, const char* what) {
  std::vector<int64_t> dims;
  if (is_int(obj)) {
    dims.push_back(as_int(obj));
  } else if (py::isinstance<py::sequence>(obj) && !py::isinstance<py::str>(obj)) {
    for (py::handle d : obj) {
      if (!is_int(d))
        throw TypeError(str_cat("[ember] ", what, ": expected a sequence of ints, got an element of type ",
                                py_type_name(d)));
      dims.push_back(as_int(d));
    }
  } else {
    throw TypeError(str_cat("[ember] ", what, ": expected an int or a sequence of ints, got ", py_type_name(obj)));
  }
  EMBER_CHECK_SHAPE(dims.size() <= static_cast<size_t>(Shape::kMaxDims), "[ember] ", what, ": expected at most ",
                    Shape::kMaxDims, " dims, got ", dims.size());
  return Shape(dims);
}

Shape shape_from_args(const py::args& args, const char* what) {
  if (args.size() == 1 && !PyIndex_Check(args[0].ptr())) return shape_arg(args[0], what);
  return shape_arg(args, what);
}

bool is_path_like(py::handle obj) { return PyUnicode_Check(obj.ptr()) || py::hasattr(obj, "__fspath__"); }

std::string path_arg(py::handle obj, std::string_view where, const char* what) {
  if (!is_path_like(obj) && !PyBytes_Check(obj.ptr()))
    throw TypeError(str_cat("[", where, "] ", what, ": expected a str, bytes or os.PathLike, got ", py_type_name(obj)));
  py::object p = py::reinterpret_steal<py::object>(PyOS_FSPath(obj.ptr()));  // str or bytes
  if (!p) throw py::error_already_set();
  return p.cast<std::string>();
}

// ---- options ------------------------------------------------------------------------------------

namespace {

std::string short_repr(py::handle v) {
  std::string r = py::repr(v).cast<std::string>();
  if (r.size() > 40) r = r.substr(0, 37) + "...";
  return r;
}

bool is_sequence(py::handle v) {
  if (PyUnicode_Check(v.ptr()) || PyBytes_Check(v.ptr())) return false;
  if (py::isinstance<py::array>(v)) return py::reinterpret_borrow<py::array>(v).ndim() == 1;
  return PySequence_Check(v.ptr()) != 0;
}

[[noreturn]] void wrong_kind(std::string_view cls, const OptionSpec& s, std::string_view expected, py::handle v) {
  throw TypeError(str_cat(cls, "() option '", s.name, "': expected ", expected, ", got ", py_type_name(v), " (",
                          short_repr(v), ")"));
}

std::vector<int64_t> int_list(std::string_view cls, const OptionSpec& s, std::string_view expected, py::handle v) {
  std::vector<int64_t> out;
  for (py::handle x : py::reinterpret_borrow<py::iterable>(v)) {
    if (!is_int(x)) wrong_kind(cls, s, expected, v);
    out.push_back(as_int(x));
  }
  return out;
}

nn::ConfigValue convert(std::string_view cls, const OptionSpec& s, py::handle v) {
  switch (s.kind) {
    case OptionSpec::Bool:
      if (!is_bool(v)) wrong_kind(cls, s, "a bool", v);
      return PyObject_IsTrue(v.ptr()) == 1;
    case OptionSpec::Int:
      if (!is_int(v)) wrong_kind(cls, s, "an int", v);
      return as_int(v);
    case OptionSpec::Float:
      if (!is_number(v)) wrong_kind(cls, s, "a float", v);
      return as_float(v);
    case OptionSpec::Str:
      if (!PyUnicode_Check(v.ptr())) wrong_kind(cls, s, "a str", v);
      return v.cast<std::string>();
    case OptionSpec::IntList:
      if (is_int(v)) return std::vector<int64_t>{as_int(v)};
      if (!is_sequence(v)) wrong_kind(cls, s, "a list of ints", v);
      return int_list(cls, s, "a list of ints", v);
    case OptionSpec::IntArray: {
      const std::string expected = str_cat("an int or a tuple of ", s.n, " ints");
      if (is_int(v)) return as_int(v);
      if (!is_sequence(v)) wrong_kind(cls, s, expected, v);
      std::vector<int64_t> xs = int_list(cls, s, expected, v);
      if (xs.size() == 1) return xs[0];
      if (xs.size() != s.n) wrong_kind(cls, s, expected, v);
      return xs;
    }
    case OptionSpec::FloatList: {
      if (is_number(v)) return std::vector<double>{as_float(v)};
      if (!is_sequence(v)) wrong_kind(cls, s, "a list of floats", v);
      std::vector<double> out;
      for (py::handle x : py::reinterpret_borrow<py::iterable>(v)) {
        if (!is_number(x)) wrong_kind(cls, s, "a list of floats", v);
        out.push_back(as_float(x));
      }
      return out;
    }
  }
  return {};
}

std::string names_of(const std::vector<OptionSpec>& specs) {
  std::string out;
  for (const auto& s : specs) out += (out.empty() ? "" : ", ") + s.name;
  return out.empty() ? "none" : out;
}

// An option value as Python source: True, 3, 0.5, 'max', [1, 2]; an IntArray as one int when its
// values are equal, else as a tuple.
std::string py_value(const nn::ConfigValue& v, const OptionSpec& spec) {
  std::ostringstream os;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          os << (x ? "True" : "False");
        } else if constexpr (std::is_same_v<T, int64_t>) {
          os << x;
        } else if constexpr (std::is_same_v<T, double>) {
          os << py::repr(py::float_(x)).cast<std::string>();
        } else if constexpr (std::is_same_v<T, std::string>) {
          os << "'" << x << "'";
        } else {
          const bool tuple = spec.kind == OptionSpec::IntArray;
          bool same = tuple && !x.empty();
          for (size_t i = 1; same && i < x.size(); ++i) same = x[i] == x[0];
          if (same) {
            os << x[0];
            return;
          }
          os << (tuple ? "(" : "[");
          for (size_t i = 0; i < x.size(); ++i) {
            if (i) os << ", ";
            if constexpr (std::is_same_v<T, std::vector<double>>) os << py::repr(py::float_(x[i])).cast<std::string>();
            else os << x[i];
          }
          os << (tuple ? ")" : "]");
        }
      },
      v);
  return os.str();
}

}  // namespace

std::vector<OptionSpec> option_specs_from_config(const nn::Config& defaults) {
  std::vector<OptionSpec> out;
  for (const auto& [name, value] : defaults) {
    const auto kind = std::visit(
        [](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, bool>) return OptionSpec::Bool;
          else if constexpr (std::is_same_v<T, int64_t>) return OptionSpec::Int;
          else if constexpr (std::is_same_v<T, double>) return OptionSpec::Float;
          else if constexpr (std::is_same_v<T, std::string>) return OptionSpec::Str;
          else if constexpr (std::is_same_v<T, std::vector<int64_t>>) return OptionSpec::IntList;
          else return OptionSpec::FloatList;
        },
        value);
    out.push_back({name, kind, 0, value});
  }
  return out;
}

nn::Config config_from_args(std::string_view cls, const std::vector<OptionSpec>& specs, const py::args& args,
                            const py::kwargs& kwargs) {
  if (args.size() > specs.size())
    throw TypeError(str_cat(cls, "() takes at most ", specs.size(), " positional argument",
                            specs.size() == 1 ? "" : "s", " (", names_of(specs), "), got ", args.size()));
  std::vector<py::handle> given(specs.size());
  for (size_t i = 0; i < args.size(); ++i) given[i] = args[i];
  for (auto [k, v] : kwargs) {
    const std::string key = py::str(k);
    size_t i = 0;
    while (i < specs.size() && specs[i].name != key) ++i;
    if (i == specs.size())
      throw TypeError(
          str_cat(cls, "() got an unexpected keyword argument '", key, "' (options: ", names_of(specs), ")"));
    if (given[i]) throw TypeError(str_cat(cls, "() got multiple values for argument '", key, "'"));
    given[i] = v;
  }
  nn::Config c;
  for (size_t i = 0; i < specs.size(); ++i)
    if (given[i] && !given[i].is_none()) c.emplace_back(specs[i].name, convert(cls, specs[i], given[i]));
  return c;
}

py::object config_value_to_py(const nn::ConfigValue& v) {
  return std::visit([](const auto& x) -> py::object { return py::cast(x); }, v);
}

py::dict config_to_dict(const nn::Config& c) {
  py::dict d;
  for (const auto& [k, v] : c) d[py::str(k)] = config_value_to_py(v);
  return d;
}

std::string make_class_doc(std::string_view cls, const std::vector<OptionSpec>& specs, std::string_view doc) {
  std::string defaults;
  for (const auto& s : specs) defaults += (defaults.empty() ? "" : ", ") + s.name + "=" + py_value(s.default_value, s);
  std::string out = str_cat(cls, "(", defaults, ")\n\n", doc);
  if (!specs.empty()) {
    out += str_cat("\n\nOptions (positional in this order, or by keyword; defaults): ", defaults, ".");
    bool has_array = false;
    for (const auto& s : specs) has_array = has_array || s.kind == OptionSpec::IntArray;
    if (has_array) out += " Size options take one int or a tuple (one value per spatial dimension).";
  }
  return out;
}

// ---- state dicts --------------------------------------------------------------------------------

py::dict state_to_dict(const StateDict& state) {
  py::dict d;
  for (const auto& [k, v] : state.items()) {
    d[py::str(k)] = std::visit(
        [](const auto& x) -> py::object {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Tensor>) return to_numpy(x.clone());
          else return py::cast(x);
        },
        v);
  }
  return d;
}

StateDict state_from_dict(py::handle dict, std::string_view where) {
  if (!py::isinstance<py::dict>(dict))
    throw TypeError(str_cat("[", where, "] expected a dict of arrays and scalars, got ", py_type_name(dict)));
  StateDict st;
  for (auto [k, v] : py::reinterpret_borrow<py::dict>(dict)) {
    if (!PyUnicode_Check(k.ptr()))
      throw TypeError(str_cat("[", where, "] state keys must be str, got ", py_type_name(k)));
    const std::string key = py::str(k);
    if (py::isinstance<py::array>(v) || py::isinstance<Tensor>(v)) st.set(key, to_tensor(v, key.c_str()).clone());
    else if (PyUnicode_Check(v.ptr())) st.set(key, v.cast<std::string>());
    else if (is_bool(v)) st.set(key, static_cast<int64_t>(PyObject_IsTrue(v.ptr()) == 1));
    else if (is_int(v)) st.set(key, as_int(v));
    else if (is_number(v)) st.set(key, as_float(v));
    else
      throw TypeError(str_cat("[", where, "] state '", key, "': expected an array, int, float or str, got ",
                              py_type_name(v)));
  }
  return st;
}

}  // namespace ember::python
