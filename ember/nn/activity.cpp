#include "ember/nn/activity.h"

#include <sstream>

namespace ember::nn {

Table::Table(std::initializer_list<Activity> items) : items_(items) {}
Table::Table(std::vector<Activity> items) : items_(std::move(items)) {}

Activity& Table::operator[](size_t i) {
  EMBER_CHECK_INDEX(i < items_.size(), "[Table] index ", i, " out of range for a table of ", items_.size(),
                    " elements");
  return items_[i];
}
const Activity& Table::operator[](size_t i) const { return const_cast<Table&>(*this)[i]; }
void Table::push_back(Activity a) { items_.push_back(std::move(a)); }
void Table::resize(size_t n) { items_.resize(n); }

const Tensor& Activity::tensor() const {
  EMBER_CHECK_TYPE(is_tensor(), "expected a Tensor, got ", describe());
  return std::get<Tensor>(v_);
}
Tensor& Activity::tensor() {
  EMBER_CHECK_TYPE(is_tensor(), "expected a Tensor, got ", describe());
  return std::get<Tensor>(v_);
}
const Table& Activity::table() const {
  EMBER_CHECK_TYPE(is_table(), "expected a Table, got ", describe());
  return std::get<Table>(v_);
}
Table& Activity::table() {
  EMBER_CHECK_TYPE(is_table(), "expected a Table, got ", describe());
  return std::get<Table>(v_);
}

std::string Activity::describe() const {
  std::ostringstream os;
  if (empty()) return "nothing (empty activity)";
  if (is_tensor()) {
    const Tensor& t = std::get<Tensor>(v_);
    if (!t.defined()) return "undefined Tensor";
    os << "Tensor" << t.shape();
    if (t.dtype() != DType::Float32) os << ":" << t.dtype();
    return os.str();
  }
  const Table& t = std::get<Table>(v_);
  os << "Table{";
  for (size_t i = 0; i < t.size(); ++i) os << (i ? ", " : "") << t[i].describe();
  os << "}";
  return os.str();
}

}  // namespace ember::nn
