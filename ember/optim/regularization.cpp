#include "ember/optim/regularization.h"

#include <cmath>

#include "ember/optim/methods/method_util.h"
#include "ember/tensor/ops.h"

namespace ember::optim {

namespace {
template <class T>
void add_penalty_gradient(const T* w, T* g, int64_t n, T l1, T l2) {
  detail::for_chunks(n, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) {
      const T sign = w[i] > 0 ? T(1) : (w[i] < 0 ? T(-1) : T(0));
      g[i] += l1 * sign + l2 * w[i];
    }
  });
}
}  // namespace

void apply_regularization(nn::Module& model) {
  model.for_each_regularized_parameter([](Tensor& value, Tensor& grad, const nn::Regularizer& r) {
    EMBER_CHECK_SHAPE(grad.defined() && grad.shape() == value.shape(), "[optim.apply_regularization] gradient shape ",
                      grad.shape(), " does not match the parameter shape ", value.shape());
    EMBER_CHECK_TYPE(grad.dtype() == value.dtype(), "[optim.apply_regularization] gradient dtype ", grad.dtype(),
                     " does not match the parameter dtype ", value.dtype());
    if (value.is_contiguous() && grad.is_contiguous()) {
      dispatch_floating(value.dtype(), "optim.apply_regularization", [&]<class T>() {
        add_penalty_gradient(value.data<T>(), grad.data<T>(), value.numel(), static_cast<T>(r.l1),
                             static_cast<T>(r.l2));
      });
      return;
    }
    if (r.l1 != 0) add_(grad, sign(value), r.l1);
    if (r.l2 != 0) add_(grad, value, r.l2);
  });
}

double regularization_loss(nn::Module& model) {
  double total = 0;
  model.for_each_regularized_parameter([&](Tensor& value, Tensor&, const nn::Regularizer& r) {
    const Tensor w = value.contiguous();
    if (r.l1 != 0) total += r.l1 * detail::sum_abs(w);
    if (r.l2 != 0) total += 0.5 * r.l2 * detail::dot(w, w);
  });
  return total;
}

}  // namespace ember::optim
