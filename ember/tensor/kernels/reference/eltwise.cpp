// Scalar formulas written for clarity: the oracle for the oneDNN kernels.
#include <cmath>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/eltwise.h"

namespace ember::kernels::reference {

namespace {
template <class T>
T forward_one(const EltwiseParams& p, T x) {
  const T a = static_cast<T>(p.alpha), b = static_cast<T>(p.beta);
  switch (p.alg) {
    case Eltwise::ReLU: return x > 0 ? x : T(0);
    case Eltwise::LeakyReLU: return x > 0 ? x : a * x;
    case Eltwise::ELU: return x > 0 ? x : a * std::expm1(x);
    case Eltwise::Tanh: return std::tanh(x);
    case Eltwise::Sigmoid: return T(1) / (T(1) + std::exp(-x));
    case Eltwise::HardTanh: return x < a ? a : (x > b ? b : x);
    case Eltwise::SoftPlus: return b * x > a ? x : std::log1p(std::exp(b * x)) / b;
    case Eltwise::SoftSign: return x / (T(1) + std::abs(x));
  }
  return x;
}

// Derivative from the input x (and the output y where the formula reads it).
template <class T>
T derivative(const EltwiseParams& p, T x, T y) {
  const T a = static_cast<T>(p.alpha), b = static_cast<T>(p.beta);
  switch (p.alg) {
    case Eltwise::ReLU: return y > 0 ? T(1) : T(0);
    case Eltwise::LeakyReLU: return x > 0 ? T(1) : a;
    case Eltwise::ELU: return eltwise_backward_uses_output(p) ? (y > 0 ? T(1) : y + a) : (x > 0 ? T(1) : a * std::exp(x));
    case Eltwise::Tanh: return T(1) - y * y;
    case Eltwise::Sigmoid: return y * (T(1) - y);
    case Eltwise::HardTanh: return (x <= a || x >= b) ? T(0) : T(1);
    case Eltwise::SoftPlus: {
      if (b * x > a) return T(1);
      const T z = std::exp(b * x);
      return z / (z + T(1));
    }
    case Eltwise::SoftSign: {
      const T d = T(1) + std::abs(x);
      return T(1) / (d * d);
    }
  }
  return T(0);
}
}  // namespace

void eltwise_forward(const EltwiseParams& p, const Tensor& x, Tensor& y) {
  dispatch_floating(x.dtype(), "eltwise", [&]<class T>() {
    const Tensor xc = x.contiguous();
    const T* px = xc.data<T>();
    T* py = y.data<T>();
    parallel_for(0, x.numel(), 16384, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) py[i] = forward_one(p, px[i]);
    });
  });
}

void eltwise_backward(const EltwiseParams& p, const Tensor& x, const Tensor& y, const Tensor& gy, Tensor& gx) {
  dispatch_floating(gy.dtype(), "eltwise", [&]<class T>() {
    const bool from_y = eltwise_backward_uses_output(p);
    const Tensor src = (from_y ? y : x).contiguous(), gc = gy.contiguous();
    const T *ps = src.data<T>(), *pg = gc.data<T>();
    T* pgx = gx.data<T>();
    parallel_for(0, gy.numel(), 16384, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T d = from_y ? derivative<T>(p, T(0), ps[i]) : derivative<T>(p, ps[i], T(0));
        pgx[i] = d * pg[i];
      }
    });
  });
}

}  // namespace ember::kernels::reference
