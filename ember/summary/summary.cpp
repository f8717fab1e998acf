#include "ember/summary/summary.h"

#include <algorithm>
#include <filesystem>

#include "ember/core/error.h"

namespace ember::summary {
namespace {

void check_name(const std::string& name) {
  const auto& names = TrainSummary::trigger_names();
  if (std::find(names.begin(), names.end(), name) != names.end()) return;
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw ValueError(detail::str_cat("[summary.TrainSummary] unknown summary trigger name '", name,
                                   "': expected one of ", known));
}

}  // namespace

Summary::Summary(std::string log_dir, std::string app_name, const std::string& kind)
    : log_dir_(std::move(log_dir)), app_name_(std::move(app_name)) {
  EMBER_CHECK(!app_name_.empty(), "[summary] app_name must not be empty (events go to <log_dir>/<app_name>/", kind,
              ")");
  EMBER_CHECK(!log_dir_.empty(), "[summary] log_dir must not be empty");
  folder_ = (std::filesystem::path(log_dir_) / app_name_ / kind).string();
  writer_ = std::make_unique<EventWriter>(folder_);
}

void Summary::add_scalar(const std::string& tag, float value, int64_t step) { writer_->add_scalar(tag, value, step); }

void Summary::add_histogram(const std::string& tag, const Tensor& values, int64_t step) {
  writer_->add_histogram(tag, values, step);
}

std::vector<ScalarEvent> Summary::read_scalar(const std::string& tag) {
  writer_->flush();
  return summary::read_scalar(folder_, tag);
}

void Summary::flush() { writer_->flush(); }
void Summary::close() { writer_->close(); }

const std::vector<std::string>& TrainSummary::trigger_names() {
  static const std::vector<std::string> names{"LearningRate", "Loss", "Throughput", "Parameters"};
  return names;
}

TrainSummary::TrainSummary(std::string log_dir, std::string app_name)
    : Summary(std::move(log_dir), std::move(app_name), "train") {
  const optim::Trigger every = optim::Trigger::several_iteration(1);
  triggers_.insert_or_assign("LearningRate", every);
  triggers_.insert_or_assign("Loss", every);
  triggers_.insert_or_assign("Throughput", every);
}

TrainSummary& TrainSummary::set_summary_trigger(const std::string& name, const optim::Trigger& trigger) {
  check_name(name);
  std::lock_guard<std::mutex> lock(mu_);
  triggers_.insert_or_assign(name, trigger);
  return *this;
}

std::optional<optim::Trigger> TrainSummary::summary_trigger(const std::string& name) const {
  check_name(name);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = triggers_.find(name);
  if (it == triggers_.end()) return std::nullopt;
  return it->second;
}

ValidationSummary::ValidationSummary(std::string log_dir, std::string app_name)
    : Summary(std::move(log_dir), std::move(app_name), "validation") {}

}  // namespace ember::summary
