#include "ember/train/training_log.h"

#include <unistd.h>

#include <algorithm>
#include <cinttypes>

namespace ember::train {

void PhaseTimes::add(const PhaseTimes& o) {
  data += o.data;
  forward += o.forward;
  backward += o.backward;
  update += o.update;
  reduce_scatter += o.reduce_scatter;
  all_gather += o.all_gather;
  iterations += o.iterations;
}

std::string PhaseTimes::repr() const {
  const double t = std::max(total(), 1e-12);
  const double n = static_cast<double>(std::max<int64_t>(iterations, 1));
  char buf[256];
  if (reduce_scatter > 0 || all_gather > 0) {
    std::snprintf(buf, sizeof(buf),
                  "data %.0f%% (%.2f ms), compute %.0f%% (%.2f ms), reduce-scatter %.0f%% (%.2f ms), "
                  "update %.0f%% (%.2f ms), all-gather %.0f%% (%.2f ms)",
                  100 * data / t, 1e3 * data / n, 100 * compute() / t, 1e3 * compute() / n, 100 * reduce_scatter / t,
                  1e3 * reduce_scatter / n, 100 * update / t, 1e3 * update / n, 100 * all_gather / t,
                  1e3 * all_gather / n);
    return buf;
  }
  std::snprintf(buf, sizeof(buf),
                "data %.0f%% (%.2f ms), forward %.0f%% (%.2f ms), backward %.0f%% (%.2f ms), update %.0f%% (%.2f ms)",
                100 * data / t, 1e3 * data / n, 100 * forward / t, 1e3 * forward / n, 100 * backward / t,
                1e3 * backward / n, 100 * update / t, 1e3 * update / n);
  return buf;
}

TrainingLog::TrainingLog(LogOptions options)
    : options_(options), start_(std::chrono::steady_clock::now()) {
  if (options_.stream != nullptr) {
    const bool tty = isatty(fileno(options_.stream)) != 0;
    bar_ = options_.progress_bar == LogOptions::Bar::On || (options_.progress_bar == LogOptions::Bar::Auto && tty);
  }
}

double TrainingLog::wall_clock() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void TrainingLog::end_bar() {
  if (bar_open_) {
    std::fputc('\n', options_.stream);
    bar_open_ = false;
  }
}

void TrainingLog::iteration(const IterationInfo& in) {
  if (options_.stream == nullptr) return;
  const double throughput = in.seconds > 0 ? in.batch_records / in.seconds : 0.0;
  if (bar_) {
    const double rate = in.epoch_seconds > 0 ? in.records_in_epoch / in.epoch_seconds : 0.0;
    const double eta = rate > 0 ? (in.epoch_size - in.records_in_epoch) / rate : 0.0;
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(kWidth * in.records_in_epoch / std::max<int64_t>(in.epoch_size, 1));
    std::fprintf(options_.stream,
                 "\r%sEpoch %" PRId64 " [%-*s] %" PRId64 "/%" PRId64 "  it %" PRId64 "  loss %.4f  %.0f rec/s  ETA %.1fs   ",
                 options_.prefix.c_str(), in.epoch, kWidth, std::string(filled, '=').c_str(), in.records_in_epoch,
                 in.epoch_size, in.iteration, in.loss, rate, eta);
    std::fflush(options_.stream);
    bar_open_ = true;
    return;
  }
  if (options_.log_every <= 0 || in.iteration % options_.log_every != 0) return;
  std::fprintf(options_.stream,
               "%s[Epoch %" PRId64 " %" PRId64 "/%" PRId64 "][Iteration %" PRId64 "][Wall Clock %.3fs] Trained %" PRId64
               " records in %.4f seconds. Throughput is %.1f records/second. Loss is %.6g. Learning rate is %.6g.",
               options_.prefix.c_str(), in.epoch, in.records_in_epoch, in.epoch_size, in.iteration, wall_clock(),
               in.batch_records, in.seconds, throughput, in.loss, in.learning_rate);
  if (options_.timing_breakdown) std::fprintf(options_.stream, " Time: %s.", in.phases.repr().c_str());
  std::fputc('\n', options_.stream);
}

void TrainingLog::epoch_end(int64_t epoch, int64_t records, double seconds, double loss, const PhaseTimes& phases) {
  if (options_.stream == nullptr) return;
  end_bar();
  std::fprintf(options_.stream,
               "%s[Epoch %" PRId64 " done] %" PRId64 " records in %.2fs (%.1f records/second), last loss %.6g. "
               "Per iteration: %s\n",
               options_.prefix.c_str(), epoch, records, seconds, seconds > 0 ? records / seconds : 0.0, loss,
               phases.repr().c_str());
  std::fflush(options_.stream);
}

void TrainingLog::line(const std::string& text) {
  if (options_.stream == nullptr) return;
  end_bar();
  std::fprintf(options_.stream, "%s%s\n", options_.prefix.c_str(), text.c_str());
  std::fflush(options_.stream);
}

}  // namespace ember::train
