#include "ember/optim/schedules/plateau.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ember::optim {

namespace {
// PyTorch's ReduceLROnPlateau skips reductions smaller than this (its `eps`).
constexpr double kMinReduction = 1e-8;
}  // namespace

Plateau::Plateau(PlateauOptions options) : options_(std::move(options)) {
  const auto& o = options_;
  EMBER_CHECK(o.monitor == "score" || o.monitor == "loss", "[", kTypeName,
              "] monitor must be 'score' or 'loss', got '", o.monitor, "'");
  EMBER_CHECK(o.mode == "min" || o.mode == "max", "[", kTypeName, "] mode must be 'min' or 'max', got '", o.mode,
              "'");
  EMBER_CHECK(o.factor >= 0 && o.factor < 1, "[", kTypeName, "] factor must be in [0, 1), got ", o.factor);
  EMBER_CHECK(o.patience >= 0, "[", kTypeName, "] patience must be >= 0, got ", o.patience);
  EMBER_CHECK(o.epsilon >= 0, "[", kTypeName, "] epsilon must be >= 0, got ", o.epsilon);
  EMBER_CHECK(o.cooldown >= 0, "[", kTypeName, "] cooldown must be >= 0, got ", o.cooldown);
  EMBER_CHECK(o.min_lr >= 0, "[", kTypeName, "] min_lr must be >= 0, got ", o.min_lr);
  best_ = o.mode == "min" ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

void Plateau::record(std::string_view metric, double value) {
  if (metric != options_.monitor) return;
  latest_ = value;
  has_latest_ = true;
}

void Plateau::observe(double value) {
  const bool better = options_.mode == "min" ? value < best_ - options_.epsilon : value > best_ + options_.epsilon;
  if (better) {
    best_ = value;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    num_bad_epochs_ = 0;
  }
  if (num_bad_epochs_ > options_.patience) {
    const double reduced = std::max(lr_ * options_.factor, options_.min_lr);
    if (lr_ - reduced > kMinReduction) lr_ = reduced;
    cooldown_counter_ = options_.cooldown;
    num_bad_epochs_ = 0;
  }
}

double Plateau::rate(double base_lr, int64_t /*iteration*/, int64_t epoch) {
  if (lr_ < 0) lr_ = base_lr;
  // Once per new epoch, judge the epoch before by the last value recorded in it. An epoch without
  // a value (validation every k epochs) is not counted.
  if (epoch > epoch_) {
    if (has_latest_) observe(latest_);
    has_latest_ = false;
    epoch_ = epoch;
  }
  return lr_;
}

void Plateau::save_state(StateDict& state) const {
  state.set("lr", lr_);
  state.set("best", best_);
  state.set("num_bad_epochs", num_bad_epochs_);
  state.set("cooldown_counter", cooldown_counter_);
  state.set("epoch", epoch_);
  state.set("latest", latest_);
  state.set("has_latest", static_cast<int64_t>(has_latest_));
}

void Plateau::load_state(const StateDict& state) {
  // Read everything before assigning anything, so a bad state leaves this schedule unchanged.
  const double lr = state.real("lr"), best = state.real("best"), latest = state.real("latest");
  const int64_t bad = state.integer("num_bad_epochs"), cooldown = state.integer("cooldown_counter");
  const int64_t epoch = state.integer("epoch"), has_latest = state.integer("has_latest");
  EMBER_CHECK(bad >= 0 && cooldown >= 0 && epoch >= 1, "[", kTypeName,
              "] invalid state: num_bad_epochs=", bad, ", cooldown_counter=", cooldown, ", epoch=", epoch);
  lr_ = lr;
  best_ = best;
  latest_ = latest;
  num_bad_epochs_ = bad;
  cooldown_counter_ = cooldown;
  epoch_ = epoch;
  has_latest_ = has_latest != 0;
}

}  // namespace ember::optim
