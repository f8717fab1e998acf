#include "ember/nn/container.h"

namespace ember::nn {

Container& Container::add(ModulePtr module) {
  EMBER_CHECK(module != nullptr, "[", type_name(), ".add] module is null");
  const std::string key = module->name().empty() ? std::to_string(size()) : module->name();
  register_module(key, std::move(module));
  return *this;
}

const ModulePtr& Container::get(size_t i) const {
  EMBER_CHECK_INDEX(i < size(), "[", type_name(), "] child index ", i, " out of range for ", size(), " children");
  return named_children()[i].second;
}

}  // namespace ember::nn
