// Max-subtracted softmax with double accumulation: the oracle for the oneDNN kernels.
#include <cmath>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/softmax.h"

namespace ember::kernels::reference {

void softmax_forward(const Tensor& x, int64_t dim, bool log, Tensor& y) {
  dispatch_floating(x.dtype(), "softmax", [&]<class T>() {
    const auto [outer, n, inner] = softmax_dims(x.shape(), dim);
    const Tensor xc = x.contiguous();
    const T* px = xc.data<T>();
    T* py = y.data<T>();
    parallel_for(0, outer * inner, 64, [&](int64_t lo, int64_t hi) {
      for (int64_t r = lo; r < hi; ++r) {
        const int64_t base = (r / inner) * n * inner + r % inner;
        double mx = -INFINITY;
        for (int64_t k = 0; k < n; ++k) mx = std::max<double>(mx, px[base + k * inner]);
        double s = 0;
        for (int64_t k = 0; k < n; ++k) s += std::exp(px[base + k * inner] - mx);
        const double logs = std::log(s);
        for (int64_t k = 0; k < n; ++k) {
          const double z = px[base + k * inner] - mx;
          py[base + k * inner] = static_cast<T>(log ? z - logs : std::exp(z) / s);
        }
      }
    });
  });
}

void softmax_backward(const Tensor& y, const Tensor& gy, int64_t dim, bool log, Tensor& gx) {
  dispatch_floating(gy.dtype(), "softmax", [&]<class T>() {
    const auto [outer, n, inner] = softmax_dims(gy.shape(), dim);
    const Tensor yc = y.contiguous(), gc = gy.contiguous();
    const T *py = yc.data<T>(), *pg = gc.data<T>();
    T* px = gx.data<T>();
    parallel_for(0, outer * inner, 64, [&](int64_t lo, int64_t hi) {
      for (int64_t r = lo; r < hi; ++r) {
        const int64_t base = (r / inner) * n * inner + r % inner;
        double s = 0;
        for (int64_t k = 0; k < n; ++k) {
          const int64_t i = base + k * inner;
          s += log ? static_cast<double>(pg[i]) : static_cast<double>(pg[i]) * py[i];
        }
        for (int64_t k = 0; k < n; ++k) {
          const int64_t i = base + k * inner;
          px[i] = static_cast<T>(log ? pg[i] - std::exp(static_cast<double>(py[i])) * s : py[i] * (pg[i] - s));
        }
      }
    });
  });
}

}  // namespace ember::kernels::reference
