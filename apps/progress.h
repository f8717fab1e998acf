#pragma once
/// A terminal progress bar with throughput and ETA (one line rewritten with '\r' on a terminal,
/// plain log lines every `log_every` steps otherwise, e.g. under CI).

#include <chrono>
#include <cstdint>
#include <string>

namespace ember::apps {

class Progress {
 public:
  /// `total` steps, each worth `unit_per_step` records (for the throughput).
  Progress(std::string label, int64_t total, int64_t log_every = 0);
  /// Marks `done` steps complete; `records` processed so far; `extra` is appended (e.g. "loss 0.12").
  void update(int64_t done, int64_t records, const std::string& extra);
  /// Finishes the line.
  void finish(const std::string& extra);

 private:
  std::string label_;
  int64_t total_, log_every_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ember::apps
