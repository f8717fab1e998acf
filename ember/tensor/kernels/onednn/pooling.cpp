// oneDNN pooling, created once per shape and cached per thread. Max pooling runs forward_training
// so that oneDNN writes the argmax workspace; the caller's layer owns it (a cache entry would be
// shared by every layer of the same shape).
#include "ember/tensor/kernels/pooling.h"

#ifdef EMBER_USE_ONEDNN
#include <algorithm>

#include "ember/tensor/kernels/onednn/common.h"

namespace ember::kernels::onednn {

namespace {
using pool_fwd = dnnl::pooling_forward;
using pool_bwd = dnnl::pooling_backward;

struct FwdEntry {
  dnnl::memory src, dst, ws;
  size_t ws_bytes = 0;
  Exec exec;
};

struct BwdEntry {
  dnnl::memory diff_dst, diff_src, ws;  // ws stays empty when the algorithm has no workspace
  Exec exec;
};

struct Geometry {
  dnnl::memory::desc src, dst;
  dnnl::memory::dims strides, kernel, pad_l, pad_r;
};

Geometry geometry(const Shape& x, const Pool2dParams& p) {
  const int64_t n = x[0], c = x[1], h = x[2], w = x[3];
  // Right/bottom padding that yields exactly oh x ow (ceil_mode adds some; floor mode may drop
  // trailing elements, where 0 suffices because oneDNN rounds down too).
  const int64_t pr_h = std::max<int64_t>((p.oh - 1) * p.sh + p.kh - h - p.ph, 0);
  const int64_t pr_w = std::max<int64_t>((p.ow - 1) * p.sw + p.kw - w - p.pw, 0);
  return {plain_desc({n, c, h, w}), plain_desc({n, c, p.oh, p.ow}), {p.sh, p.sw}, {p.kh, p.kw}, {p.ph, p.pw},
          {pr_h, pr_w}};
}

Key make_key(int op, const Shape& x, const Pool2dParams& p) {
  return Key().add(op).add(x).add(p.kh).add(p.kw).add(p.sh).add(p.sw).add(p.ph).add(p.pw).add(p.oh).add(p.ow).add(
      p.count_include_pad);
}

dnnl::algorithm avg_algorithm(const Pool2dParams& p) {
  return p.count_include_pad ? dnnl::algorithm::pooling_avg_include_padding
                             : dnnl::algorithm::pooling_avg_exclude_padding;
}

pool_fwd::primitive_desc forward_pd(const Geometry& g, dnnl::algorithm alg) {
  return pool_fwd::primitive_desc(pool_fwd::desc(dnnl::prop_kind::forward_training, alg, g.src, g.dst, g.strides,
                                                 g.kernel, g.pad_l, g.pad_r),
                                  engine());
}

FwdEntry& forward_entry(int op, const Shape& x, const Pool2dParams& p, dnnl::algorithm alg) {
  thread_local PrimitiveCache<FwdEntry> cache;
  return cache.get(make_key(op, x, p), [&] {
    const Geometry g = geometry(x, p);
    auto pd = forward_pd(g, alg);
    FwdEntry f{unbound_memory(pd.src_desc()), unbound_memory(pd.dst_desc()), {}, 0, Exec(pool_fwd(pd))};
    f.exec.arg(DNNL_ARG_SRC, f.src).arg(DNNL_ARG_DST, f.dst);
    f.ws_bytes = pd.workspace_desc().get_size();
    if (f.ws_bytes > 0) {
      f.ws = unbound_memory(pd.workspace_desc());
      f.exec.arg(DNNL_ARG_WORKSPACE, f.ws);
    }
    return f;
  });
}

BwdEntry& backward_entry(int op, const Shape& x, const Pool2dParams& p, dnnl::algorithm alg) {
  thread_local PrimitiveCache<BwdEntry> cache;
  return cache.get(make_key(op, x, p), [&] {
    const Geometry g = geometry(x, p);
    auto hint = forward_pd(g, alg);
    pool_bwd::primitive_desc pd(pool_bwd::desc(alg, g.src, g.dst, g.strides, g.kernel, g.pad_l, g.pad_r), engine(),
                                hint);
    BwdEntry b{unbound_memory(pd.diff_dst_desc()), unbound_memory(pd.diff_src_desc()), {}, Exec(pool_bwd(pd))};
    b.exec.arg(DNNL_ARG_DIFF_DST, b.diff_dst).arg(DNNL_ARG_DIFF_SRC, b.diff_src);
    if (hint.workspace_desc().get_size() > 0) {
      b.ws = unbound_memory(hint.workspace_desc());
      b.exec.arg(DNNL_ARG_WORKSPACE, b.ws);
    }
    return b;
  });
}
}  // namespace

void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& workspace) {
  guard("max_pool2d", [&] {
    FwdEntry& e = forward_entry(0, x.shape(), p, dnnl::algorithm::pooling_max);
    workspace.resize_({static_cast<int64_t>(e.ws_bytes)}, DType::UInt8);
    bind(e.src, x);
    bind(e.dst, y);
    if (e.ws_bytes > 0) bind(e.ws, workspace);
    e.exec.run();
    stream().wait();
  });
}

void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& workspace, Tensor& gx) {
  guard("max_pool2d", [&] {
    const Tensor gc = gy.contiguous();
    BwdEntry& e = backward_entry(0, gx.shape(), p, dnnl::algorithm::pooling_max);
    bind(e.diff_dst, gc);
    bind(e.diff_src, gx);
    if (e.ws) bind(e.ws, workspace);
    e.exec.run();
    stream().wait();
  });
}

void avg_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y) {
  guard("avg_pool2d", [&] {
    FwdEntry& e = forward_entry(1, x.shape(), p, avg_algorithm(p));
    bind(e.src, x);
    bind(e.dst, y);
    e.exec.run();
    stream().wait();
  });
}

void avg_pool2d_backward(const Tensor& gy, const Pool2dParams& p, Tensor& gx) {
  guard("avg_pool2d", [&] {
    const Tensor gc = gy.contiguous();
    BwdEntry& e = backward_entry(1, gx.shape(), p, avg_algorithm(p));
    bind(e.diff_dst, gc);
    bind(e.diff_src, gx);
    e.exec.run();
    stream().wait();
  });
}

}  // namespace ember::kernels::onednn

#else
namespace ember::kernels::onednn {
void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& ws) {
  reference::max_pool2d_forward(x, p, y, ws);
}
void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& ws, Tensor& gx) {
  reference::max_pool2d_backward(gy, p, ws, gx);
}
void avg_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y) { reference::avg_pool2d_forward(x, p, y); }
void avg_pool2d_backward(const Tensor& gy, const Pool2dParams& p, Tensor& gx) {
  reference::avg_pool2d_backward(gy, p, gx);
}
}  // namespace ember::kernels::onednn
#endif
