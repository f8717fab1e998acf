#pragma once
/// Options support: ExpandingArray (PyTorch's `kernel_size = 3` meaning {3, 3}) and a Config, the
/// name -> value form of an options struct that repr, serialization and Python keyword arguments
/// all read. An options struct lists its fields once:
///
///   struct LinearOptions {
///     int64_t in_features = 0;
///     int64_t out_features = 0;
///     bool bias = true;
///     template <class V> void visit(V&& v) { v("in_features", in_features); v("out_features", out_features); v("bias", bias); }
///   };

#include <array>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "ember/core/error.h"

namespace ember::nn {

/// N integers given as one value (expanded) or as N values, e.g. kernel_size = 3 or {3, 5}.
template <size_t N>
struct ExpandingArray {
  std::array<int64_t, N> v{};
  ExpandingArray() = default;
  ExpandingArray(int64_t x) { v.fill(x); }  // NOLINT: implicit, as in PyTorch
  ExpandingArray(std::initializer_list<int64_t> xs) {
    EMBER_CHECK(xs.size() == N || xs.size() == 1, "expected ", N, " values (or one to repeat), got ", xs.size());
    if (xs.size() == 1) v.fill(*xs.begin());
    else std::copy(xs.begin(), xs.end(), v.begin());
  }
  int64_t operator[](size_t i) const { return v[i]; }
  int64_t& operator[](size_t i) { return v[i]; }
  bool operator==(const ExpandingArray&) const = default;
};

template <size_t N>
std::ostream& operator<<(std::ostream& os, const ExpandingArray<N>& a) {
  bool same = true;
  for (size_t i = 1; i < N; ++i) same = same && a.v[i] == a.v[0];
  if (same) return os << a.v[0];
  os << '(';
  for (size_t i = 0; i < N; ++i) os << (i ? ", " : "") << a.v[i];
  return os << ')';
}

/// One option value.
using ConfigValue = std::variant<bool, int64_t, double, std::string, std::vector<int64_t>, std::vector<double>>;
/// Options as an ordered name -> value map.
using Config = std::vector<std::pair<std::string, ConfigValue>>;

namespace detail {
struct ToConfig {
  Config& c;
  void operator()(const char* n, bool x) { c.emplace_back(n, x); }
  void operator()(const char* n, int64_t x) { c.emplace_back(n, x); }
  void operator()(const char* n, double x) { c.emplace_back(n, x); }
  void operator()(const char* n, const std::string& x) { c.emplace_back(n, x); }
  void operator()(const char* n, const std::vector<int64_t>& x) { c.emplace_back(n, x); }
  void operator()(const char* n, const std::vector<double>& x) { c.emplace_back(n, x); }
  template <size_t N>
  void operator()(const char* n, const ExpandingArray<N>& x) {
    c.emplace_back(n, std::vector<int64_t>(x.v.begin(), x.v.end()));
  }
};

struct FromConfig {
  const Config& c;
  const ConfigValue* find(const char* n) const {
    for (const auto& [k, v] : c)
      if (k == n) return &v;
    return nullptr;
  }
  template <class T>
  void operator()(const char* n, T& x) {
    const ConfigValue* v = find(n);
    if (!v) return;  // missing: keep the default (older files, Python kwargs not given)
    if constexpr (std::is_same_v<T, double>) {
      if (const int64_t* i = std::get_if<int64_t>(v)) {
        x = static_cast<double>(*i);
        return;
      }
    }
    if constexpr (requires { x.v; }) {
      const auto* vec = std::get_if<std::vector<int64_t>>(v);
      if (const int64_t* i = std::get_if<int64_t>(v)) {
        x = T(*i);
        return;
      }
      EMBER_CHECK_TYPE(vec && vec->size() == x.v.size(), "option '", n, "': expected ", x.v.size(), " integers");
      std::copy(vec->begin(), vec->end(), x.v.begin());
    } else {
      const T* p = std::get_if<T>(v);
      EMBER_CHECK_TYPE(p != nullptr, "option '", n, "' has the wrong type");
      x = *p;
    }
  }
};

struct ReprVisitor {
  std::ostringstream& os;
  bool first = true;
  template <class T>
  void operator()(const char* n, const T& x) {
    os << (first ? "" : ", ") << n << "=";
    first = false;
    if constexpr (std::is_same_v<T, bool>) {
      os << (x ? "true" : "false");
    } else if constexpr (std::is_same_v<T, std::string>) {
      os << "'" << x << "'";
    } else if constexpr (requires { x.begin(); x.size(); }) {
      os << '[';
      for (size_t i = 0; i < x.size(); ++i) os << (i ? ", " : "") << x[i];
      os << ']';
    } else {
      os << x;
    }
  }
};
}  // namespace detail

/// The options as a Config.
template <class Options>
Config to_config(const Options& o) {
  Config c;
  const_cast<Options&>(o).visit(detail::ToConfig{c});
  return c;
}

/// Options from a Config; fields that are missing keep their defaults.
template <class Options>
Options from_config(const Config& c) {
  Options o;
  o.visit(detail::FromConfig{c});
  return o;
}

/// `in_features=784, out_features=10, bias=true`.
template <class Options>
std::string options_repr(const Options& o) {
  std::ostringstream os;
  const_cast<Options&>(o).visit(detail::ReprVisitor{os});
  return os.str();
}

/// Options of a module without options.
struct EmptyOptions {
  template <class V>
  void visit(V&&) {}
};

}  // namespace ember::nn
