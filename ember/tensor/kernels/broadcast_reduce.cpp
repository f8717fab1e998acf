#include "ember/tensor/kernels/broadcast_reduce.h"

#include <array>

#include "ember/tensor/iter.h"

namespace ember::kernels {

Shape align_right(const Shape& shape, int64_t ndim) {
  Shape out;
  for (int64_t i = shape.size(); i < ndim; ++i) out.push_back(1);
  for (int64_t d : shape) out.push_back(d);
  return out;
}

bool broadcasts_to(const Shape& shape, const Shape& target) {
  if (shape.size() > target.size()) return false;
  const int64_t off = target.size() - shape.size();
  for (int64_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1 && shape[i] != target[i + off]) return false;
  return true;
}

void accumulate_broadcast_sum(const Tensor& a, const Tensor& b, Tensor& dst) {
  dispatch_floating(a.dtype(), "broadcast_sum", [&]<class T>() {
    const Tensor dv = dst.view(align_right(dst.shape(), a.dim())).expand(a.shape());
    const Tensor& bb = b.defined() ? b : a;
    T* pd = dst.data<T>();
    const T *pa = a.data<T>(), *pb = bb.data<T>();
    const bool product = b.defined();
    // Several input elements land on one dst element: run serially (the huge grain keeps it inline).
    detail::strided_loop<3>(
        a.shape(), {dv.strides(), a.strides(), bb.strides()},
        [&](int64_t n, const std::array<int64_t, 3>& o, const std::array<int64_t, 3>& s) {
          for (int64_t i = 0; i < n; ++i) {
            const T v = pa[o[1] + i * s[1]];
            pd[o[0] + i * s[0]] += product ? v * pb[o[2] + i * s[2]] : v;
          }
        },
        int64_t{1} << 60);
  });
}

}  // namespace ember::kernels
