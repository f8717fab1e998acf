#include "ember/tensor/kernels/prelu.h"

#include <array>

#include "ember/tensor/iter.h"

namespace ember::kernels {

void prelu_forward(const Tensor& x, const Tensor& w, Tensor& y) {
  dispatch_floating(x.dtype(), "prelu", [&]<class T>() {
    T* py = y.data<T>();
    const T *px = x.data<T>(), *pw = w.data<T>();
    detail::strided_loop<3>(x.shape(), {y.strides(), x.strides(), w.strides()},
                            [&](int64_t n, const std::array<int64_t, 3>& o, const std::array<int64_t, 3>& s) {
                              for (int64_t i = 0; i < n; ++i) {
                                const T v = px[o[1] + i * s[1]];
                                py[o[0] + i * s[0]] = v > 0 ? v : pw[o[2] + i * s[2]] * v;
                              }
                            });
  });
}

void prelu_backward_data(const Tensor& x, const Tensor& w, const Tensor& gy, Tensor& gx) {
  dispatch_floating(x.dtype(), "prelu", [&]<class T>() {
    T* pgx = gx.data<T>();
    const T *px = x.data<T>(), *pw = w.data<T>(), *pg = gy.data<T>();
    detail::strided_loop<4>(x.shape(), {gx.strides(), x.strides(), w.strides(), gy.strides()},
                            [&](int64_t n, const std::array<int64_t, 4>& o, const std::array<int64_t, 4>& s) {
                              for (int64_t i = 0; i < n; ++i) {
                                const T g = pg[o[3] + i * s[3]];
                                pgx[o[0] + i * s[0]] = px[o[1] + i * s[1]] > 0 ? g : pw[o[2] + i * s[2]] * g;
                              }
                            });
  });
}

void prelu_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw) {
  dispatch_floating(x.dtype(), "prelu", [&]<class T>() {
    const Tensor wv = gw.expand(x.shape());
    T* pw = wv.data<T>();
    const T *px = x.data<T>(), *pg = gy.data<T>();
    // Many elements share one weight: run serially (the huge grain keeps strided_loop inline).
    detail::strided_loop<3>(
        x.shape(), {wv.strides(), x.strides(), gy.strides()},
        [&](int64_t n, const std::array<int64_t, 3>& o, const std::array<int64_t, 3>& s) {
          for (int64_t i = 0; i < n; ++i) {
            const T v = px[o[1] + i * s[1]];
            if (!(v > 0)) pw[o[0] + i * s[0]] += v * pg[o[2] + i * s[2]];
          }
        },
        int64_t{1} << 60);
  });
}

}  // namespace ember::kernels
