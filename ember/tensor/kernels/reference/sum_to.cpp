// Accumulates through the expanded (stride-0) view of `out`; run serially because several g
// elements land on one out element.
#include <limits>

#include "ember/tensor/iter.h"
#include "ember/tensor/kernels/sum_to.h"

namespace ember::kernels::reference {

void sum_to(const Tensor& g, Tensor& out) {
  out.zero_();
  const Tensor e = out.expand(g.shape());
  dispatch_floating(g.dtype(), "sum_to", [&]<class T>() {
    out.check_dtype(g.dtype(), "sum_to");
    T* po = static_cast<T*>(e.raw_data());
    const T* pg = g.data<T>();
    constexpr int64_t kSerial = std::numeric_limits<int64_t>::max() / 4;
    ember::detail::strided_loop<2>(
        g.shape(), {e.strides(), g.strides()},
        [&](int64_t n, auto offs, auto inner) {
          T* o = po + offs[0];
          const T* s = pg + offs[1];
          for (int64_t i = 0; i < n; ++i) o[i * inner[0]] += s[i * inner[1]];
        },
        kSerial);
  });
}

}  // namespace ember::kernels::reference
