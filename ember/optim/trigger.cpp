#include "ember/optim/trigger.h"

#include <charconv>
#include <cmath>

#include "ember/core/error.h"

namespace ember::optim {
namespace {

// Shortest text that reads back as the same double: "0.1", not "0.10000000000000001".
std::string shortest(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

Trigger combine(std::vector<Trigger> ts, bool all) {
  const char* op = all ? "and" : "or";
  EMBER_CHECK(!ts.empty(), "[optim.Trigger] ", op, "_ needs at least one trigger, got none");
  if (ts.size() == 1) return ts[0];
  std::string repr = "(";
  for (size_t i = 0; i < ts.size(); ++i) repr += (i ? std::string(" ") + op + " " : "") + ts[i].repr();
  repr += ")";
  return Trigger(std::move(repr), [ts = std::move(ts), all](const TrainingState& s) {
    for (const Trigger& t : ts) {
      if (t(s) != all) return !all;
    }
    return all;
  });
}

}  // namespace

Trigger::Trigger(std::string repr, Predicate predicate) {
  EMBER_CHECK(static_cast<bool>(predicate), "[optim.Trigger] '", repr, "': the predicate is empty");
  impl_ = std::make_shared<const Impl>(Impl{std::move(repr), std::move(predicate)});
}

Trigger Trigger::every_epoch() {
  return Trigger("every_epoch()", [](const TrainingState& s) { return s.epoch_end; });
}

Trigger Trigger::several_iteration(int64_t n) {
  EMBER_CHECK(n >= 1, "[optim.Trigger] several_iteration(n): n must be >= 1, got ", n);
  return Trigger("several_iteration(" + std::to_string(n) + ")",
                 [n](const TrainingState& s) { return s.iteration > 0 && s.iteration % n == 0; });
}

Trigger Trigger::max_epoch(int64_t n) {
  EMBER_CHECK(n >= 1, "[optim.Trigger] max_epoch(n): n must be >= 1, got ", n);
  return Trigger("max_epoch(" + std::to_string(n) + ")", [n](const TrainingState& s) { return s.epoch > n; });
}

Trigger Trigger::max_iteration(int64_t n) {
  EMBER_CHECK(n >= 1, "[optim.Trigger] max_iteration(n): n must be >= 1, got ", n);
  return Trigger("max_iteration(" + std::to_string(n) + ")",
                 [n](const TrainingState& s) { return s.iteration >= n; });
}

Trigger Trigger::max_score(double v) {
  EMBER_CHECK(!std::isnan(v), "[optim.Trigger] max_score(s): s must be a number, got NaN");
  return Trigger("max_score(" + shortest(v) + ")",
                 [v](const TrainingState& s) { return s.score.has_value() && *s.score > v; });
}

Trigger Trigger::min_loss(double l) {
  EMBER_CHECK(!std::isnan(l), "[optim.Trigger] min_loss(l): l must be a number, got NaN");
  return Trigger("min_loss(" + shortest(l) + ")", [l](const TrainingState& s) { return s.loss < l; });
}

Trigger Trigger::and_(std::vector<Trigger> triggers) { return combine(std::move(triggers), true); }
Trigger Trigger::or_(std::vector<Trigger> triggers) { return combine(std::move(triggers), false); }

Trigger operator&&(const Trigger& a, const Trigger& b) { return Trigger::and_(a, b); }
Trigger operator||(const Trigger& a, const Trigger& b) { return Trigger::or_(a, b); }

}  // namespace ember::optim
