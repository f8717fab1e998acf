#include "ember/nn/criteria/parallel_criterion.h"

#include <cmath>
#include <sstream>

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

ParallelCriterion& ParallelCriterion::add(CriterionPtr criterion, double weight) {
  EMBER_CHECK(criterion != nullptr, "[nn.ParallelCriterion] add: criterion is null");
  EMBER_CHECK(std::isfinite(weight), "[nn.ParallelCriterion] add: weight must be finite, got ", weight);
  children_.push_back({std::move(criterion), weight});
  return *this;
}

const CriterionPtr& ParallelCriterion::criterion(size_t i) const {
  EMBER_CHECK_INDEX(i < children_.size(), "[nn.ParallelCriterion] criterion index ", i, " out of range: expected < ",
                    children_.size());
  return children_[i].criterion;
}

double ParallelCriterion::weight(size_t i) const {
  criterion(i);
  return children_[i].weight;
}

void ParallelCriterion::check(const Activity& input, const Activity& target) const {
  EMBER_CHECK(!children_.empty(), "no criteria: expected at least one. Hint: call add(criterion, weight) first");
  EMBER_CHECK_TYPE(input.is_table(), "input must be a Table with one entry per criterion (", children_.size(),
                   "), got ", input.describe());
  EMBER_CHECK_SHAPE(input.table().size() == children_.size(), "input table size mismatch: expected ",
                    children_.size(), " entries (one per criterion), got ", input.describe());
  if (options_.repeat_target) return;
  EMBER_CHECK_TYPE(target.is_table(), "target must be a Table with one entry per criterion (", children_.size(),
                   "), got ", target.describe(), ". Hint: use repeat_target=true to give every criterion the "
                   "same target");
  EMBER_CHECK_SHAPE(target.table().size() == children_.size(), "target table size mismatch: expected ",
                    children_.size(), " entries (one per criterion), got ", target.describe());
}

double ParallelCriterion::update_output(const Activity& input, const Activity& target) {
  check(input, target);
  double loss = 0;
  for (size_t i = 0; i < children_.size(); ++i) {
    const double l = detail::in_child(
        i, [&] { return children_[i].criterion->forward(input.table()[i], target_of(target, i)); });
    loss += children_[i].weight * l;
  }
  output_ = loss;
  return loss;
}

const Activity& ParallelCriterion::update_grad_input(const Activity& input, const Activity& target) {
  check(input, target);
  if (!grad_input_.is_table()) grad_input_ = Activity(Table());
  Table& g = grad_input_.table();
  g.resize(children_.size());
  for (size_t i = 0; i < children_.size(); ++i) {
    const Activity& gi = detail::in_child(i, [&]() -> const Activity& {
      return children_[i].criterion->backward(input.table()[i], target_of(target, i));
    });
    detail::assign_scaled(g[i], gi, children_[i].weight);
  }
  return grad_input_;
}

std::string ParallelCriterion::extra_repr() const {
  std::ostringstream os;
  os << options_repr(options_);
  for (size_t i = 0; i < children_.size(); ++i)
    os << (i ? ", " : "; ") << i << ": " << children_[i].weight << " * " << children_[i].criterion->repr();
  return os.str();
}

}  // namespace ember::nn
