// Naive per-channel batch normalization in double accumulation: the oracle for oneDNN.
#include <cmath>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/batch_norm.h"

namespace ember::kernels::reference {

namespace {
struct Dims {
  int64_t n, c, s;
};
Dims dims_of(const Tensor& x) { return {x.size(0), x.size(1), x.numel() / (x.size(0) * x.size(1))}; }

template <class T>
const T* ptr_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}
}  // namespace

void batch_norm_forward_training(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var) {
  dispatch_floating(x.dtype(), "batch_norm", [&]<class T>() {
    const Dims d = dims_of(x);
    const T *px = x.data<T>(), *pw = ptr_or_null<T>(w), *pb = ptr_or_null<T>(b);
    T *py = y.data<T>(), *pm = save_mean.data<T>(), *pv = save_var.data<T>();
    const double count = static_cast<double>(d.n * d.s);
    parallel_for(0, d.c, 1, [&](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; ++c) {
        double sum = 0, sq = 0;
        for (int64_t i = 0; i < d.n; ++i)
          for (int64_t k = 0; k < d.s; ++k) sum += px[(i * d.c + c) * d.s + k];
        const double mean = sum / count;
        for (int64_t i = 0; i < d.n; ++i)
          for (int64_t k = 0; k < d.s; ++k) {
            const double v = px[(i * d.c + c) * d.s + k] - mean;
            sq += v * v;
          }
        const double var = sq / count, invstd = 1.0 / std::sqrt(var + eps);
        const double scale = (pw ? pw[c] : 1.0) * invstd, shift = pb ? pb[c] : 0.0;
        for (int64_t i = 0; i < d.n; ++i)
          for (int64_t k = 0; k < d.s; ++k) {
            const int64_t o = (i * d.c + c) * d.s + k;
            py[o] = static_cast<T>((px[o] - mean) * scale + shift);
          }
        pm[c] = static_cast<T>(mean);
        pv[c] = static_cast<T>(var);
      }
    });
  });
}

void batch_norm_forward_inference(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y) {
  dispatch_floating(x.dtype(), "batch_norm", [&]<class T>() {
    const Dims d = dims_of(x);
    const T *px = x.data<T>(), *pw = ptr_or_null<T>(w), *pb = ptr_or_null<T>(b);
    const T *pm = mean.data<T>(), *pv = var.data<T>();
    T* py = y.data<T>();
    for (int64_t i = 0; i < d.n; ++i)
      for (int64_t c = 0; c < d.c; ++c) {
        const double scale = (pw ? pw[c] : 1.0) / std::sqrt(static_cast<double>(pv[c]) + eps);
        const double shift = pb ? pb[c] : 0.0;
        for (int64_t k = 0; k < d.s; ++k) {
          const int64_t o = (i * d.c + c) * d.s + k;
          py[o] = static_cast<T>((px[o] - pm[c]) * scale + shift);
        }
      }
  });
}

void batch_norm_backward(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean, const Tensor& var,
                         double eps, bool batch_stats, Tensor* gx, Tensor& sums) {
  dispatch_floating(x.dtype(), "batch_norm", [&]<class T>() {
    const Dims d = dims_of(x);
    const Tensor gc = gy.contiguous();
    const T *pg = gc.data<T>(), *px = x.data<T>(), *pw = ptr_or_null<T>(w);
    const T *pm = mean.data<T>(), *pv = var.data<T>();
    T* pgx = gx != nullptr ? gx->data<T>() : nullptr;
    double* ps = sums.data<double>();
    const double count = static_cast<double>(d.n * d.s);
    for (int64_t c = 0; c < d.c; ++c) {
      const double invstd = 1.0 / std::sqrt(static_cast<double>(pv[c]) + eps), scale = (pw ? pw[c] : 1.0) * invstd;
      double sg = 0, sgx = 0;
      for (int64_t i = 0; i < d.n; ++i)
        for (int64_t k = 0; k < d.s; ++k) {
          const int64_t o = (i * d.c + c) * d.s + k;
          sg += pg[o];
          sgx += pg[o] * (px[o] - pm[c]) * invstd;
        }
      ps[c] = sg;
      ps[d.c + c] = sgx;
      if (pgx == nullptr) continue;
      // d/dx of the normalisation through the batch mean and variance:
      // gx = scale * (gy - mean(gy) - xhat * mean(gy * xhat)).
      const double mg = batch_stats ? sg / count : 0.0, mgx = batch_stats ? sgx / count : 0.0;
      for (int64_t i = 0; i < d.n; ++i)
        for (int64_t k = 0; k < d.s; ++k) {
          const int64_t o = (i * d.c + c) * d.s + k;
          const double xhat = (px[o] - pm[c]) * invstd;
          pgx[o] = static_cast<T>(scale * (pg[o] - mg - xhat * mgx));
        }
    }
  });
}

}  // namespace ember::kernels::reference
