#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace ember::apps {

Progress::Progress(std::string label, int64_t total, int64_t log_every)
    : label_(std::move(label)),
      total_(total),
      log_every_(log_every > 0 ? log_every : std::max<int64_t>(1, total / 4)),
      tty_(isatty(STDOUT_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {}

void Progress::update(int64_t done, int64_t records, const std::string& extra) {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = secs > 0 ? records / secs : 0.0;
  const double eta = done > 0 ? secs * (total_ - done) / done : 0.0;
  if (tty_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / std::max<int64_t>(total_, 1));
    std::printf("\r%s [%-*s] %lld/%lld  %.0f rec/s  ETA %.1fs  %s   ", label_.c_str(), kWidth,
                std::string(filled, '=').c_str(), static_cast<long long>(done), static_cast<long long>(total_), rate,
                eta, extra.c_str());
    std::fflush(stdout);
  } else if (done % log_every_ == 0 || done == total_) {
    std::printf("%s %lld/%lld  %.0f rec/s  %s\n", label_.c_str(), static_cast<long long>(done),
                static_cast<long long>(total_), rate, extra.c_str());
  }
}

void Progress::finish(const std::string& extra) {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (tty_) std::printf("\n");
  std::printf("%s done in %.2fs  %s\n", label_.c_str(), secs, extra.c_str());
  std::fflush(stdout);
}

}  // namespace ember::apps
