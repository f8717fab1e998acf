#pragma once
/// StateDict: named tensors and scalars, the unit of state that optim methods, data loaders and the
/// trainer hand to checkpoints (ember/io writes and reads them; the floors below never touch files).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

/// One value of a StateDict.
using StateValue = std::variant<Tensor, int64_t, double, std::string>;

/// An ordered name -> value map (insertion order is kept, so files are deterministic).
class StateDict {
 public:
  /// Sets `key` (replacing an existing value).
  void set(std::string_view key, StateValue value);
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  /// The value stored under `key`; throws ValueError naming the key when it is missing or has
  /// another kind (e.g. "state 'momentum' is a tensor, expected an int").
  const Tensor& tensor(std::string_view key) const;
  int64_t integer(std::string_view key) const;
  double real(std::string_view key) const;
  const std::string& string(std::string_view key) const;
  /// Pointer to the value, or nullptr.
  const StateValue* find(std::string_view key) const;

  /// Copies every entry of `other` into this dict with `prefix` before each key ("optim." ...).
  void merge(const StateDict& other, std::string_view prefix = {});
  /// The entries whose key starts with `prefix`, with the prefix removed.
  StateDict sub(std::string_view prefix) const;

  const std::vector<std::pair<std::string, StateValue>>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, StateValue>> items_;
};

}  // namespace ember
