#pragma once
/// Activity: what flows between modules, a Tensor or a Table (an ordered, nestable list of
/// activities, BigDL's Table, indexed from 0). Multi-input and multi-output layers take and
/// return Tables; most layers take and return a Tensor.

#include <initializer_list>
#include <string>
#include <variant>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::nn {

class Activity;

/// Ordered list of activities. Example: `Table t{x, y}; t[1].tensor()` is y.
class Table {
 public:
  Table() = default;
  Table(std::initializer_list<Activity> items);
  explicit Table(std::vector<Activity> items);

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  /// Element i; IndexError when out of range.
  Activity& operator[](size_t i);
  const Activity& operator[](size_t i) const;
  void push_back(Activity a);
  void resize(size_t n);
  void clear() { items_.clear(); }
  std::vector<Activity>::iterator begin() { return items_.begin(); }
  std::vector<Activity>::iterator end() { return items_.end(); }
  std::vector<Activity>::const_iterator begin() const { return items_.begin(); }
  std::vector<Activity>::const_iterator end() const { return items_.end(); }

 private:
  std::vector<Activity> items_;
};

/// A Tensor, a Table, or empty.
class Activity {
 public:
  Activity() = default;
  Activity(Tensor t) : v_(std::move(t)) {}  // NOLINT: implicit by design, like torch7's activities
  Activity(Table t) : v_(std::move(t)) {}   // NOLINT

  bool empty() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_tensor() const { return std::holds_alternative<Tensor>(v_); }
  bool is_table() const { return std::holds_alternative<Table>(v_); }
  /// The tensor; TypeError when this holds a Table or nothing.
  const Tensor& tensor() const;
  Tensor& tensor();
  /// The table; TypeError when this holds a Tensor or nothing.
  const Table& table() const;
  Table& table();
  /// Short description for messages: `Tensor[32, 784]` or `Table{Tensor[2, 3], Tensor[2]}`.
  std::string describe() const;

 private:
  std::variant<std::monostate, Tensor, Table> v_;
};

}  // namespace ember::nn
