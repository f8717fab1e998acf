// oneDNN convolution and deconvolution, created once per shape and cached per thread.
//
// Descriptors use format_tag::any so oneDNN picks its fastest (usually channel-blocked) layout;
// when that differs from Ember's plain NCHW, the cache entry owns the blocked buffer and the
// reorder primitives, so the steady state only binds handles, reorders and executes.
#include "ember/tensor/kernels/conv2d.h"

#ifdef EMBER_USE_ONEDNN
#include "ember/core/parallel.h"
#include "ember/tensor/kernels/onednn/common.h"

namespace ember::kernels::onednn {

namespace {
using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// One primitive argument: `user` views Ember's plain tensor, `prim` is what the primitive reads or
// writes. They are the same memory unless oneDNN chose another layout.
struct Port {
  dnnl::memory user, prim;
  Exec reorder;  // user -> prim for inputs, prim -> user for outputs; unused when layouts match
  bool reordered = false;

  void bind(const Tensor& t) { onednn::bind(user, t); }
  /// Inputs: call before the primitive runs; outputs: after.
  void sync() const {
    if (reordered) reorder.run();
  }
};

// `owned` gives the user side its own buffer (scratch for overwritten weight gradients).
Port make_port(const md& user_md, const md& prim_md, bool is_input, bool owned = false) {
  Port port;
  port.user = owned ? dnnl::memory(user_md, engine()) : unbound_memory(user_md);
  if (prim_md == user_md) {
    port.prim = port.user;
    return port;
  }
  port.prim = dnnl::memory(prim_md, engine());
  port.reordered = true;
  const dnnl::memory& from = is_input ? port.user : port.prim;
  const dnnl::memory& to = is_input ? port.prim : port.user;
  port.reorder = Exec(dnnl::reorder(from, to)).arg(DNNL_ARG_FROM, from).arg(DNNL_ARG_TO, to);
  return port;
}

// Plain and `any` descriptors of one convolution (or deconvolution) problem.
struct Problem {
  md x, w, b, y;  // plain: nchw, [g]oihw / [g]iohw, x, nchw
  md x_any, w_any, y_any;
  dnnl::memory::dims strides, dilates, pad_l, pad_r;
};

// x [N, C, H, W], y [N, O, OH, OW]; weight [O, C/g, kH, kW] (conv) or [C, O/g, kH, kW] (deconv).
Problem problem(const Shape& xs, const Shape& ws, const Shape& ys, const Conv2dParams& p, bool transposed) {
  const int64_t g = p.groups, c = xs[1], o = ys[1], kh = ws[2], kw = ws[3];
  Problem pr;
  const dnnl::memory::dims xd = to_dims(xs), yd = to_dims(ys);
  dnnl::memory::dims wd;
  tag wtag;
  if (g > 1) {
    wd = {g, o / g, c / g, kh, kw};
    wtag = transposed ? tag::giohw : tag::goihw;
  } else {
    wd = {o, c, kh, kw};
    wtag = transposed ? tag::iohw : tag::oihw;
  }
  pr.x = md(xd, dt::f32, tag::nchw);
  pr.y = md(yd, dt::f32, tag::nchw);
  pr.w = md(wd, dt::f32, wtag);
  pr.b = md({o}, dt::f32, tag::x);
  pr.x_any = md(xd, dt::f32, tag::any);
  pr.y_any = md(yd, dt::f32, tag::any);
  pr.w_any = md(wd, dt::f32, tag::any);
  pr.strides = {p.stride_h, p.stride_w};
  pr.dilates = {p.dilation_h - 1, p.dilation_w - 1};  // oneDNN counts the gaps: 0 = dense
  pr.pad_l = {p.pad_h, p.pad_w};
  if (transposed) {
    // Exact for deconvolution: pad_r = pad - output_padding (may be negative, which oneDNN allows).
    const int64_t kr_h = (kh - 1) * p.dilation_h + 1, kr_w = (kw - 1) * p.dilation_w + 1;
    pr.pad_r = {(xs[2] - 1) * p.stride_h + kr_h - ys[2] - p.pad_h, (xs[3] - 1) * p.stride_w + kr_w - ys[3] - p.pad_w};
  } else {
    pr.pad_r = pr.pad_l;  // PyTorch's symmetric padding; oneDNN floors the output size the same way
  }
  return pr;
}

Key problem_key(const Tensor& x, const Tensor& w, const Tensor& y, const Conv2dParams& p, bool transposed,
                bool bias) {
  return Key()
      .add(x.shape())
      .add(w.size(2))
      .add(w.size(3))
      .add(y.shape())
      .add(p.stride_h)
      .add(p.stride_w)
      .add(p.pad_h)
      .add(p.pad_w)
      .add(p.dilation_h)
      .add(p.dilation_w)
      .add(p.groups)
      .add(transposed)
      .add(bias);
}

struct ConvOps {
  using Fwd = dnnl::convolution_forward;
  using BwdData = dnnl::convolution_backward_data;
  using BwdWeights = dnnl::convolution_backward_weights;
  static constexpr dnnl::algorithm kAlg = dnnl::algorithm::convolution_direct;
};
struct DeconvOps {
  using Fwd = dnnl::deconvolution_forward;
  using BwdData = dnnl::deconvolution_backward_data;
  using BwdWeights = dnnl::deconvolution_backward_weights;
  static constexpr dnnl::algorithm kAlg = dnnl::algorithm::deconvolution_direct;
};

template <class Ops>
typename Ops::Fwd::primitive_desc forward_pd(const Problem& pr, bool bias) {
  typename Ops::Fwd::desc d(dnnl::prop_kind::forward_training, Ops::kAlg, pr.x_any, pr.w_any, bias ? pr.b : md(),
                            pr.y_any, pr.strides, pr.dilates, pr.pad_l, pr.pad_r);
  return typename Ops::Fwd::primitive_desc(d, engine());
}

struct FwdEntry {
  Exec exec;
  Port src, weights, dst;
  dnnl::memory bias;
};

struct BwdDataEntry {
  Exec exec;
  Port diff_dst, weights, diff_src;
};

struct BwdWeightsEntry {
  Exec exec;
  Port src, diff_dst, diff_weights;  // diff_weights.user owns a plain scratch buffer
  dnnl::memory diff_bias;            // owned scratch
};

thread_local PrimitiveCache<FwdEntry> fwd_cache;
thread_local PrimitiveCache<BwdDataEntry> bwd_data_cache;
thread_local PrimitiveCache<BwdWeightsEntry> bwd_weights_cache;

// dst += the float32 contents of scratch memory m (oneDNN overwrites weight gradients; Ember adds).
void accumulate(Tensor& dst, const dnnl::memory& m) {
  const float* s = static_cast<const float*>(m.get_data_handle());
  float* d = dst.data<float>();
  parallel_for(0, dst.numel(), int64_t{1} << 16, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) d[i] += s[i];
  });
}

// x, y: the forward op's source and destination.
template <class Ops>
void forward(const char* op, const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p,
             bool transposed) {
  guard(op, [&] {
    const Tensor xc = x.contiguous(), wc = w.contiguous(), bc = b.defined() ? b.contiguous() : Tensor();
    FwdEntry& e = fwd_cache.get(problem_key(x, w, y, p, transposed, b.defined()), [&] {
      const Problem pr = problem(x.shape(), w.shape(), y.shape(), p, transposed);
      const auto pd = forward_pd<Ops>(pr, b.defined());
      FwdEntry f{Exec(typename Ops::Fwd(pd)), make_port(pr.x, pd.src_desc(), true),
                 make_port(pr.w, pd.weights_desc(), true), make_port(pr.y, pd.dst_desc(), false),
                 unbound_memory(pr.b)};
      f.exec.arg(DNNL_ARG_SRC, f.src.prim);
      f.exec.arg(DNNL_ARG_WEIGHTS, f.weights.prim);
      f.exec.arg(DNNL_ARG_DST, f.dst.prim);
      if (b.defined()) f.exec.arg(DNNL_ARG_BIAS, f.bias);
      return f;
    });
    e.src.bind(xc);
    e.weights.bind(wc);
    e.dst.bind(y);
    if (b.defined()) bind(e.bias, bc);
    e.src.sync();
    e.weights.sync();
    e.exec.run();
    e.dst.sync();
    stream().wait();
  });
}

// gx, gy: gradients of the forward op's source and destination.
template <class Ops>
void backward_data(const char* op, const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p,
                   bool transposed) {
  guard(op, [&] {
    const Tensor gc = gy.contiguous(), wc = w.contiguous();
    BwdDataEntry& e = bwd_data_cache.get(problem_key(gx, w, gy, p, transposed, false), [&] {
      const Problem pr = problem(gx.shape(), w.shape(), gy.shape(), p, transposed);
      const auto hint = forward_pd<Ops>(pr, false);
      typename Ops::BwdData::desc d(Ops::kAlg, pr.x_any, pr.w_any, pr.y_any, pr.strides, pr.dilates, pr.pad_l,
                                    pr.pad_r);
      typename Ops::BwdData::primitive_desc pd(d, engine(), hint);
      BwdDataEntry f{Exec(typename Ops::BwdData(pd)), make_port(pr.y, pd.diff_dst_desc(), true),
                     make_port(pr.w, pd.weights_desc(), true), make_port(pr.x, pd.diff_src_desc(), false)};
      f.exec.arg(DNNL_ARG_DIFF_DST, f.diff_dst.prim);
      f.exec.arg(DNNL_ARG_WEIGHTS, f.weights.prim);
      f.exec.arg(DNNL_ARG_DIFF_SRC, f.diff_src.prim);
      return f;
    });
    e.diff_dst.bind(gc);
    e.weights.bind(wc);
    e.diff_src.bind(gx);
    e.diff_dst.sync();
    e.weights.sync();
    e.exec.run();
    e.diff_src.sync();
    stream().wait();
  });
}

template <class Ops>
void backward_weights(const char* op, const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb,
                      const Conv2dParams& p, bool transposed) {
  guard(op, [&] {
    const Tensor xc = x.contiguous(), gc = gy.contiguous();
    BwdWeightsEntry& e = bwd_weights_cache.get(problem_key(x, gw, gy, p, transposed, gb.defined()), [&] {
      const Problem pr = problem(x.shape(), gw.shape(), gy.shape(), p, transposed);
      const auto hint = forward_pd<Ops>(pr, gb.defined());
      typename Ops::BwdWeights::desc d(Ops::kAlg, pr.x_any, pr.w_any, gb.defined() ? pr.b : md(), pr.y_any,
                                       pr.strides, pr.dilates, pr.pad_l, pr.pad_r);
      typename Ops::BwdWeights::primitive_desc pd(d, engine(), hint);
      BwdWeightsEntry f{Exec(typename Ops::BwdWeights(pd)), make_port(pr.x, pd.src_desc(), true),
                        make_port(pr.y, pd.diff_dst_desc(), true),
                        make_port(pr.w, pd.diff_weights_desc(), false, /*owned=*/true), dnnl::memory(pr.b, engine())};
      f.exec.arg(DNNL_ARG_SRC, f.src.prim);
      f.exec.arg(DNNL_ARG_DIFF_DST, f.diff_dst.prim);
      f.exec.arg(DNNL_ARG_DIFF_WEIGHTS, f.diff_weights.prim);
      if (gb.defined()) f.exec.arg(DNNL_ARG_DIFF_BIAS, f.diff_bias);
      return f;
    });
    e.src.bind(xc);
    e.diff_dst.bind(gc);
    e.src.sync();
    e.diff_dst.sync();
    e.exec.run();
    e.diff_weights.sync();
    stream().wait();
    accumulate(gw, e.diff_weights.user);
    if (gb.defined()) accumulate(gb, e.diff_bias);
  });
}
}  // namespace

void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  forward<ConvOps>("conv2d", x, w, b, y, p, false);
}

void conv2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  backward_data<ConvOps>("conv2d", gy, w, gx, p, false);
}

void conv2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb, const Conv2dParams& p) {
  backward_weights<ConvOps>("conv2d", x, gy, gw, gb, p, false);
}

void conv_transpose2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  forward<DeconvOps>("conv_transpose2d", x, w, b, y, p, true);
}

void conv_transpose2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  backward_data<DeconvOps>("conv_transpose2d", gy, w, gx, p, true);
}

void conv_transpose2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb,
                                       const Conv2dParams& p) {
  backward_weights<DeconvOps>("conv_transpose2d", x, gy, gw, gb, p, true);
}

size_t cache_size() { return fwd_cache.size() + bwd_data_cache.size() + bwd_weights_cache.size(); }

}  // namespace ember::kernels::onednn

#else
namespace ember::kernels::onednn {
void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  reference::conv2d_forward(x, w, b, y, p);
}
void conv2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  reference::conv2d_backward_data(gy, w, gx, p);
}
void conv2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb, const Conv2dParams& p) {
  reference::conv2d_backward_weights(x, gy, gw, gb, p);
}
void conv_transpose2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, Tensor& y, const Conv2dParams& p) {
  reference::conv_transpose2d_forward(x, w, b, y, p);
}
void conv_transpose2d_backward_data(const Tensor& gy, const Tensor& w, Tensor& gx, const Conv2dParams& p) {
  reference::conv_transpose2d_backward_data(gy, w, gx, p);
}
void conv_transpose2d_backward_weights(const Tensor& x, const Tensor& gy, Tensor& gw, Tensor& gb,
                                       const Conv2dParams& p) {
  reference::conv_transpose2d_backward_weights(x, gy, gw, gb, p);
}
size_t cache_size() { return 0; }
}  // namespace ember::kernels::onednn
#endif
