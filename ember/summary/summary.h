#pragma once
/// Training and validation summaries for TensorBoard. BigDL: Summary, TrainSummary, ValidationSummary.
///
/// A TrainSummary writes into `<log_dir>/<app_name>/train`, a ValidationSummary into
/// `<log_dir>/<app_name>/validation`, so `tensorboard --logdir <log_dir>` shows both runs of each
/// app side by side. The trainer adds "Loss", "LearningRate", "Throughput" scalars (and parameter
/// histograms) to the TrainSummary and one scalar per validation method to the ValidationSummary.
///
/// Example:
///   auto train = std::make_shared<TrainSummary>("runs", "lenet");
///   train->set_summary_trigger("Parameters", Trigger::several_iteration(100));
///   ... training ...
///   for (auto& e : train->read_scalar("Loss")) std::cout << e.step << " " << e.value << "\n";

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ember/optim/trigger.h"
#include "ember/summary/event_reader.h"
#include "ember/summary/event_writer.h"
#include "ember/tensor/tensor.h"

namespace ember::summary {

/// Base of TrainSummary and ValidationSummary: one event writer in `<log_dir>/<app_name>/<kind>`.
/// Thread-safe.
class Summary {
 public:
  /// Creates the folder and an event file in it. IOError naming the folder when that fails;
  /// ValueError for an empty app_name.
  Summary(std::string log_dir, std::string app_name, const std::string& kind);
  virtual ~Summary() = default;

  /// Adds a scalar (e.g. "Loss") at `step` (BigDL: addScalar).
  void add_scalar(const std::string& tag, float value, int64_t step);
  /// Adds a histogram of a tensor's elements at `step` (BigDL: addHistogram).
  void add_histogram(const std::string& tag, const Tensor& values, int64_t step);
  /// The scalar series `tag` written to this folder so far (by this and earlier runs), sorted by
  /// step. Flushes this summary's writer first (BigDL: readScalar).
  std::vector<ScalarEvent> read_scalar(const std::string& tag);
  /// Pushes buffered events to the file (also done every few seconds and on destruction).
  void flush();
  /// Flushes and closes the event file; IOError naming the file on a write failure.
  void close();

  /// The root log directory given to the constructor (BigDL: logDir).
  const std::string& log_dir() const { return log_dir_; }
  /// The application name (BigDL: appName).
  const std::string& app_name() const { return app_name_; }
  /// The folder the events go to: `<log_dir>/<app_name>/train` or `.../validation`.
  const std::string& folder() const { return folder_; }
  /// The event file being written.
  const std::string& event_file() const { return writer_->path(); }

 private:
  std::string log_dir_, app_name_, folder_;
  std::unique_ptr<EventWriter> writer_;
};

/// Summary of training, in `<log_dir>/<app_name>/train`. BigDL: TrainSummary.
///
/// Summary triggers say when the trainer records each kind of data: "LearningRate", "Loss",
/// "Throughput" (default: every iteration, several_iteration(1)) and "Parameters" (weight and
/// gradient histograms; default: none, which means never - histograms are costly).
class TrainSummary : public Summary {
 public:
  /// The names set_summary_trigger accepts.
  static const std::vector<std::string>& trigger_names();

  TrainSummary(std::string log_dir, std::string app_name);
  /// Sets when `name` ("LearningRate", "Loss", "Throughput", "Parameters") is recorded; ValueError
  /// listing the valid names otherwise. Returns *this (BigDL: setSummaryTrigger).
  TrainSummary& set_summary_trigger(const std::string& name, const optim::Trigger& trigger);
  /// The trigger for `name`, or nullopt when it is never recorded. ValueError for an unknown name.
  std::optional<optim::Trigger> summary_trigger(const std::string& name) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, optim::Trigger> triggers_;
};

/// Summary of validation results, in `<log_dir>/<app_name>/validation`. BigDL: ValidationSummary.
class ValidationSummary : public Summary {
 public:
  ValidationSummary(std::string log_dir, std::string app_name);
};

}  // namespace ember::summary
