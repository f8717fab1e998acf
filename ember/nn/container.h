#pragma once
/// Container: base of modules that hold children (Sequential, Concat, ConcatTable, ...). A child's
/// key is its name() when set, else its position ("0", "1", ...). Errors raised inside a child get
/// the key prepended to their path, so messages read `[nn.Linear 'features.3'] ...`.

#include "ember/nn/module.h"

namespace ember::nn {

class Container : public Module {
 public:
  /// Appends a child; returns *this for chaining.
  Container& add(ModulePtr module);
  /// Number of children.
  size_t size() const { return named_children().size(); }
  /// Child i (IndexError when out of range).
  const ModulePtr& get(size_t i) const;

 protected:
  /// Runs f(child) for child i, prefixing the child's key to any Ember error (and naming the
  /// child's type when the error did not pass through the child's forward/backward).
  template <class F>
  decltype(auto) in_child(size_t i, F&& f) {
    const auto& [key, child] = named_children()[i];
    try {
      return f(*child);
    } catch (ErrorContext& e) {
      e.set_module(child->type_name());
      e.prepend_path(key);
      throw;
    }
  }
};

}  // namespace ember::nn
