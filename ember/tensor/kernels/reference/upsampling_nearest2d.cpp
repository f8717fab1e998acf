// Plain loops over (n, c) planes, parallel over planes; strided input is read in place.
#include "ember/core/parallel.h"
#include "ember/tensor/kernels/upsampling_nearest2d.h"

namespace ember::kernels::reference {

void upsampling_nearest2d_forward(const Tensor& x, int64_t sh, int64_t sw, Tensor& y) {
  dispatch_floating(x.dtype(), "upsampling_nearest2d", [&]<class T>() {
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const int64_t s0 = x.stride(0), s1 = x.stride(1), s2 = x.stride(2), s3 = x.stride(3);
    const int64_t oh = h * sh, ow = w * sw;
    const T* px = x.data<T>();
    T* py = y.data<T>();
    parallel_for(0, n * c, 16, [&](int64_t lo, int64_t hi) {
      for (int64_t p = lo; p < hi; ++p) {
        const T* src = px + (p / c) * s0 + (p % c) * s1;
        T* dst = py + p * oh * ow;
        for (int64_t i = 0; i < oh; ++i)
          for (int64_t j = 0; j < ow; ++j) dst[i * ow + j] = src[(i / sh) * s2 + (j / sw) * s3];
      }
    });
  });
}

void upsampling_nearest2d_backward(const Tensor& gy, int64_t sh, int64_t sw, Tensor& gx) {
  dispatch_floating(gy.dtype(), "upsampling_nearest2d", [&]<class T>() {
    const int64_t n = gx.size(0), c = gx.size(1), h = gx.size(2), w = gx.size(3);
    const int64_t s0 = gy.stride(0), s1 = gy.stride(1), s2 = gy.stride(2), s3 = gy.stride(3);
    const T* pg = gy.data<T>();
    T* px = gx.data<T>();
    parallel_for(0, n * c, 16, [&](int64_t lo, int64_t hi) {
      for (int64_t p = lo; p < hi; ++p) {
        const T* src = pg + (p / c) * s0 + (p % c) * s1;
        T* dst = px + p * h * w;
        for (int64_t i = 0; i < h; ++i)
          for (int64_t j = 0; j < w; ++j) {
            T s = 0;
            for (int64_t a = 0; a < sh; ++a)
              for (int64_t b = 0; b < sw; ++b) s += src[(i * sh + a) * s2 + (j * sw + b) * s3];
            dst[i * w + j] = s;
          }
      }
    });
  });
}

}  // namespace ember::kernels::reference
