// Naive loops: the oracle for the fast kernels.
#include "ember/tensor/kernels/linear.h"

namespace ember::kernels::reference {

void linear_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y) {
  dispatch_floating(x.dtype(), "linear", [&]<class T>() {
    const int64_t n = x.size(0), in = x.size(1), out = w.size(0);
    const Tensor xc = x.contiguous(), wc = w.contiguous();
    const T *px = xc.data<T>(), *pw = wc.data<T>(), *pb = b.defined() ? b.contiguous().data<T>() : nullptr;
    T* py = y.data<T>();
    for (int64_t i = 0; i < n; ++i)
      for (int64_t o = 0; o < out; ++o) {
        double s = pb ? pb[o] : 0.0;
        for (int64_t k = 0; k < in; ++k) s += static_cast<double>(px[i * in + k]) * pw[o * in + k];
        py[i * out + o] = static_cast<T>(s);
      }
  });
}

void linear_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx) {
  dispatch_floating(gy.dtype(), "linear", [&]<class T>() {
    const int64_t n = gy.size(0), out = w.size(0), in = w.size(1);
    const Tensor gc = gy.contiguous(), wc = w.contiguous();
    const T *pg = gc.data<T>(), *pw = wc.data<T>();
    T* px = gx.data<T>();
    for (int64_t i = 0; i < n; ++i)
      for (int64_t k = 0; k < in; ++k) {
        double s = 0;
        for (int64_t o = 0; o < out; ++o) s += static_cast<double>(pg[i * out + o]) * pw[o * in + k];
        px[i * in + k] = static_cast<T>(s);
      }
  });
}

void linear_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb) {
  dispatch_floating(x.dtype(), "linear", [&]<class T>() {
    const int64_t n = x.size(0), in = x.size(1), out = gy.size(1);
    const Tensor xc = x.contiguous(), gc = gy.contiguous();
    const T *px = xc.data<T>(), *pg = gc.data<T>();
    T* pw = gw.data<T>();
    for (int64_t o = 0; o < out; ++o)
      for (int64_t k = 0; k < in; ++k) {
        double s = 0;
        for (int64_t i = 0; i < n; ++i) s += static_cast<double>(pg[i * out + o]) * px[i * in + k];
        pw[o * in + k] += static_cast<T>(s);
      }
    if (gb.defined()) {
      T* pb = gb.data<T>();
      for (int64_t o = 0; o < out; ++o) {
        double s = 0;
        for (int64_t i = 0; i < n; ++i) s += pg[i * out + o];
        pb[o] += static_cast<T>(s);
      }
    }
  });
}

}  // namespace ember::kernels::reference
