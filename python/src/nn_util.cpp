// Options <-> Python conversions and docstrings for the ember.nn classes (see nn_util.h).
#include <cmath>
#include <map>
#include <sstream>

#include "ember/core/error.h"
#include "nn_util.h"

namespace ember::python {

namespace {

using ember::detail::str_cat;

std::string type_name_of(py::handle v) { return py::str(py::type::of(v).attr("__name__")).cast<std::string>(); }

std::string short_repr(py::handle v) {
  std::string r = py::repr(v).cast<std::string>();
  if (r.size() > 40) r = r.substr(0, 37) + "...";
  return r;
}

bool is_bool(py::handle v) {
  if (PyBool_Check(v.ptr())) return true;
  if (py::hasattr(v, "dtype") && !py::isinstance<py::array>(v)) {  // numpy scalar
    return py::str(v.attr("dtype").attr("kind")).cast<std::string>() == "b";
  }
  return false;
}

bool is_int(py::handle v) { return !is_bool(v) && !PyFloat_Check(v.ptr()) && PyIndex_Check(v.ptr()); }

bool is_number(py::handle v) {
  return !is_bool(v) && !PyUnicode_Check(v.ptr()) && !py::isinstance<py::array>(v) && PyNumber_Check(v.ptr()) &&
         py::hasattr(v, "__float__");
}

int64_t as_int(py::handle v) {
  return py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr())).cast<int64_t>();
}

double as_float(py::handle v) {
  const double d = PyFloat_AsDouble(v.ptr());
  if (d == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  return d;
}

bool is_sequence(py::handle v) {
  if (PyUnicode_Check(v.ptr()) || PyBytes_Check(v.ptr())) return false;
  if (py::isinstance<py::array>(v)) return py::reinterpret_borrow<py::array>(v).ndim() == 1;
  return PySequence_Check(v.ptr()) != 0;
}

[[noreturn]] void wrong_kind(const char* cls, const OptionSpec& s, const char* expected, py::handle v) {
  throw TypeError(str_cat(cls, "() option '", s.name, "': expected ", expected, ", got ", type_name_of(v), " (",
                          short_repr(v), ")"));
}

std::vector<int64_t> int_list(const char* cls, const OptionSpec& s, const char* expected, py::handle v) {
  std::vector<int64_t> out;
  for (py::handle x : py::reinterpret_borrow<py::iterable>(v)) {
    if (!is_int(x)) wrong_kind(cls, s, expected, v);
    out.push_back(as_int(x));
  }
  return out;
}

nn::ConfigValue convert(const char* cls, const OptionSpec& s, py::handle v) {
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
      if (!is_sequence(v)) wrong_kind(cls, s, expected.c_str(), v);
      std::vector<int64_t> xs = int_list(cls, s, expected.c_str(), v);
      if (xs.size() == 1) return xs[0];
      if (xs.size() != s.n) wrong_kind(cls, s, expected.c_str(), v);
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

std::string py_value(const nn::ConfigValue& v, const OptionSpec* spec) {
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
          bool same = spec && spec->kind == OptionSpec::IntArray && !x.empty();
          for (size_t i = 1; same && i < x.size(); ++i) same = x[i] == x[0];
          if (same) {
            os << x[0];
            return;
          }
          const bool tuple = spec && spec->kind == OptionSpec::IntArray;
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

nn::Config config_from_args(const char* cls, const std::vector<OptionSpec>& specs, const py::args& args,
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
      throw TypeError(str_cat(cls, "() got an unexpected keyword argument '", key, "' (options: ", names_of(specs), ")"));
    if (given[i]) throw TypeError(str_cat(cls, "() got multiple values for argument '", key, "'"));
    given[i] = v;
  }
  nn::Config c;
  for (size_t i = 0; i < specs.size(); ++i)
    if (given[i] && !given[i].is_none()) c.emplace_back(specs[i].name, convert(cls, specs[i], given[i]));
  return c;
}

py::dict config_to_dict(const nn::Config& c) {
  py::dict d;
  for (const auto& [k, v] : c) std::visit([&](const auto& x) { d[py::str(k)] = py::cast(x); }, v);
  return d;
}

namespace {
struct BoundSpecs {
  const char* cls;
  const std::vector<OptionSpec>* specs;
};
std::map<std::string, BoundSpecs>& spec_table() {
  static std::map<std::string, BoundSpecs> t;
  return t;
}
}  // namespace

void register_specs(const std::string& type_name, const char* cls, const std::vector<OptionSpec>* specs) {
  spec_table()[type_name] = {cls, specs};
}

nn::Config config_from_dict(const std::string& type_name, const py::dict& d) {
  auto it = spec_table().find(type_name);
  if (it != spec_table().end()) return config_from_args(it->second.cls, *it->second.specs, py::args(py::tuple()), py::kwargs(d));
  nn::Config c;
  for (auto [k, v] : d) {
    const std::string key = py::str(k);
    if (is_bool(v)) c.emplace_back(key, v.cast<bool>());
    else if (is_int(v)) c.emplace_back(key, v.cast<int64_t>());
    else if (PyFloat_Check(v.ptr())) c.emplace_back(key, v.cast<double>());
    else if (PyUnicode_Check(v.ptr())) c.emplace_back(key, v.cast<std::string>());
    else {
      bool all_int = true;
      for (py::handle x : v) all_int = all_int && is_int(x);
      if (all_int && py::len(v) > 0) c.emplace_back(key, v.cast<std::vector<int64_t>>());
      else if (py::len(v) == 0) c.emplace_back(key, std::vector<int64_t>{});
      else c.emplace_back(key, v.cast<std::vector<double>>());
    }
  }
  return c;
}

std::string make_class_doc(const char* cls, const std::vector<OptionSpec>& specs, const char* doc) {
  std::ostringstream os;
  os << cls << "(";
  for (size_t i = 0; i < specs.size(); ++i)
    os << (i ? ", " : "") << specs[i].name << "=" << py_value(specs[i].default_value, &specs[i]);
  os << ")\n\n" << doc;
  if (!specs.empty()) {
    os << "\n\nOptions (positional in this order, or by keyword; defaults): ";
    for (size_t i = 0; i < specs.size(); ++i)
      os << (i ? ", " : "") << specs[i].name << "=" << py_value(specs[i].default_value, &specs[i]);
    os << ".";
    bool has_array = false;
    for (const auto& s : specs) has_array = has_array || s.kind == OptionSpec::IntArray;
    if (has_array) os << " Size options take one int or a tuple (one value per spatial dimension).";
  }
  return os.str();
}

DType dtype_arg(py::handle obj, const char* what) {
  if (obj.is_none()) throw TypeError(str_cat("[ember] ", what, ": expected a dtype, got None"));
  try {
    return obj.cast<DType>();
  } catch (const py::cast_error&) {
  }
  if (PyUnicode_Check(obj.ptr())) {
    std::string s = obj.cast<std::string>();
    for (const char* prefix : {"ember.", "DType.", "numpy.", "np."})
      if (s.rfind(prefix, 0) == 0) s = s.substr(std::string(prefix).size());
    if (s == "float") s = "float32";
    return dtype_from_numpy(py::dtype(s), what);
  }
  py::object dt = py::module_::import("numpy").attr("dtype")(obj);
  return dtype_from_numpy(py::reinterpret_borrow<py::dtype>(dt), what);
}

}  // namespace ember::python
