#pragma once
/// TrainingLog: what the trainer prints while it trains. BigDL-style lines
///   [Epoch 1 12800/60000][Iteration 100][Wall Clock 3.2s] Trained 128 records in 0.004 seconds.
///   Throughput is 34120.5 records/second. Loss is 0.2412.
/// every `log_every` iterations, and on a terminal a progress bar with ETA rewritten in place.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace ember::train {

/// Where and how the trainer reports progress.
struct LogOptions {
  /// Stream for the log (nullptr: silent).
  std::FILE* stream = stderr;
  /// A BigDL-style line every this many iterations (0: only at epoch ends). On a terminal with
  /// progress_bar, lines are replaced by the bar and only epoch summaries stay.
  int64_t log_every = 1;
  enum class Bar { Auto, On, Off };
  /// Auto: a bar when the stream is a terminal.
  Bar progress_bar = Bar::Auto;
  /// Add the data/forward/backward/update split to each line (distributed training: always, as
  /// data/compute/reduce-scatter/update/all-gather).
  bool timing_breakdown = false;
  /// Distributed training: every rank writes its log, not only rank 0 (each line then starts with
  /// "[Rank r] ").
  bool all_ranks = false;
  /// Put in front of every line (the trainer sets it; see all_ranks).
  std::string prefix = "";
};

/// Seconds spent in each phase of the training step. Distributed training adds the two
/// collective phases: reduce_scatter (scaling and reduce-scatter of the gradients, and the
/// all-reduce of the loss and the gradient norm) and all_gather (of the updated weights).
struct PhaseTimes {
  double data = 0, forward = 0, backward = 0, update = 0;
  double reduce_scatter = 0, all_gather = 0;
  int64_t iterations = 0;
  /// forward + backward (with regularization and clipping).
  double compute() const { return forward + backward; }
  double total() const { return data + forward + backward + update + reduce_scatter + all_gather; }
  void add(const PhaseTimes& o);
  /// Per iteration: "data 2% (0.05 ms), forward 31% (0.81 ms), backward ..., update ..."; when a
  /// collective phase is non-zero "data ..., compute ..., reduce-scatter ..., update ..., all-gather ...".
  std::string repr() const;
};

/// One training iteration as the log sees it.
struct IterationInfo {
  int64_t epoch = 1, iteration = 0;
  int64_t records_in_epoch = 0, epoch_size = 0;
  int64_t batch_records = 0;
  double seconds = 0;        // this iteration's wall time
  double epoch_seconds = 0;  // wall time since the epoch started (for the bar's rate and ETA)
  double loss = 0, learning_rate = 0;
  PhaseTimes phases;   // this iteration's split
};

class TrainingLog {
 public:
  explicit TrainingLog(LogOptions options);
  /// After each iteration.
  void iteration(const IterationInfo& info);
  /// At the end of an epoch: a summary line with throughput and the phase split of the epoch.
  void epoch_end(int64_t epoch, int64_t records, double seconds, double loss, const PhaseTimes& phases);
  /// Any other line (validation, checkpoint, resume). Ends a bar line first.
  void line(const std::string& text);
  /// Seconds since the log was created.
  double wall_clock() const;

 private:
  void end_bar();
  LogOptions options_;
  bool bar_ = false, bar_open_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ember::train
