// oneDNN batch normalization with separate scale and shift ([C] each: the layer's weight and bias,
// no packing), created once per shape and cached per thread. x is viewed as 4-d [N, C, S, 1].
#include "ember/tensor/kernels/batch_norm.h"

#ifdef EMBER_USE_ONEDNN
#include <bit>

#include "ember/tensor/kernels/onednn/common.h"

namespace ember::kernels::onednn {

namespace {
using bn_fwd = dnnl::batch_normalization_forward;
using bn_bwd = dnnl::batch_normalization_backward;
using flags = dnnl::normalization_flags;

// Forward entry (the backward pass uses NormBackward from common.h).
struct Entry {
  dnnl::memory src, dst, mean, var, scale, shift;
  Exec exec;
};

dnnl::memory::desc data_desc(const Tensor& x) {
  const int64_t n = x.size(0), c = x.size(1);
  return plain_desc({n, c, x.numel() / (n * c), 1});
}

flags make_flags(bool affine, bool global_stats) {
  flags f = static_cast<flags>(0);
  if (affine) f = f | flags::use_scale | flags::use_shift;
  if (global_stats) f = f | flags::use_global_stats;
  return f;
}

bn_fwd::primitive_desc forward_pd(const dnnl::memory::desc& md, double eps, flags f, dnnl::prop_kind kind) {
  return bn_fwd::primitive_desc(bn_fwd::desc(kind, md, static_cast<float>(eps), f), engine());
}

// Forward entry: training writes mean/var, inference (global stats) reads them.
Entry& forward_entry(const Tensor& x, double eps, bool affine, bool global_stats) {
  thread_local PrimitiveCache<Entry> cache;
  const Key key = Key().add(x.shape()).add(std::bit_cast<int64_t>(eps)).add(affine).add(global_stats);
  return cache.get(key, [&] {
    const auto md = data_desc(x);
    const auto kind = global_stats ? dnnl::prop_kind::forward_inference : dnnl::prop_kind::forward_training;
    auto pd = forward_pd(md, eps, make_flags(affine, global_stats), kind);
    Entry e;
    e.exec = Exec(bn_fwd(pd));
    e.src = unbound_memory(pd.src_desc());
    e.dst = unbound_memory(pd.dst_desc());
    e.mean = unbound_memory(pd.mean_desc());
    e.var = unbound_memory(pd.variance_desc());
    e.exec.arg(DNNL_ARG_SRC, e.src).arg(DNNL_ARG_DST, e.dst).arg(DNNL_ARG_MEAN, e.mean).arg(DNNL_ARG_VARIANCE, e.var);
    if (affine) {
      const auto cd = plain_desc({x.size(1)});
      e.scale = unbound_memory(cd);
      e.shift = unbound_memory(cd);
      e.exec.arg(DNNL_ARG_SCALE, e.scale);
      e.exec.arg(DNNL_ARG_SHIFT, e.shift);
    }
    return e;
  });
}

void run_forward(Entry& e, const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& mean, const Tensor& var,
                 Tensor& y) {
  bind(e.src, x);
  bind(e.dst, y);
  bind(e.mean, mean);
  bind(e.var, var);
  if (w.defined()) {
    bind(e.scale, w);
    bind(e.shift, b);
  }
  e.exec.run();
  stream().wait();
}
}  // namespace

void batch_norm_forward_training(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var) {
  guard("batch_norm", [&] {
    run_forward(forward_entry(x, eps, w.defined(), false), x, w, b, save_mean, save_var, y);
  });
}

void batch_norm_forward_inference(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y) {
  guard("batch_norm", [&] { run_forward(forward_entry(x, eps, w.defined(), true), x, w, b, mean, var, y); });
}

void batch_norm_backward_data(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean,
                              const Tensor& var, double eps, bool batch_stats, Tensor& gx) {
  guard("batch_norm", [&] {
    const Tensor gc = gy.contiguous();
    thread_local PrimitiveCache<NormBackward> cache;
    const bool affine = w.defined();
    const Key key = Key().add(x.shape()).add(std::bit_cast<int64_t>(eps)).add(affine).add(batch_stats);
    NormBackward& e = cache.get(key, [&] {
      const auto md = data_desc(x);
      const flags f = make_flags(affine, !batch_stats);
      const auto kind = batch_stats ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
      auto hint = forward_pd(md, eps, f, kind);
      const auto bkind = affine ? dnnl::prop_kind::backward : dnnl::prop_kind::backward_data;
      bn_bwd::primitive_desc pd(bn_bwd::desc(bkind, md, md, static_cast<float>(eps), f), engine(), hint);
      return NormBackward::create(bn_bwd(pd), pd, affine, plain_desc({x.size(1)}));
    });
    e.run(x, mean, var, gc, gx, w);
  });
}

}  // namespace ember::kernels::onednn

#else
namespace ember::kernels::onednn {
void batch_norm_forward_training(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y,
                                 Tensor& save_mean, Tensor& save_var) {
  reference::batch_norm_forward_training(x, w, b, eps, y, save_mean, save_var);
}
void batch_norm_forward_inference(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& mean,
                                  const Tensor& var, double eps, Tensor& y) {
  reference::batch_norm_forward_inference(x, w, b, mean, var, eps, y);
}
void batch_norm_backward_data(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean,
                              const Tensor& var, double eps, bool batch_stats, Tensor& gx) {
  reference::batch_norm_backward_data(gy, x, w, mean, var, eps, batch_stats, gx);
}
}  // namespace ember::kernels::onednn
#endif
