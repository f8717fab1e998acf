// Float32 batch normalization written directly for contiguous [N, C, S] data. oneDNN 2.6 has no
// JIT kernel for plain NCHW batch norm (its "ncsp" C++ fallback took a quarter of a ResNet-20
// training step); per channel the data is N contiguous rows of S floats, which vectorize well.
// Channels run in parallel; each row is reduced in float, rows are summed in double.
#include <cmath>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/batch_norm.h"

namespace ember::kernels::direct {
namespace {

struct Dims {
  int64_t n, c, s;
};
Dims dims_of(const Tensor& x) { return {x.size(0), x.size(1), x.numel() / (x.size(0) * x.size(1))}; }

double row_sum(const float* __restrict p, int64_t s) {
  float acc = 0;
#pragma omp simd reduction(+ : acc)
  for (int64_t k = 0; k < s; ++k) acc += p[k];
  return acc;
}

double row_centered_sq(const float* __restrict p, int64_t s, float mean) {
  float acc = 0;
#pragma omp simd reduction(+ : acc)
  for (int64_t k = 0; k < s; ++k) acc += (p[k] - mean) * (p[k] - mean);
  return acc;
}

void row_affine(const float* __restrict x, float* __restrict y, int64_t s, float scale, float shift) {
#pragma omp simd
  for (int64_t k = 0; k < s; ++k) y[k] = x[k] * scale + shift;
}

// Per channel over N rows: sum(gy) and sum(gy * (x - mean)).
void channel_grad_sums(const float* gy, const float* x, const Dims& d, int64_t c, float mean, double& sg, double& sgx) {
  sg = 0;
  sgx = 0;
  for (int64_t i = 0; i < d.n; ++i) {
    const float* __restrict g = gy + (i * d.c + c) * d.s;
    const float* __restrict v = x + (i * d.c + c) * d.s;
    float a = 0, b = 0;
#pragma omp simd reduction(+ : a, b)
    for (int64_t k = 0; k < d.s; ++k) {
      a += g[k];
      b += g[k] * (v[k] - mean);
    }
    sg += a;
    sgx += b;
  }
}

}  // namespace

bool supported(const Tensor& x) { return x.dtype() == DType::Float32 && x.is_contiguous() && x.dim() >= 2; }

void batch_norm_forward_training(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var) {
  const Dims d = dims_of(x);
  const float* px = x.data<float>();
  const float* pw = w.defined() ? w.data<float>() : nullptr;
  const float* pb = b.defined() ? b.data<float>() : nullptr;
  float *py = y.data<float>(), *pm = save_mean.data<float>(), *pv = save_var.data<float>();
  const double count = static_cast<double>(d.n * d.s);
  parallel_for(0, d.c, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      double sum = 0;
      for (int64_t i = 0; i < d.n; ++i) sum += row_sum(px + (i * d.c + c) * d.s, d.s);
      const auto mean = static_cast<float>(sum / count);
      // Two passes: the centered sum of squares keeps its precision when |mean| >> std.
      double sq = 0;
      for (int64_t i = 0; i < d.n; ++i) sq += row_centered_sq(px + (i * d.c + c) * d.s, d.s, mean);
      const double var = sq / count, invstd = 1.0 / std::sqrt(var + eps);
      const double scale = (pw ? pw[c] : 1.0) * invstd;
      const double shift = (pb ? pb[c] : 0.0) - static_cast<double>(mean) * scale;
      for (int64_t i = 0; i < d.n; ++i) {
        const int64_t o = (i * d.c + c) * d.s;
        row_affine(px + o, py + o, d.s, static_cast<float>(scale), static_cast<float>(shift));
      }
      pm[c] = mean;
      pv[c] = static_cast<float>(var);
    }
  });
}

void batch_norm_forward_inference(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y) {
  const Dims d = dims_of(x);
  const float* px = x.data<float>();
  const float* pw = w.defined() ? w.data<float>() : nullptr;
  const float* pb = b.defined() ? b.data<float>() : nullptr;
  const float *pm = mean.data<float>(), *pv = var.data<float>();
  float* py = y.data<float>();
  parallel_for(0, d.n * d.c, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t c = r % d.c;
      const double scale = (pw ? pw[c] : 1.0) / std::sqrt(static_cast<double>(pv[c]) + eps);
      const double shift = (pb ? pb[c] : 0.0) - pm[c] * scale;
      row_affine(px + r * d.s, py + r * d.s, d.s, static_cast<float>(scale), static_cast<float>(shift));
    }
  });
}

void batch_norm_backward(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean, const Tensor& var,
                         double eps, bool batch_stats, Tensor* gx, Tensor& sums) {
  const Dims d = dims_of(x);
  const float *pg = gy.data<float>(), *px = x.data<float>();
  const float* pw = w.defined() ? w.data<float>() : nullptr;
  const float *pm = mean.data<float>(), *pv = var.data<float>();
  float* pgx = gx != nullptr ? gx->data<float>() : nullptr;
  double* ps = sums.data<double>();  // [2, C]: sum(gy), sum(gy * xhat)
  const double count = static_cast<double>(d.n * d.s);
  parallel_for(0, d.c, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      const double invstd = 1.0 / std::sqrt(static_cast<double>(pv[c]) + eps);
      double sg, sgx;
      channel_grad_sums(pg, px, d, c, pm[c], sg, sgx);
      ps[c] = sg;
      ps[d.c + c] = sgx * invstd;
      if (pgx == nullptr) continue;
      const double scale = (pw ? pw[c] : 1.0) * invstd;
      // gx = scale * (gy - mean(gy) - xhat * mean(gy * xhat)) with batch statistics, else scale * gy.
      const auto a = static_cast<float>(scale);
      const auto k = batch_stats ? static_cast<float>(scale * invstd * invstd * sgx / count) : 0.0f;
      const auto m = batch_stats ? static_cast<float>(sg / count) : 0.0f;
      const float mu = pm[c];
      for (int64_t i = 0; i < d.n; ++i) {
        const int64_t o = (i * d.c + c) * d.s;
        const float* __restrict g = pg + o;
        const float* __restrict v = px + o;
        float* __restrict out = pgx + o;
#pragma omp simd
        for (int64_t j = 0; j < d.s; ++j) out[j] = a * (g[j] - m) - k * (v[j] - mu);
      }
    }
  });
}

}  // namespace ember::kernels::direct
