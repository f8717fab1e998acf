// The option specs of the bound ember.nn classes by type name (see nn_util.h).
#include <map>

#include "nn_util.h"

namespace ember::python {

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

}  // namespace ember::python
