#include "ember/core/parallel.h"

#include <omp.h>
#include <sched.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>

#include "ember/core/error.h"

#ifdef EMBER_USE_OPENBLAS
extern "C" void openblas_set_num_threads(int);
#endif

namespace ember {
namespace {
std::atomic<int> g_threads{0};
std::once_flag g_init;

int default_threads() {
  if (const char* env = std::getenv("EMBER_NUM_THREADS")) {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && v >= 1 && v <= 4096) return static_cast<int>(v);
    throw ValueError(detail::str_cat("[ember] EMBER_NUM_THREADS must be a positive integer, got '", env, "'"));
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, omp_get_num_procs());
}

void apply(int n) {
  g_threads.store(n);
  omp_set_num_threads(n);
#ifdef EMBER_USE_OPENBLAS
  openblas_set_num_threads(n);
#endif
}
}  // namespace

namespace detail {
void ensure_threads_initialized() {
  std::call_once(g_init, [] {
    if (g_threads.load() == 0) apply(default_threads());
  });
}
}  // namespace detail

int num_threads() {
  detail::ensure_threads_initialized();
  return g_threads.load();
}

void set_num_threads(int n) {
  EMBER_CHECK(n >= 1, "[set_num_threads] number of threads must be positive: expected >= 1, got ", n);
  std::call_once(g_init, [] {});
  apply(n);
}

namespace {
thread_local int t_serial_depth = 0;
}  // namespace

bool in_parallel_region() { return omp_in_parallel() != 0 || t_serial_depth > 0; }

// omp_set_num_threads changes only the calling thread's team-size setting, so the training
// thread's pool is untouched.
SerialScope::SerialScope() : saved_omp_threads_(omp_get_max_threads()) {
  ++t_serial_depth;
  omp_set_num_threads(1);
}

SerialScope::~SerialScope() {
  --t_serial_depth;
  omp_set_num_threads(saved_omp_threads_);
}

}  // namespace ember
