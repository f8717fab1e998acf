// oneDNN cross-channel LRN (odd sizes), created once per shape and cached per thread. The
// forward_training workspace belongs to the calling layer, as for max pooling.
#include "ember/tensor/kernels/lrn.h"

#ifdef EMBER_USE_ONEDNN
#include <bit>

#include "ember/tensor/kernels/onednn/common.h"

namespace ember::kernels::onednn {

namespace {
using lrn_fwd = dnnl::lrn_forward;
using lrn_bwd = dnnl::lrn_backward;

struct Entry {
  dnnl::memory src, dst, ws, diff_dst, diff_src;
  size_t ws_bytes = 0;
  Exec exec;
};

dnnl::memory::desc data_desc(const Tensor& x) {
  if (x.dim() == 4) return plain_desc(x.shape());
  const int64_t n = x.size(0), c = x.size(1);
  return plain_desc({n, c, x.numel() / (n * c), 1});
}

Key make_key(const Tensor& x, const LrnParams& p) {
  return Key().add(x.shape()).add(p.size).add(std::bit_cast<int64_t>(p.alpha)).add(std::bit_cast<int64_t>(p.beta)).add(
      std::bit_cast<int64_t>(p.k));
}

lrn_fwd::primitive_desc forward_pd(const dnnl::memory::desc& md, const LrnParams& p) {
  return lrn_fwd::primitive_desc(lrn_fwd::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::lrn_across_channels,
                                               md, p.size, static_cast<float>(p.alpha), static_cast<float>(p.beta),
                                               static_cast<float>(p.k)),
                                 engine());
}
}  // namespace

void lrn_forward(const Tensor& x, const LrnParams& p, Tensor& y, Tensor& workspace) {
  guard("lrn", [&] {
    thread_local PrimitiveCache<Entry> cache;
    Entry& e = cache.get(make_key(x, p), [&] {
      auto pd = forward_pd(data_desc(x), p);
      Entry f;
      f.exec = Exec(lrn_fwd(pd));
      f.src = unbound_memory(pd.src_desc());
      f.dst = unbound_memory(pd.dst_desc());
      f.exec.arg(DNNL_ARG_SRC, f.src).arg(DNNL_ARG_DST, f.dst);
      f.ws_bytes = pd.workspace_desc().get_size();
      if (f.ws_bytes > 0) {
        f.ws = unbound_memory(pd.workspace_desc());
        f.exec.arg(DNNL_ARG_WORKSPACE, f.ws);
      }
      return f;
    });
    // A 1-byte workspace when oneDNN needs none still marks "computed by oneDNN" for the backward.
    workspace.resize_({static_cast<int64_t>(std::max<size_t>(e.ws_bytes, 1))}, DType::UInt8);
    bind(e.src, x);
    bind(e.dst, y);
    if (e.ws_bytes > 0) bind(e.ws, workspace);
    e.exec.run();
    stream().wait();
  });
}

void lrn_backward(const Tensor& gy, const Tensor& x, const LrnParams& p, const Tensor& workspace, Tensor& gx) {
  guard("lrn", [&] {
    const Tensor gc = gy.contiguous();
    thread_local PrimitiveCache<Entry> cache;
    Entry& e = cache.get(make_key(x, p), [&] {
      const auto md = data_desc(x);
      auto hint = forward_pd(md, p);
      lrn_bwd::primitive_desc pd(lrn_bwd::desc(dnnl::algorithm::lrn_across_channels, md, md, p.size,
                                               static_cast<float>(p.alpha), static_cast<float>(p.beta),
                                               static_cast<float>(p.k)),
                                 engine(), hint);
      Entry b;
      b.exec = Exec(lrn_bwd(pd));
      b.src = unbound_memory(pd.src_desc());
      b.diff_dst = unbound_memory(pd.diff_dst_desc());
      b.diff_src = unbound_memory(pd.diff_src_desc());
      b.exec.arg(DNNL_ARG_SRC, b.src).arg(DNNL_ARG_DIFF_DST, b.diff_dst).arg(DNNL_ARG_DIFF_SRC, b.diff_src);
      b.ws_bytes = hint.workspace_desc().get_size();
      if (b.ws_bytes > 0) {
        b.ws = unbound_memory(hint.workspace_desc());
        b.exec.arg(DNNL_ARG_WORKSPACE, b.ws);
      }
      return b;
    });
    bind(e.src, x);
    bind(e.diff_dst, gc);
    bind(e.diff_src, gx);
    if (e.ws_bytes > 0) bind(e.ws, workspace);
    e.exec.run();
    stream().wait();
  });
}

}  // namespace ember::kernels::onednn

#else
namespace ember::kernels::onednn {
void lrn_forward(const Tensor& x, const LrnParams& p, Tensor& y, Tensor& ws) { reference::lrn_forward(x, p, y, ws); }
void lrn_backward(const Tensor& gy, const Tensor& x, const LrnParams& p, const Tensor&, Tensor& gx) {
  reference::lrn_backward(gy, x, p, gx);
}
}  // namespace ember::kernels::onednn
#endif
