#include "ember/data/transformer.h"

#include "ember/core/error.h"

namespace ember::data {

Chain::Chain(TransformerPtr first, TransformerPtr second) : first_(std::move(first)), second_(std::move(second)) {
  EMBER_CHECK(first_ && second_, "[data.Chain] both transformers must be set, got a null ",
              first_ ? "second" : "first", " transformer");
}

Sample Chain::apply(Sample sample, Generator& rng) const { return second_->apply(first_->apply(std::move(sample), rng), rng); }

std::string Chain::repr() const { return first_->repr() + " >> " + second_->repr(); }

TransformerPtr operator>>(TransformerPtr a, TransformerPtr b) { return std::make_shared<Chain>(std::move(a), std::move(b)); }

Lambda::Lambda(std::string name, Fn fn) : name_(std::move(name)), fn_(std::move(fn)) {
  EMBER_CHECK(static_cast<bool>(fn_), "[data.Lambda '", name_, "'] the function is empty");
}

Sample Lambda::apply(Sample sample, Generator& rng) const { return fn_(std::move(sample), rng); }

std::string Lambda::repr() const { return name_; }

}  // namespace ember::data
