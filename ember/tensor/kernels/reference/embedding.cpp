// Row gathers/scatters. The backward runs serially: several indices may hit one row.
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/embedding.h"

namespace ember::kernels::reference {

void embedding_forward(const Tensor& w, const Tensor& idx, Tensor& out) {
  dispatch_floating(w.dtype(), "embedding", [&]<class T>() {
    const int64_t n = idx.numel(), dim = w.size(1), rs = w.stride(0), cs = w.stride(1);
    const int64_t* pi = idx.data<int64_t>();
    const T* pw = w.data<T>();
    T* po = out.data<T>();
    parallel_for(0, n, 64, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T* row = pw + pi[i] * rs;
        for (int64_t j = 0; j < dim; ++j) po[i * dim + j] = row[j * cs];
      }
    });
  });
}

void embedding_backward(const Tensor& idx, const Tensor& g, Tensor& gw, int64_t padding_idx, bool scale) {
  dispatch_floating(gw.dtype(), "embedding", [&]<class T>() {
    g.check_dtype(gw.dtype(), "embedding");
    const int64_t n = idx.numel(), dim = gw.size(1);
    const int64_t* pi = idx.data<int64_t>();
    const T* pg = g.data<T>();
    T* pw = gw.data<T>();
    std::unordered_map<int64_t, int64_t> counts;
    if (scale)
      for (int64_t i = 0; i < n; ++i) ++counts[pi[i]];
    for (int64_t i = 0; i < n; ++i) {
      if (pi[i] == padding_idx) continue;
      const T f = scale ? T(1) / static_cast<T>(counts[pi[i]]) : T(1);
      T* row = pw + pi[i] * gw.stride(0);
      const T* src = pg + i * g.stride(0);
      for (int64_t j = 0; j < dim; ++j) row[j * gw.stride(1)] += f * src[j * g.stride(1)];
    }
  });
}

void embedding_renorm(Tensor& w, const Tensor& idx, double max_norm, double norm_type) {
  dispatch_floating(w.dtype(), "embedding_renorm", [&]<class T>() {
    const int64_t n = idx.numel(), dim = w.size(1);
    std::vector<int64_t> rows(idx.data<int64_t>(), idx.data<int64_t>() + n);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    T* pw = w.data<T>();
    for (int64_t r : rows) {
      T* row = pw + r * w.stride(0);
      double norm = 0;
      for (int64_t j = 0; j < dim; ++j) {
        const double v = std::abs(static_cast<double>(row[j * w.stride(1)]));
        norm += norm_type == 1.0 ? v : norm_type == 2.0 ? v * v : std::pow(v, norm_type);
      }
      norm = norm_type == 1.0 ? norm : norm_type == 2.0 ? std::sqrt(norm) : std::pow(norm, 1.0 / norm_type);
      if (norm > max_norm) {
        const double s = max_norm / (norm + 1e-7);
        for (int64_t j = 0; j < dim; ++j) row[j * w.stride(1)] = static_cast<T>(row[j * w.stride(1)] * s);
      }
    }
  });
}

}  // namespace ember::kernels::reference
