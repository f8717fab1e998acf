#include "ember/optim/schedules/learning_rate_schedule.h"

#include <functional>
#include <utility>
#include <vector>

#include "ember/optim/config_util.h"
#include "ember/optim/schedules/epoch_step.h"
#include "ember/optim/schedules/exponential.h"
#include "ember/optim/schedules/multi_step.h"
#include "ember/optim/schedules/natural_exp.h"
#include "ember/optim/schedules/plateau.h"
#include "ember/optim/schedules/poly.h"
#include "ember/optim/schedules/step.h"
#include "ember/optim/schedules/warmup.h"

namespace ember::optim {

std::string LearningRateSchedule::repr() const {
  return std::string(type_name()) + "(" + detail::config_repr(config()) + ")";
}

namespace {
struct ScheduleEntry {
  std::string_view short_name;
  std::string_view type_name;
  std::function<SchedulePtr(const nn::Config&)> make;
};

template <class T>
ScheduleEntry entry(std::string_view short_name) {
  return {short_name, T::kTypeName, [](const nn::Config& c) -> SchedulePtr {
            detail::check_config_keys(T::kTypeName, c, nn::to_config(typename T::Options{}));
            return std::make_shared<T>(nn::from_config<typename T::Options>(c));
          }};
}

const std::vector<ScheduleEntry>& schedule_entries() {
  static const std::vector<ScheduleEntry> entries = {
      entry<Step>("step"),       entry<MultiStep>("multistep"),     entry<EpochStep>("epochstep"),
      entry<Poly>("poly"),       entry<Exponential>("exponential"), entry<NaturalExp>("naturalexp"),
      entry<Plateau>("plateau"), entry<Warmup>("warmup"),
  };
  return entries;
}
}  // namespace

SchedulePtr make_schedule(std::string_view name, const nn::Config& config) {
  const std::string key = detail::to_lower(name);
  std::string known;
  for (const auto& e : schedule_entries()) {
    if (key == e.short_name || key == detail::to_lower(e.type_name)) return e.make(config);
    known += (known.empty() ? "" : ", ") + std::string(e.short_name);
  }
  throw ValueError(::ember::detail::str_cat("[optim.make_schedule] unknown schedule '", name,
                                            "': expected one of ", known,
                                            " (or the type names such as optim.Step; case-insensitive)"));
}

}  // namespace ember::optim
