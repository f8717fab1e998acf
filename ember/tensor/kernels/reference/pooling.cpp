// Naive pooling loops over (n, c) planes: the oracle for the oneDNN kernels.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/pooling.h"

namespace ember::kernels::reference {

void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& indices) {
  indices.resize_(y.shape(), DType::Int64);
  dispatch_floating(x.dtype(), "max_pool2d", [&]<class T>() {
    const int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    int64_t* pi = indices.data<int64_t>();
    parallel_for(0, planes, 1, [&](int64_t b, int64_t e) {
      for (int64_t pl = b; pl < e; ++pl) {
        const T* in = px + pl * h * w;
        for (int64_t oy = 0; oy < p.oh; ++oy)
          for (int64_t ox = 0; ox < p.ow; ++ox) {
            const int64_t y0 = oy * p.sh - p.ph, x0 = ox * p.sw - p.pw;
            T best = -std::numeric_limits<T>::infinity();
            int64_t arg = -1;
            for (int64_t iy = std::max<int64_t>(y0, 0); iy < std::min(y0 + p.kh, h); ++iy)
              for (int64_t ix = std::max<int64_t>(x0, 0); ix < std::min(x0 + p.kw, w); ++ix) {
                const T v = in[iy * w + ix];
                if (arg < 0 || v > best || std::isnan(v)) {  // first maximum wins, NaN propagates (PyTorch)
                  best = v;
                  arg = iy * w + ix;
                }
              }
            const int64_t o = pl * p.oh * p.ow + oy * p.ow + ox;
            py[o] = best;
            pi[o] = arg;
          }
      }
    });
  });
}

void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& indices, Tensor& gx) {
  dispatch_floating(gy.dtype(), "max_pool2d", [&]<class T>() {
    const int64_t planes = gx.size(0) * gx.size(1), hw = gx.size(2) * gx.size(3);
    const Tensor gc = gy.contiguous();
    const T* pg = gc.data<T>();
    const int64_t* pi = indices.data<int64_t>();
    T* px = gx.data<T>();
    std::fill(px, px + planes * hw, T(0));
    for (int64_t pl = 0; pl < planes; ++pl)
      for (int64_t o = 0; o < p.oh * p.ow; ++o) {
        const int64_t i = pi[pl * p.oh * p.ow + o];
        if (i >= 0) px[pl * hw + i] += pg[pl * p.oh * p.ow + o];
      }
  });
}

namespace {
// PyTorch's divisor: the window clipped to the padded input (so ceil_mode overhang never counts),
// then, without count_include_pad, clipped to the input itself.
struct Window {
  int64_t y0, y1, x0, x1, divisor;
};
Window avg_window(const Pool2dParams& p, int64_t h, int64_t w, int64_t oy, int64_t ox) {
  int64_t y0 = oy * p.sh - p.ph, x0 = ox * p.sw - p.pw;
  int64_t y1 = std::min(y0 + p.kh, h + p.ph), x1 = std::min(x0 + p.kw, w + p.pw);
  const int64_t padded = (y1 - y0) * (x1 - x0);
  y0 = std::max<int64_t>(y0, 0);
  x0 = std::max<int64_t>(x0, 0);
  y1 = std::min(y1, h);
  x1 = std::min(x1, w);
  return {y0, y1, x0, x1, p.count_include_pad ? padded : (y1 - y0) * (x1 - x0)};
}
}  // namespace

void avg_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y) {
  dispatch_floating(x.dtype(), "avg_pool2d", [&]<class T>() {
    const int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    parallel_for(0, planes, 1, [&](int64_t b, int64_t e) {
      for (int64_t pl = b; pl < e; ++pl)
        for (int64_t oy = 0; oy < p.oh; ++oy)
          for (int64_t ox = 0; ox < p.ow; ++ox) {
            const Window win = avg_window(p, h, w, oy, ox);
            double s = 0;
            for (int64_t iy = win.y0; iy < win.y1; ++iy)
              for (int64_t ix = win.x0; ix < win.x1; ++ix) s += px[pl * h * w + iy * w + ix];
            py[pl * p.oh * p.ow + oy * p.ow + ox] = static_cast<T>(win.divisor > 0 ? s / win.divisor : 0.0);
          }
    });
  });
}

void avg_pool2d_backward(const Tensor& gy, const Pool2dParams& p, Tensor& gx) {
  dispatch_floating(gy.dtype(), "avg_pool2d", [&]<class T>() {
    const int64_t planes = gx.size(0) * gx.size(1), h = gx.size(2), w = gx.size(3);
    const Tensor gc = gy.contiguous();
    const T* pg = gc.data<T>();
    T* px = gx.data<T>();
    std::fill(px, px + planes * h * w, T(0));
    for (int64_t pl = 0; pl < planes; ++pl)
      for (int64_t oy = 0; oy < p.oh; ++oy)
        for (int64_t ox = 0; ox < p.ow; ++ox) {
          const Window win = avg_window(p, h, w, oy, ox);
          if (win.divisor <= 0) continue;
          const T g = static_cast<T>(pg[pl * p.oh * p.ow + oy * p.ow + ox] / static_cast<double>(win.divisor));
          for (int64_t iy = win.y0; iy < win.y1; ++iy)
            for (int64_t ix = win.x0; ix < win.x1; ++ix) px[pl * h * w + iy * w + ix] += g;
        }
  });
}

namespace {
int64_t start_index(int64_t i, int64_t out, int64_t in) { return (i * in) / out; }
int64_t end_index(int64_t i, int64_t out, int64_t in) { return ((i + 1) * in + out - 1) / out; }
}  // namespace

void adaptive_avg_pool2d_forward(const Tensor& x, Tensor& y) {
  dispatch_floating(x.dtype(), "adaptive_avg_pool2d", [&]<class T>() {
    const int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3), oh = y.size(2), ow = y.size(3);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    for (int64_t pl = 0; pl < planes; ++pl)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          const int64_t y0 = start_index(oy, oh, h), y1 = end_index(oy, oh, h);
          const int64_t x0 = start_index(ox, ow, w), x1 = end_index(ox, ow, w);
          double s = 0;
          for (int64_t iy = y0; iy < y1; ++iy)
            for (int64_t ix = x0; ix < x1; ++ix) s += px[pl * h * w + iy * w + ix];
          py[pl * oh * ow + oy * ow + ox] = static_cast<T>(s / static_cast<double>((y1 - y0) * (x1 - x0)));
        }
  });
}

void adaptive_avg_pool2d_backward(const Tensor& gy, Tensor& gx) {
  dispatch_floating(gy.dtype(), "adaptive_avg_pool2d", [&]<class T>() {
    const int64_t planes = gx.size(0) * gx.size(1), h = gx.size(2), w = gx.size(3), oh = gy.size(2), ow = gy.size(3);
    const Tensor gc = gy.contiguous();
    const T* pg = gc.data<T>();
    T* px = gx.data<T>();
    std::fill(px, px + planes * h * w, T(0));
    for (int64_t pl = 0; pl < planes; ++pl)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          const int64_t y0 = start_index(oy, oh, h), y1 = end_index(oy, oh, h);
          const int64_t x0 = start_index(ox, ow, w), x1 = end_index(ox, ow, w);
          const T g = static_cast<T>(pg[pl * oh * ow + oy * ow + ox] / static_cast<double>((y1 - y0) * (x1 - x0)));
          for (int64_t iy = y0; iy < y1; ++iy)
            for (int64_t ix = x0; ix < x1; ++ix) px[pl * h * w + iy * w + ix] += g;
        }
  });
}

}  // namespace ember::kernels::reference
