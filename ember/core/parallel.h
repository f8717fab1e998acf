#pragma once
/// The process-wide thread pool. Ember, oneDNN and OpenBLAS share one pool of workers (OpenMP's),
/// sized by `EMBER_NUM_THREADS` (default: the cores this process may use).

#include <algorithm>
#include <cstdint>

namespace ember {

/// Number of threads Ember kernels use.
int num_threads();
/// Sets the number of threads for Ember, oneDNN and OpenBLAS. n must be >= 1.
void set_num_threads(int n);
/// True while running inside a parallel region (nested parallel_for calls run serially), or on a
/// thread inside a SerialScope.
bool in_parallel_region();

/// While alive, parallel_for (and oneDNN/OpenBLAS, through OpenMP's per-thread team size) runs
/// inline on the calling thread. Background threads such as the data loader's workers use it so
/// that they do not start OpenMP teams of their own beside the training thread's. Nests.
class SerialScope {
 public:
  SerialScope();
  ~SerialScope();
  SerialScope(const SerialScope&) = delete;
  SerialScope& operator=(const SerialScope&) = delete;

 private:
  int saved_omp_threads_;
};

namespace detail {
void ensure_threads_initialized();
}

/// Calls f(begin_i, end_i) on disjoint chunks covering [begin, end) using the thread pool. Chunks
/// hold at least `grain` items; small ranges run inline on the calling thread.
template <class F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, const F& f) {
  const int64_t n = end - begin;
  if (n <= 0) return;
  detail::ensure_threads_initialized();
  const int64_t max_chunks = std::max<int64_t>(1, n / std::max<int64_t>(grain, 1));
  const int64_t chunks = std::min<int64_t>(max_chunks, num_threads());
  if (chunks <= 1 || in_parallel_region()) {
    f(begin, end);
    return;
  }
#pragma omp parallel for num_threads(chunks) schedule(static, 1)
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t lo = begin + n * c / chunks;
    const int64_t hi = begin + n * (c + 1) / chunks;
    f(lo, hi);
  }
}

}  // namespace ember
