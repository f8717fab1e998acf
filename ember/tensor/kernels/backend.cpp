#include "ember/tensor/kernels/backend.h"

#include <atomic>

namespace ember::kernels {
namespace {
std::atomic<Backend> g_backend{Backend::Auto};
}

Backend backend() { return g_backend.load(std::memory_order_relaxed); }
void set_backend(Backend b) { g_backend.store(b, std::memory_order_relaxed); }

bool use_onednn(DType dtype) {
#ifdef EMBER_USE_ONEDNN
  return backend() == Backend::Auto && dtype == DType::Float32;
#else
  (void)dtype;
  return false;
#endif
}

bool use_blas() { return backend() == Backend::Auto; }

}  // namespace ember::kernels
