// oneDNN softmax/logsoftmax on the [outer, n, inner] view (axis 1), cached per thread.
#include "ember/tensor/kernels/softmax.h"

#ifdef EMBER_USE_ONEDNN
#include "ember/tensor/kernels/onednn/common.h"

namespace ember::kernels::onednn {

namespace {
struct Entry {
  dnnl::memory a, b, c;  // forward: src, dst; backward: dst, diff_dst, diff_src
  Exec exec;
};

dnnl::memory::desc desc3(const SoftmaxDims& d) {
  return dnnl::memory::desc({d.outer, d.n, d.inner}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::abc);
}

template <class Fwd>
typename Fwd::primitive_desc forward_pd(const dnnl::memory::desc& md) {
  return typename Fwd::primitive_desc(typename Fwd::desc(dnnl::prop_kind::forward_training, md, 1), engine());
}

template <class Fwd>
Entry make_forward(const dnnl::memory::desc& md) {
  auto pd = forward_pd<Fwd>(md);
  Entry e{unbound_memory(md), unbound_memory(md), {}, Exec(Fwd(pd))};
  e.exec.arg(DNNL_ARG_SRC, e.a).arg(DNNL_ARG_DST, e.b);
  return e;
}

template <class Fwd, class Bwd>
Entry make_backward(const dnnl::memory::desc& md) {
  auto hint = forward_pd<Fwd>(md);
  typename Bwd::primitive_desc pd(typename Bwd::desc(md, md, 1), engine(), hint);
  Entry e{unbound_memory(md), unbound_memory(md), unbound_memory(md), Exec(Bwd(pd))};
  e.exec.arg(DNNL_ARG_DST, e.a).arg(DNNL_ARG_DIFF_DST, e.b).arg(DNNL_ARG_DIFF_SRC, e.c);
  return e;
}

Key key_of(int op, const SoftmaxDims& d, bool log) {
  return Key().add(op).add(d.outer).add(d.n).add(d.inner).add(log);
}
}  // namespace

void softmax_forward(const Tensor& x, int64_t dim, bool log, Tensor& y) {
  guard("softmax", [&] {
    if (x.numel() == 0) return;
    const auto d = softmax_dims(x.shape(), dim);
    const Tensor xc = x.contiguous();
    thread_local PrimitiveCache<Entry> cache;
    Entry& e = cache.get(key_of(0, d, log), [&] {
      return log ? make_forward<dnnl::logsoftmax_forward>(desc3(d)) : make_forward<dnnl::softmax_forward>(desc3(d));
    });
    bind(e.a, xc);
    bind(e.b, y);
    e.exec.run();
    stream().wait();
  });
}

void softmax_backward(const Tensor& y, const Tensor& gy, int64_t dim, bool log, Tensor& gx) {
  guard("softmax", [&] {
    if (gy.numel() == 0) return;
    const auto d = softmax_dims(gy.shape(), dim);
    const Tensor yc = y.contiguous(), gc = gy.contiguous();
    thread_local PrimitiveCache<Entry> cache;
    Entry& e = cache.get(key_of(1, d, log), [&] {
      return log ? make_backward<dnnl::logsoftmax_forward, dnnl::logsoftmax_backward>(desc3(d))
                 : make_backward<dnnl::softmax_forward, dnnl::softmax_backward>(desc3(d));
    });
    bind(e.a, yc);
    bind(e.b, gc);
    bind(e.c, gx);
    e.exec.run();
    stream().wait();
  });
}

}  // namespace ember::kernels::onednn

#else
namespace ember::kernels::onednn {
void softmax_forward(const Tensor& x, int64_t dim, bool log, Tensor& y) { reference::softmax_forward(x, dim, log, y); }
void softmax_backward(const Tensor& y, const Tensor& gy, int64_t dim, bool log, Tensor& gx) {
  reference::softmax_backward(y, gy, dim, log, gx);
}
}  // namespace ember::kernels::onednn
#endif
