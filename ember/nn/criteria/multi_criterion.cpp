#include "ember/nn/criteria/multi_criterion.h"

#include <cmath>
#include <sstream>

#include "ember/nn/criteria/loss_utils.h"

namespace ember::nn {

MultiCriterion& MultiCriterion::add(CriterionPtr criterion, double weight) {
  EMBER_CHECK(criterion != nullptr, "[nn.MultiCriterion] add: criterion is null");
  EMBER_CHECK(std::isfinite(weight), "[nn.MultiCriterion] add: weight must be finite, got ", weight);
  children_.push_back({std::move(criterion), weight});
  return *this;
}

const CriterionPtr& MultiCriterion::criterion(size_t i) const {
  EMBER_CHECK_INDEX(i < children_.size(), "[nn.MultiCriterion] criterion index ", i, " out of range: expected < ",
                    children_.size());
  return children_[i].criterion;
}

double MultiCriterion::weight(size_t i) const {
  criterion(i);
  return children_[i].weight;
}

double MultiCriterion::update_output(const Activity& input, const Activity& target) {
  EMBER_CHECK(!children_.empty(), "no criteria: expected at least one. Hint: call add(criterion, weight) first");
  double loss = 0;
  for (size_t i = 0; i < children_.size(); ++i)
    loss += children_[i].weight * detail::in_child(i, [&] { return children_[i].criterion->forward(input, target); });
  output_ = loss;
  return loss;
}

const Activity& MultiCriterion::update_grad_input(const Activity& input, const Activity& target) {
  EMBER_CHECK(!children_.empty(), "no criteria: expected at least one. Hint: call add(criterion, weight) first");
  for (size_t i = 0; i < children_.size(); ++i) {
    detail::in_child(i, [&] {
      const Activity& gi = children_[i].criterion->backward(input, target);
      if (i == 0) detail::assign_scaled(grad_input_, gi, children_[i].weight);
      else detail::add_scaled(grad_input_, gi, children_[i].weight);
    });
  }
  return grad_input_;
}

std::string MultiCriterion::extra_repr() const {
  std::ostringstream os;
  for (size_t i = 0; i < children_.size(); ++i)
    os << (i ? ", " : "") << i << ": " << children_[i].weight << " * " << children_[i].criterion->repr();
  return os.str();
}

}  // namespace ember::nn
