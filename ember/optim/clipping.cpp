#include "ember/optim/clipping.h"

#include <algorithm>
#include <cmath>

#include "ember/optim/methods/method_util.h"
#include "ember/tensor/ops.h"

namespace ember::optim {

namespace {
// PyTorch adds this to the norm before dividing (clip_grad_norm_).
constexpr double kNormEps = 1e-6;

void check_grad(const char* op, const Tensor& grad) {
  EMBER_CHECK(grad.defined(), "[optim.", op, "] gradient is undefined");
  EMBER_CHECK_TYPE(grad.dtype() == DType::Float32 || grad.dtype() == DType::Float64, "[optim.", op,
                   "] gradient must be float32 or float64, got ", grad.dtype());
}
}  // namespace

void clip_by_value(Tensor& grad, double min, double max) {
  check_grad("clip_by_value", grad);
  EMBER_CHECK(min <= max, "[optim.clip_by_value] min must be <= max, got min=", min, ", max=", max);
  if (!grad.is_contiguous()) {
    grad.copy_(clamp(grad, min, max));
    return;
  }
  dispatch_floating(grad.dtype(), "optim.clip_by_value", [&]<class T>() {
    T* g = grad.data<T>();
    const T lo = static_cast<T>(min), hi = static_cast<T>(max);
    detail::for_chunks(grad.numel(), [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) g[i] = std::min(std::max(g[i], lo), hi);
    });
  });
}

double squared_norm(const Tensor& grad) {
  check_grad("squared_norm", grad);
  const Tensor g = grad.contiguous();
  return detail::dot(g, g);
}

double clip_by_global_norm(Tensor& grad, double max_norm) {
  return clip_by_global_norm(grad, max_norm, squared_norm(grad));
}

double clip_by_global_norm(Tensor& grad, double max_norm, double squared_norm) {
  check_grad("clip_by_global_norm", grad);
  EMBER_CHECK(max_norm > 0, "[optim.clip_by_global_norm] max_norm must be > 0, got ", max_norm);
  EMBER_CHECK(!(squared_norm < 0), "[optim.clip_by_global_norm] squared_norm must be >= 0, got ", squared_norm);
  const double norm = std::sqrt(squared_norm);
  if (!std::isfinite(norm)) return norm;
  const double coef = max_norm / (norm + kNormEps);
  if (coef < 1.0) {
    if (grad.is_contiguous()) {
      dispatch_floating(grad.dtype(), "optim.clip_by_global_norm", [&]<class T>() {
        T* g = grad.data<T>();
        const T c = static_cast<T>(coef);
        detail::for_chunks(grad.numel(), [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i) g[i] *= c;
        });
      });
    } else {
      mul_(grad, coef);
    }
  }
  return norm;
}

}  // namespace ember::optim
