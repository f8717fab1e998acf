#pragma once
/// Kernel backend selection. Every op has a reference kernel (naive, obviously correct: the test
/// oracle) and, where it pays, a fast one (oneDNN for float32, OpenBLAS GEMM). `Auto` picks the
/// fastest kernel that supports the arguments; `Reference` forces the oracle (tests compare the two).

#include "ember/tensor/dtype.h"

namespace ember::kernels {

enum class Backend { Auto, Reference };

/// The process-wide choice (default Auto).
Backend backend();
void set_backend(Backend b);

/// Sets a backend for a scope and restores the previous one.
class ScopedBackend {
 public:
  explicit ScopedBackend(Backend b) : prev_(backend()) { set_backend(b); }
  ~ScopedBackend() { set_backend(prev_); }
  ScopedBackend(const ScopedBackend&) = delete;
  ScopedBackend& operator=(const ScopedBackend&) = delete;

 private:
  Backend prev_;
};

/// True when oneDNN is compiled in, the backend is Auto and dtype is float32.
bool use_onednn(DType dtype);
/// True when the backend is Auto (BLAS GEMM may be used for float32/float64).
bool use_blas();

}  // namespace ember::kernels
