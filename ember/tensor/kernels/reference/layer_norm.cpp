// Per-row layer normalization with double accumulation: the oracle for oneDNN.
#include <cmath>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/layer_norm.h"

namespace ember::kernels::reference {

void layer_norm_forward(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y, Tensor& mean,
                        Tensor& var) {
  dispatch_floating(x.dtype(), "layer_norm", [&]<class T>() {
    const int64_t m = x.size(0), d = x.size(1);
    const T *px = x.data<T>(), *pw = w.defined() ? w.data<T>() : nullptr, *pb = b.defined() ? b.data<T>() : nullptr;
    T *py = y.data<T>(), *pm = mean.data<T>(), *pv = var.data<T>();
    parallel_for(0, m, 16, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const T* row = px + r * d;
        double s = 0, sq = 0;
        for (int64_t j = 0; j < d; ++j) s += row[j];
        const double mu = s / d;
        for (int64_t j = 0; j < d; ++j) sq += (row[j] - mu) * (row[j] - mu);
        const double rs = 1.0 / std::sqrt(sq / d + eps);
        for (int64_t j = 0; j < d; ++j)
          py[r * d + j] = static_cast<T>((row[j] - mu) * rs * (pw ? pw[j] : 1.0) + (pb ? pb[j] : 0.0));
        pm[r] = static_cast<T>(mu);
        pv[r] = static_cast<T>(sq / d);
      }
    });
  });
}

void layer_norm_backward_data(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean,
                              const Tensor& var, double eps, Tensor& gx) {
  dispatch_floating(x.dtype(), "layer_norm", [&]<class T>() {
    const int64_t m = x.size(0), d = x.size(1);
    const T *pg = gy.data<T>(), *px = x.data<T>(), *pw = w.defined() ? w.data<T>() : nullptr;
    const T *pm = mean.data<T>(), *pv = var.data<T>();
    T* pgx = gx.data<T>();
    for (int64_t r = 0; r < m; ++r) {
      const double rs = 1.0 / std::sqrt(static_cast<double>(pv[r]) + eps);
      double mg = 0, mgx = 0;
      for (int64_t j = 0; j < d; ++j) {
        const double g = pg[r * d + j] * (pw ? pw[j] : 1.0), xhat = (px[r * d + j] - pm[r]) * rs;
        mg += g;
        mgx += g * xhat;
      }
      mg /= d;
      mgx /= d;
      for (int64_t j = 0; j < d; ++j) {
        const double g = pg[r * d + j] * (pw ? pw[j] : 1.0), xhat = (px[r * d + j] - pm[r]) * rs;
        pgx[r * d + j] = static_cast<T>(rs * (g - mg - xhat * mgx));
      }
    }
  });
}

void layer_norm_backward_params(const Tensor& gy, const Tensor& x, const Tensor& mean, const Tensor& var, double eps,
                                Tensor& gw, Tensor& gb) {
  if (!gw.defined() && !gb.defined()) return;
  dispatch_floating(x.dtype(), "layer_norm", [&]<class T>() {
    const int64_t m = x.size(0), d = x.size(1);
    const T *pg = gy.data<T>(), *px = x.data<T>(), *pm = mean.data<T>(), *pv = var.data<T>();
    for (int64_t j = 0; j < d; ++j) {
      double sw = 0, sb = 0;
      for (int64_t r = 0; r < m; ++r) {
        const double rs = 1.0 / std::sqrt(static_cast<double>(pv[r]) + eps);
        sw += pg[r * d + j] * (px[r * d + j] - pm[r]) * rs;
        sb += pg[r * d + j];
      }
      if (gw.defined()) gw.data<T>()[j] += static_cast<T>(sw);
      if (gb.defined()) gb.data<T>()[j] += static_cast<T>(sb);
    }
  });
}

}  // namespace ember::kernels::reference
