// oneDNN layer normalization over [M, D] (the last dim normalized) with separate scale and shift,
// created once per shape and cached per thread.
#include "ember/tensor/kernels/layer_norm.h"

#ifdef EMBER_USE_ONEDNN
#include <bit>

#include "ember/tensor/kernels/onednn/common.h"

namespace ember::kernels::onednn {

namespace {
using ln_fwd = dnnl::layer_normalization_forward;
using ln_bwd = dnnl::layer_normalization_backward;
using flags = dnnl::normalization_flags;

// Forward entry (the backward pass uses NormBackward from common.h).
struct Entry {
  dnnl::memory src, dst, mean, var, scale, shift;
  Exec exec;
};

flags make_flags(bool affine) { return affine ? flags::use_scale | flags::use_shift : flags::none; }

ln_fwd::primitive_desc forward_pd(int64_t m, int64_t d, double eps, bool affine) {
  return ln_fwd::primitive_desc(
      ln_fwd::desc(dnnl::prop_kind::forward_training, plain_desc({m, d}), plain_desc({m}), static_cast<float>(eps),
                   make_flags(affine)),
      engine());
}

Key make_key(const Tensor& x, double eps, bool affine) {
  return Key().add(x.size(0)).add(x.size(1)).add(std::bit_cast<int64_t>(eps)).add(affine);
}
}  // namespace

void layer_norm_forward(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y, Tensor& mean,
                        Tensor& var) {
  guard("layer_norm", [&] {
    const bool affine = w.defined();
    thread_local PrimitiveCache<Entry> cache;
    Entry& e = cache.get(make_key(x, eps, affine), [&] {
      auto pd = forward_pd(x.size(0), x.size(1), eps, affine);
      Entry f;
      f.exec = Exec(ln_fwd(pd));
      f.src = unbound_memory(pd.src_desc());
      f.dst = unbound_memory(pd.dst_desc());
      f.mean = unbound_memory(pd.mean_desc());
      f.var = unbound_memory(pd.variance_desc());
      f.exec.arg(DNNL_ARG_SRC, f.src).arg(DNNL_ARG_DST, f.dst).arg(DNNL_ARG_MEAN, f.mean).arg(DNNL_ARG_VARIANCE, f.var);
      if (affine) {
        const auto cd = plain_desc({x.size(1)});
        f.scale = unbound_memory(cd);
        f.shift = unbound_memory(cd);
        f.exec.arg(DNNL_ARG_SCALE, f.scale);
        f.exec.arg(DNNL_ARG_SHIFT, f.shift);
      }
      return f;
    });
    bind(e.src, x);
    bind(e.dst, y);
    bind(e.mean, mean);
    bind(e.var, var);
    if (affine) {
      bind(e.scale, w);
      bind(e.shift, b);
    }
    e.exec.run();
    stream().wait();
  });
}

void layer_norm_backward_data(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean,
                              const Tensor& var, double eps, Tensor& gx) {
  guard("layer_norm", [&] {
    const bool affine = w.defined();
    const Tensor gc = gy.contiguous();
    thread_local PrimitiveCache<NormBackward> cache;
    NormBackward& e = cache.get(make_key(x, eps, affine), [&] {
      const int64_t m = x.size(0), d = x.size(1);
      auto hint = forward_pd(m, d, eps, affine);
      const auto kind = affine ? dnnl::prop_kind::backward : dnnl::prop_kind::backward_data;
      const auto md = plain_desc({m, d});
      const ln_bwd::desc desc(kind, md, md, plain_desc({m}), static_cast<float>(eps), make_flags(affine));
      ln_bwd::primitive_desc pd(desc, engine(), hint);
      return NormBackward::create(ln_bwd(pd), pd, affine, plain_desc({d}));
    });
    e.run(x, mean, var, gc, gx, w);
  });
}

}  // namespace ember::kernels::onednn

#else
namespace ember::kernels::onednn {
void layer_norm_forward(const Tensor& x, const Tensor& w, const Tensor& b, double eps, Tensor& y, Tensor& mean,
                        Tensor& var) {
  reference::layer_norm_forward(x, w, b, eps, y, mean, var);
}
void layer_norm_backward_data(const Tensor& gy, const Tensor& x, const Tensor& w, const Tensor& mean,
                              const Tensor& var, double eps, Tensor& gx) {
  reference::layer_norm_backward_data(gy, x, w, mean, var, eps, gx);
}
}  // namespace ember::kernels::onednn
#endif
