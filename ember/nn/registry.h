#pragma once
/// The registry of module and criterion types: stable type name -> factory from a Config. The
/// native model format and the Python bindings read it; `ember/nn/registry.cpp` has one line per type.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ember/nn/criterion.h"
#include "ember/nn/module.h"

namespace ember::nn {

class Registry {
 public:
  using ModuleFactory = std::function<ModulePtr(const Config&)>;
  using CriterionFactory = std::function<CriterionPtr(const Config&)>;

  /// The registry with every built-in type (filled on first use; no static initializers).
  static Registry& global();

  /// Registers a module type T with `T::kTypeName`, `T::Options` and `T(Options)`.
  template <class T>
  void add() {
    if constexpr (std::is_base_of_v<Module, T>) {
      modules_[std::string(T::kTypeName)] = [](const Config& c) -> ModulePtr {
        return std::make_shared<T>(from_config<typename T::Options>(c));
      };
    } else {
      criteria_[std::string(T::kTypeName)] = [](const Config& c) -> CriterionPtr {
        return std::make_shared<T>(from_config<typename T::Options>(c));
      };
    }
  }
  /// Registers a type with a custom factory (containers, modules with several constructors).
  void add_module(const std::string& type_name, ModuleFactory f) { modules_[type_name] = std::move(f); }

  /// A new module of the named type; ValueError naming the type when it is unknown.
  ModulePtr create_module(const std::string& type_name, const Config& config = {}) const;
  CriterionPtr create_criterion(const std::string& type_name, const Config& config = {}) const;
  std::vector<std::string> module_types() const;
  std::vector<std::string> criterion_types() const;

 private:
  std::map<std::string, ModuleFactory> modules_;
  std::map<std::string, CriterionFactory> criteria_;
};

}  // namespace ember::nn
