// Naive direct loops: the oracle for the oneDNN kernels. Transposed convolution is the adjoint of
// convolution, so its kernels reuse the convolution loops with the roles of x and y swapped.
#include <algorithm>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/conv2d.h"

namespace ember::kernels::reference {

namespace {
// Sizes of one convolution: x [n, c, h, w], weight [o, c/g, kh, kw], y [n, o, oh, ow].
struct Geometry {
  int64_t n, c, h, w, o, kh, kw, oh, ow, g, cg, og;
};

Geometry geometry(const Tensor& x, const Tensor& weight, const Tensor& y, const Conv2dParams& p) {
  Geometry s{x.size(0), x.size(1), x.size(2), x.size(3), y.size(1), weight.size(2), weight.size(3),
             y.size(2), y.size(3), p.groups, 0, 0};
  s.cg = s.c / s.g;
  s.og = s.o / s.g;
  return s;
}

// Calls f(ih, iw, kh, kw) for every kernel tap of output pixel (oy, ox) that lands inside the input.
template <class F>
inline void for_each_tap(const Geometry& s, const Conv2dParams& p, int64_t oy, int64_t ox, F&& f) {
  for (int64_t i = 0; i < s.kh; ++i) {
    const int64_t iy = oy * p.stride_h - p.pad_h + i * p.dilation_h;
    if (iy < 0 || iy >= s.h) continue;
    for (int64_t j = 0; j < s.kw; ++j) {
      const int64_t ix = ox * p.stride_w - p.pad_w + j * p.dilation_w;
      if (ix < 0 || ix >= s.w) continue;
      f(iy, ix, i, j);
    }
  }
}

// A parallel_for grain that gives each chunk ~64K multiply-adds: tiny problems (gradient checks)
// stay on the calling thread instead of paying for a parallel region per call.
int64_t grain_for(int64_t work_per_item) {
  return std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(work_per_item, 1));
}

// grad_b += sum of gy over N, H, W.
template <class T>
void accumulate_bias_grad(const Tensor& gy, Tensor& gb) {
  const Tensor gc = gy.contiguous();
  const int64_t n = gy.size(0), o = gy.size(1), hw = gy.size(2) * gy.size(3);
  const T* pg = gc.data<T>();
  T* pb = gb.data<T>();
  for (int64_t oc = 0; oc < o; ++oc) {
    double acc = 0;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t k = 0; k < hw; ++k) acc += pg[(b * o + oc) * hw + k];
    pb[oc] += static_cast<T>(acc);
  }
}

template <class T>
void forward_impl(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& y, const Conv2dParams& p) {
  const Geometry s = geometry(x, weight, y, p);
  const Tensor xc = x.contiguous(), wc = weight.contiguous();
  const Tensor bc = bias.defined() ? bias.contiguous() : Tensor();
  const T *px = xc.data<T>(), *pw = wc.data<T>(), *pb = bc.defined() ? bc.data<T>() : nullptr;
  T* py = y.data<T>();
  const int64_t macs = s.oh * s.ow * s.cg * s.kh * s.kw;
  parallel_for(0, s.n * s.o, grain_for(macs), [&](int64_t lo, int64_t hi) {
    for (int64_t no = lo; no < hi; ++no) {
      const int64_t b = no / s.o, oc = no % s.o, g = oc / s.og;
      for (int64_t oy = 0; oy < s.oh; ++oy)
        for (int64_t ox = 0; ox < s.ow; ++ox) {
          double acc = pb ? pb[oc] : 0.0;
          for (int64_t ci = 0; ci < s.cg; ++ci) {
            const T* xp = px + (b * s.c + g * s.cg + ci) * s.h * s.w;
            const T* wp = pw + (oc * s.cg + ci) * s.kh * s.kw;
            for_each_tap(s, p, oy, ox, [&](int64_t iy, int64_t ix, int64_t i, int64_t j) {
              acc += static_cast<double>(xp[iy * s.w + ix]) * wp[i * s.kw + j];
            });
          }
          py[(no * s.oh + oy) * s.ow + ox] = static_cast<T>(acc);
        }
    }
  });
}

template <class T>
void backward_data_impl(const Tensor& gy, const Tensor& weight, Tensor& gx, const Conv2dParams& p) {
  const Geometry s = geometry(gx, weight, gy, p);
  const Tensor gc = gy.contiguous(), wc = weight.contiguous();
  const T *pg = gc.data<T>(), *pw = wc.data<T>();
  T* px = gx.data<T>();
  // Each batch item writes its own slice of grad_x, so batches run in parallel without races.
  const int64_t macs = s.o * s.oh * s.ow * s.cg * s.kh * s.kw;
  parallel_for(0, s.n, grain_for(macs), [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      T* xb = px + b * s.c * s.h * s.w;
      std::fill(xb, xb + s.c * s.h * s.w, T(0));
      for (int64_t oc = 0; oc < s.o; ++oc) {
        const int64_t g = oc / s.og;
        for (int64_t oy = 0; oy < s.oh; ++oy)
          for (int64_t ox = 0; ox < s.ow; ++ox) {
            const double go = pg[((b * s.o + oc) * s.oh + oy) * s.ow + ox];
            for (int64_t ci = 0; ci < s.cg; ++ci) {
              T* xp = xb + (g * s.cg + ci) * s.h * s.w;
              const T* wp = pw + (oc * s.cg + ci) * s.kh * s.kw;
              for_each_tap(s, p, oy, ox, [&](int64_t iy, int64_t ix, int64_t i, int64_t j) {
                xp[iy * s.w + ix] += static_cast<T>(go * wp[i * s.kw + j]);
              });
            }
          }
      }
    }
  });
}

template <class T>
void backward_weights_impl(const Tensor& x, const Tensor& gy, Tensor& gw, const Conv2dParams& p) {
  const Geometry s = geometry(x, gw, gy, p);
  const Tensor xc = x.contiguous(), gc = gy.contiguous();
  const T *px = xc.data<T>(), *pg = gc.data<T>();
  T* pw = gw.data<T>();
  // Each output channel owns its slice of grad_w.
  const int64_t macs = s.n * s.oh * s.ow * s.cg * s.kh * s.kw;
  parallel_for(0, s.o, grain_for(macs), [&](int64_t lo, int64_t hi) {
    std::vector<double> acc(static_cast<size_t>(s.cg * s.kh * s.kw));
    for (int64_t oc = lo; oc < hi; ++oc) {
      const int64_t g = oc / s.og;
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t b = 0; b < s.n; ++b)
        for (int64_t oy = 0; oy < s.oh; ++oy)
          for (int64_t ox = 0; ox < s.ow; ++ox) {
            const double go = pg[((b * s.o + oc) * s.oh + oy) * s.ow + ox];
            for (int64_t ci = 0; ci < s.cg; ++ci) {
              const T* xp = px + (b * s.c + g * s.cg + ci) * s.h * s.w;
              double* ap = acc.data() + ci * s.kh * s.kw;
              for_each_tap(s, p, oy, ox, [&](int64_t iy, int64_t ix, int64_t i, int64_t j) {
                ap[i * s.kw + j] += go * xp[iy * s.w + ix];
              });
            }
          }
      T* wp = pw + oc * s.cg * s.kh * s.kw;
      for (size_t k = 0; k < acc.size(); ++k) wp[k] += static_cast<T>(acc[k]);
    }
  });
}
}  // namespace

void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  dispatch_floating(x.dtype(), "conv2d", [&]<class T>() { forward_impl<T>(x, w, b, y, p); });
}

void conv2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  dispatch_floating(gy.dtype(), "conv2d", [&]<class T>() { backward_data_impl<T>(gy, w, gx, p); });
}

void conv2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb, const Conv2dParams& p) {
  dispatch_floating(x.dtype(), "conv2d", [&]<class T>() {
    backward_weights_impl<T>(x, gy, gw, p);
    if (gb.defined()) accumulate_bias_grad<T>(gy, gb);
  });
}

// Transposed convolution y = A^T x, where A is the convolution from y's space [N, O, OH, OW] to
// x's space [N, C, H, W] with weight [C, O/g, kH, kW]: exactly the layout the layer stores.
void conv_transpose2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  dispatch_floating(x.dtype(), "conv_transpose2d", [&]<class T>() {
    backward_data_impl<T>(x, w, y, p);
    if (!b.defined()) return;
    const Tensor bc = b.contiguous();
    const T* pb = bc.data<T>();
    T* py = y.data<T>();
    const int64_t n = y.size(0), o = y.size(1), hw = y.size(2) * y.size(3);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t oc = 0; oc < o; ++oc)
        for (int64_t k = 0; k < hw; ++k) py[(i * o + oc) * hw + k] += pb[oc];
  });
}

void conv_transpose2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  dispatch_floating(gy.dtype(), "conv_transpose2d", [&]<class T>() { forward_impl<T>(gy, w, Tensor(), gx, p); });
}

void conv_transpose2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb,
                                       const Conv2dParams& p) {
  dispatch_floating(x.dtype(), "conv_transpose2d", [&]<class T>() {
    // A's input is the transposed convolution's grad_y, A's output gradient is its x.
    backward_weights_impl<T>(gy, x, gw, p);
    if (gb.defined()) accumulate_bias_grad<T>(gy, gb);
  });
}

}  // namespace ember::kernels::reference
