#pragma once
/// EventWriter: appends TensorBoard events (scalars, histograms) to an event file
/// `<log_dir>/events.out.tfevents.<unix seconds>.<hostname>`. BigDL: FileWriter / EventWriter.
///
/// Records are TFRecord-framed `Event` protobufs, hand-encoded (no protobuf dependency); the first
/// record is the file version "brain.Event:2". Every method is thread-safe. Data reaches the file
/// at the latest `flush_secs` after it was added (a background thread flushes), on flush(), and on
/// close()/destruction, so a running TensorBoard sees training progress.
///
/// Example:
///   EventWriter w("runs/lenet/train");
///   w.add_scalar("Loss", 0.25f, /*step=*/100);
///   w.add_histogram("fc1.weight", weight, 100);

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "ember/summary/histogram.h"
#include "ember/tensor/tensor.h"

namespace ember::summary {

/// Seconds since the Unix epoch, with sub-second precision (an Event's wall_time).
double unix_time_now();

/// Writes one event file. Not copyable or movable (a background thread refers to it).
class EventWriter {
 public:
  /// Seconds between background flushes by default.
  static constexpr double kDefaultFlushSecs = 2.0;

  /// Creates `log_dir` (with parents) and a new event file in it; when a file of that name exists
  /// (two writers in one second), a suffix ".1", ".2", ... keeps them apart. IOError naming the
  /// directory or file when either cannot be created. flush_secs > 0.
  explicit EventWriter(const std::string& log_dir, double flush_secs = kDefaultFlushSecs);
  /// Flushes and closes; errors at this point are swallowed (call close() to see them).
  ~EventWriter();
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  /// Appends a scalar (Value.simple_value) at `step`. wall_time < 0 means now.
  void add_scalar(const std::string& tag, float value, int64_t step, double wall_time = -1);
  /// Appends a histogram of the tensor's elements (Value.histo) at `step`. wall_time < 0 means now.
  void add_histogram(const std::string& tag, const Tensor& values, int64_t step, double wall_time = -1);
  /// Appends a prepared histogram.
  void add_histogram(const std::string& tag, const Histogram& histogram, int64_t step, double wall_time = -1);

  /// Pushes buffered records to the operating system. IOError naming the file when writing failed
  /// (here or in an earlier background flush).
  void flush();
  /// Flushes, stops the background thread and closes the file; later adds throw ValueError.
  /// Calling it again does nothing.
  void close();

  /// Path of the event file.
  const std::string& path() const { return path_; }

 private:
  void write_record(const std::string& event);  // frames and writes; caller holds mu_
  void flush_locked();
  void flusher_loop();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::chrono::duration<double> flush_interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = false;
  bool closing_ = false;
  std::string pending_error_;  // a background flush failure, thrown by the next call
  std::thread flusher_;
};

}  // namespace ember::summary
