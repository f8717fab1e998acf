// oneDNN inner product, created once per shape and cached per thread.
#include "ember/tensor/kernels/linear.h"

#ifdef EMBER_USE_ONEDNN
#include "ember/tensor/kernels/onednn/common.h"

namespace ember::kernels::onednn {

namespace {
using ip_fwd = dnnl::inner_product_forward;
using ip_bwd_data = dnnl::inner_product_backward_data;

struct FwdEntry {
  dnnl::memory src, weights, bias, dst;
  Exec exec;
};

struct BwdDataEntry {
  dnnl::memory diff_dst, weights, diff_src;
  Exec exec;
};

ip_fwd::primitive_desc forward_pd(int64_t n, int64_t in, int64_t out, bool bias) {
  using tag = dnnl::memory::format_tag;
  using dt = dnnl::memory::data_type;
  const dnnl::memory::desc src({n, in}, dt::f32, tag::nc), w({out, in}, dt::f32, tag::oi), b({out}, dt::f32, tag::x),
      dst({n, out}, dt::f32, tag::nc);
  auto d = bias ? ip_fwd::desc(dnnl::prop_kind::forward_training, src, w, b, dst)
                : ip_fwd::desc(dnnl::prop_kind::forward_training, src, w, dst);
  return ip_fwd::primitive_desc(d, engine());
}
}  // namespace

void linear_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y) {
  guard("linear", [&] {
    const Tensor xc = x.contiguous(), wc = w.contiguous();
    const int64_t n = x.size(0), in = x.size(1), out = w.size(0);
    thread_local PrimitiveCache<FwdEntry> cache;
    FwdEntry& e = cache.get(Key().add(n).add(in).add(out).add(b.defined()), [&] {
      auto pd = forward_pd(n, in, out, b.defined());
      FwdEntry f{unbound_memory(pd.src_desc()), unbound_memory(pd.weights_desc()), unbound_memory(pd.bias_desc()),
                 unbound_memory(pd.dst_desc()), Exec(ip_fwd(pd))};
      f.exec.arg(DNNL_ARG_SRC, f.src).arg(DNNL_ARG_WEIGHTS, f.weights).arg(DNNL_ARG_DST, f.dst);
      if (b.defined()) f.exec.arg(DNNL_ARG_BIAS, f.bias);
      return f;
    });
    bind(e.src, xc);
    bind(e.weights, wc);
    bind(e.dst, y);
    if (b.defined()) bind(e.bias, b);
    e.exec.run();
    stream().wait();
  });
}

void linear_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx) {
  guard("linear", [&] {
    const Tensor gc = gy.contiguous(), wc = w.contiguous();
    const int64_t n = gy.size(0), out = w.size(0), in = w.size(1);
    thread_local PrimitiveCache<BwdDataEntry> cache;
    BwdDataEntry& e = cache.get(Key().add(n).add(in).add(out), [&] {
      using tag = dnnl::memory::format_tag;
      using dt = dnnl::memory::data_type;
      auto hint = forward_pd(n, in, out, false);
      const dnnl::memory::desc src({n, in}, dt::f32, tag::nc), wd({out, in}, dt::f32, tag::oi),
          dst({n, out}, dt::f32, tag::nc);
      ip_bwd_data::primitive_desc pd(ip_bwd_data::desc(src, wd, dst), engine(), hint);
      BwdDataEntry f{unbound_memory(pd.diff_dst_desc()), unbound_memory(pd.weights_desc()),
                     unbound_memory(pd.diff_src_desc()), Exec(ip_bwd_data(pd))};
      f.exec.arg(DNNL_ARG_DIFF_DST, f.diff_dst).arg(DNNL_ARG_WEIGHTS, f.weights).arg(DNNL_ARG_DIFF_SRC, f.diff_src);
      return f;
    });
    bind(e.diff_dst, gc);
    bind(e.weights, wc);
    bind(e.diff_src, gx);
    e.exec.run();
    stream().wait();
  });
}

void linear_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb) {
  // Weight gradients accumulate; BLAS does that in place (see kernels/linear.cpp).
  ember::kernels::linear_backward_weights(x, gy, gw, gb);
}

}  // namespace ember::kernels::onednn

#else
namespace ember::kernels::onednn {
void linear_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y) { reference::linear_forward(x, w, b, y); }
void linear_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx) { reference::linear_backward_data(gy, w, gx); }
void linear_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb) {
  reference::linear_backward_weights(x, gy, gw, gb);
}
}  // namespace ember::kernels::onednn
#endif
