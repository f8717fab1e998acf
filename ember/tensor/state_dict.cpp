#include "ember/tensor/state_dict.h"

#include "ember/core/error.h"

namespace ember {
namespace {
const char* kind_name(const StateValue& v) {
  switch (v.index()) {
    case 0: return "a tensor";
    case 1: return "an int";
    case 2: return "a float";
    default: return "a string";
  }
}
template <class T>
const T& get_as(const StateDict& d, std::string_view key, const char* expected) {
  const StateValue* v = d.find(key);
  EMBER_CHECK(v != nullptr, "state '", key, "' is missing");
  const T* p = std::get_if<T>(v);
  EMBER_CHECK(p != nullptr, "state '", key, "' is ", kind_name(*v), ", expected ", expected);
  return *p;
}
}  // namespace

void StateDict::set(std::string_view key, StateValue value) {
  for (auto& [k, v] : items_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  items_.emplace_back(std::string(key), std::move(value));
}

const StateValue* StateDict::find(std::string_view key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return &v;
  return nullptr;
}

const Tensor& StateDict::tensor(std::string_view key) const { return get_as<Tensor>(*this, key, "a tensor"); }
int64_t StateDict::integer(std::string_view key) const { return get_as<int64_t>(*this, key, "an int"); }
double StateDict::real(std::string_view key) const {
  const StateValue* v = find(key);
  if (v != nullptr) {
    if (const auto* i = std::get_if<int64_t>(v)) return static_cast<double>(*i);
  }
  return get_as<double>(*this, key, "a float");
}
const std::string& StateDict::string(std::string_view key) const {
  return get_as<std::string>(*this, key, "a string");
}

void StateDict::merge(const StateDict& other, std::string_view prefix) {
  for (const auto& [k, v] : other.items_) set(std::string(prefix) + k, v);
}

StateDict StateDict::sub(std::string_view prefix) const {
  StateDict out;
  for (const auto& [k, v] : items_)
    if (k.size() >= prefix.size() && std::string_view(k).substr(0, prefix.size()) == prefix)
      out.items_.emplace_back(k.substr(prefix.size()), v);
  return out;
}

}  // namespace ember
