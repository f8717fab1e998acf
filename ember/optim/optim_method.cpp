#include "ember/optim/optim_method.h"

#include <cmath>
#include <functional>
#include <vector>

#include "ember/optim/config_util.h"
#include "ember/optim/methods/adadelta.h"
#include "ember/optim/methods/adagrad.h"
#include "ember/optim/methods/adam.h"
#include "ember/optim/methods/adamax.h"
#include "ember/optim/methods/adamw.h"
#include "ember/optim/methods/ftrl.h"
#include "ember/optim/methods/lbfgs.h"
#include "ember/optim/methods/rmsprop.h"
#include "ember/optim/methods/sgd.h"
#include "ember/optim/schedules/learning_rate_schedule.h"

namespace ember::optim {

double OptimMethod::optimize(const Feval& feval, Tensor& weights) {
  EMBER_CHECK(static_cast<bool>(feval), "[", type_name(), ".optimize] feval is empty");
  const double lr = learning_rate();
  EMBER_CHECK(std::isfinite(lr) && lr >= 0, "[", type_name(), ".optimize] the learning rate for iteration ",
              iteration_, " is ", lr, ": expected a finite rate >= 0",
              schedule_ ? " (schedule " + schedule_->repr() + ")" : std::string());
  const double loss = step(feval, weights, lr);
  ++iteration_;
  return loss;
}

double OptimMethod::learning_rate() const {
  const double base = base_learning_rate();
  double lr = schedule_ ? schedule_->rate(base, iteration_, epoch_) : base;
  // BigDL's Default schedule and PyTorch's Adagrad lr_decay: lr / (1 + iteration * decay).
  const double decay = learning_rate_decay();
  if (decay != 0) lr /= 1.0 + static_cast<double>(iteration_) * decay;
  return lr;
}

void OptimMethod::record(std::string_view metric, double value) {
  if (schedule_) schedule_->record(metric, value);
}

std::shared_ptr<LearningRateSchedule> OptimMethod::cloned_schedule() const {
  return schedule_ ? schedule_->clone() : nullptr;
}

StateDict OptimMethod::state_dict() const {
  StateDict state;
  state.set("type", std::string(type_name()));
  state.set("iteration", iteration_);
  state.set("epoch", epoch_);
  if (schedule_) {
    StateDict sub;
    sub.set("type", std::string(schedule_->type_name()));
    schedule_->save_state(sub);
    state.merge(sub, "schedule.");
  }
  save_buffers(state);
  return state;
}

void OptimMethod::load_state_dict(const StateDict& state) {
  const std::string where = std::string(type_name()) + ".load_state_dict";
  if (state.contains("type")) {
    EMBER_CHECK(state.string("type") == type_name(), "[", where, "] the state belongs to ", state.string("type"),
                ", expected ", type_name());
  }
  const int64_t iteration = state.integer("iteration");
  const int64_t epoch = state.integer("epoch");
  EMBER_CHECK(iteration >= 0, "[", where, "] iteration must be >= 0, got ", iteration);
  EMBER_CHECK(epoch >= 1, "[", where, "] epoch must be >= 1, got ", epoch);
  const bool saved_schedule = state.contains("schedule.type");
  if (schedule_) {
    EMBER_CHECK(saved_schedule, "[", where, "] this optim method has the schedule ", schedule_->type_name(),
                " but the state was saved without one");
    EMBER_CHECK(state.string("schedule.type") == schedule_->type_name(), "[", where, "] the state holds a ",
                state.string("schedule.type"), " schedule, this optim method has ", schedule_->type_name());
  } else {
    EMBER_CHECK(!saved_schedule, "[", where, "] the state holds a ", state.string("schedule.type"),
                " schedule but this optim method has none. Hint: set_schedule(...) before load_state_dict");
  }
  if (schedule_) schedule_->load_state(state.sub("schedule."));
  load_buffers(state);
  iteration_ = iteration;
  epoch_ = epoch;
}

std::string OptimMethod::repr() const {
  std::string out = std::string(type_name()) + "(" + detail::config_repr(config());
  if (schedule_) out += ", schedule=" + schedule_->repr();
  return out + ")";
}

// ---- registry ------------------------------------------------------------------------------------
namespace {
struct MethodEntry {
  std::string_view short_name;
  std::string_view type_name;
  std::function<std::unique_ptr<OptimMethod>(const nn::Config&)> make;
};

template <class T>
MethodEntry method_entry(std::string_view short_name) {
  return {short_name, T::kTypeName, [](const nn::Config& c) -> std::unique_ptr<OptimMethod> {
            detail::check_config_keys(T::kTypeName, c, nn::to_config(typename T::Options{}));
            return std::make_unique<T>(nn::from_config<typename T::Options>(c));
          }};
}

const std::vector<MethodEntry>& method_entries() {
  static const std::vector<MethodEntry> entries = {
      method_entry<SGD>("sgd"),         method_entry<Adam>("adam"),
      method_entry<AdamW>("adamw"),     method_entry<Adamax>("adamax"),
      method_entry<Adagrad>("adagrad"), method_entry<Adadelta>("adadelta"),
      method_entry<RMSprop>("rmsprop"), method_entry<Ftrl>("ftrl"),
      method_entry<LBFGS>("lbfgs"),
  };
  return entries;
}
}  // namespace

std::unique_ptr<OptimMethod> make_optim_method(std::string_view name, const nn::Config& config) {
  const std::string key = detail::to_lower(name);
  std::string known;
  for (const auto& e : method_entries()) {
    if (key == e.short_name || key == detail::to_lower(e.type_name)) return e.make(config);
    known += (known.empty() ? "" : ", ") + std::string(e.short_name);
  }
  throw ValueError(::ember::detail::str_cat("[optim.make_optim_method] unknown optim method '", name,
                                            "': expected one of ", known,
                                            " (or the type names such as optim.SGD; case-insensitive)"));
}

}  // namespace ember::optim
