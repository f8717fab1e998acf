// Naive cross-channel LRN; the backward pass recomputes the scale instead of keeping it.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ember/tensor/kernels/lrn.h"

namespace ember::kernels::reference {

namespace {
// scale[c] = k + alpha/size * sum of x^2 over the window of channel c, at one (n, s) position.
template <class T>
void window_scale(const T* x, int64_t c_count, int64_t stride, const LrnParams& p, std::vector<double>& scale) {
  const int64_t before = p.size / 2, after = (p.size - 1) / 2;
  for (int64_t c = 0; c < c_count; ++c) {
    double s = 0;
    for (int64_t j = std::max<int64_t>(0, c - before); j <= std::min(c_count - 1, c + after); ++j)
      s += static_cast<double>(x[j * stride]) * x[j * stride];
    scale[c] = p.k + p.alpha / static_cast<double>(p.size) * s;
  }
}
}  // namespace

void lrn_forward(const Tensor& x, const LrnParams& p, Tensor& y, Tensor& workspace) {
  workspace = Tensor();
  dispatch_floating(x.dtype(), "lrn", [&]<class T>() {
    const int64_t n = x.size(0), c = x.size(1), s = x.numel() / std::max<int64_t>(1, n * c);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    std::vector<double> scale(c);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t k = 0; k < s; ++k) {
        const int64_t base = i * c * s + k;
        window_scale(px + base, c, s, p, scale);
        for (int64_t ch = 0; ch < c; ++ch)
          py[base + ch * s] = static_cast<T>(px[base + ch * s] * std::pow(scale[ch], -p.beta));
      }
  });
}

void lrn_backward(const Tensor& gy, const Tensor& x, const LrnParams& p, Tensor& gx) {
  dispatch_floating(x.dtype(), "lrn", [&]<class T>() {
    const int64_t n = x.size(0), c = x.size(1), s = x.numel() / std::max<int64_t>(1, n * c);
    const int64_t before = p.size / 2, after = (p.size - 1) / 2;
    const Tensor gc = gy.contiguous();
    const T *px = x.data<T>(), *pg = gc.data<T>();
    T* pgx = gx.data<T>();
    std::vector<double> scale(c), t(c);
    const double coef = 2.0 * p.beta * p.alpha / static_cast<double>(p.size);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t k = 0; k < s; ++k) {
        const int64_t base = i * c * s + k;
        window_scale(px + base, c, s, p, scale);
        // t[c] = gy[c] * x[c] * scale[c]^(-beta-1); channel j receives t from every c whose window holds j.
        for (int64_t ch = 0; ch < c; ++ch)
          t[ch] = pg[base + ch * s] * static_cast<double>(px[base + ch * s]) * std::pow(scale[ch], -p.beta - 1.0);
        for (int64_t j = 0; j < c; ++j) {
          double acc = 0;
          for (int64_t ch = std::max<int64_t>(0, j - after); ch <= std::min(c - 1, j + before); ++ch) acc += t[ch];
          pgx[base + j * s] =
              static_cast<T>(pg[base + j * s] * std::pow(scale[j], -p.beta) - coef * px[base + j * s] * acc);
        }
      }
  });
}

}  // namespace ember::kernels::reference
