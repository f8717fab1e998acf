// oneDNN eltwise on the flattened tensor (the op is shape-agnostic), created once per
// (algorithm, alpha, beta, numel) and cached per thread.
#include <bit>

#include "ember/tensor/kernels/eltwise.h"

#ifdef EMBER_USE_ONEDNN
#include "ember/tensor/kernels/onednn/common.h"

namespace ember::kernels::onednn {

namespace {
using alg = dnnl::algorithm;

struct Mapped {
  alg a;
  float alpha, beta;
};

Mapped map(const EltwiseParams& p) {
  const auto alpha = static_cast<float>(p.alpha), beta = static_cast<float>(p.beta);
  const bool dst = eltwise_backward_uses_output(p);
  switch (p.alg) {
    case Eltwise::ReLU: return {alg::eltwise_relu_use_dst_for_bwd, 0.f, 0.f};
    case Eltwise::LeakyReLU: return {alg::eltwise_relu, alpha, 0.f};
    case Eltwise::ELU: return {dst ? alg::eltwise_elu_use_dst_for_bwd : alg::eltwise_elu, alpha, 0.f};
    case Eltwise::Tanh: return {alg::eltwise_tanh_use_dst_for_bwd, 0.f, 0.f};
    case Eltwise::Sigmoid: return {alg::eltwise_logistic_use_dst_for_bwd, 0.f, 0.f};
    // clip_v2's gradient is zero at both bounds, as PyTorch's hardtanh_backward.
    case Eltwise::HardTanh: return {alg::eltwise_clip_v2, alpha, beta};
    case Eltwise::SoftPlus: return {alg::eltwise_soft_relu, 0.f, 0.f};
    case Eltwise::SoftSign: break;
  }
  throw InternalError("[eltwise] algorithm has no oneDNN mapping");
}

Key key_of(int op, const EltwiseParams& p, int64_t n) {
  return Key().add(op).add(static_cast<int64_t>(p.alg)).add(std::bit_cast<int64_t>(p.alpha))
      .add(std::bit_cast<int64_t>(p.beta)).add(n);
}

dnnl::memory::desc flat_desc(int64_t n) {
  return dnnl::memory::desc({n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a);
}

dnnl::eltwise_forward::primitive_desc forward_pd(const EltwiseParams& p, int64_t n) {
  const Mapped m = map(p);
  return {dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_training, m.a, flat_desc(n), m.alpha, m.beta),
          engine()};
}

struct FwdEntry {
  dnnl::memory src, dst;
  Exec exec;
};

struct BwdEntry {
  dnnl::memory data, diff_dst, diff_src;
  Exec exec;
};
}  // namespace

bool eltwise_supported(const EltwiseParams& p) {
  switch (p.alg) {
    case Eltwise::SoftSign: return false;
    // soft_relu is log(1 + exp(x)): no beta, and no switch to identity below float32 precision.
    case Eltwise::SoftPlus: return p.beta == 1.0 && p.alpha >= 20.0;
    case Eltwise::ELU: return p.alpha >= 0;
    default: return true;
  }
}

void eltwise_forward(const EltwiseParams& p, const Tensor& x, Tensor& y) {
  guard("eltwise", [&] {
    const Tensor xc = x.contiguous();
    const int64_t n = x.numel();
    if (n == 0) return;
    thread_local PrimitiveCache<FwdEntry> cache;
    FwdEntry& e = cache.get(key_of(0, p, n), [&] {
      auto pd = forward_pd(p, n);
      FwdEntry f{unbound_memory(pd.src_desc()), unbound_memory(pd.dst_desc()), Exec(dnnl::eltwise_forward(pd))};
      f.exec.arg(DNNL_ARG_SRC, f.src).arg(DNNL_ARG_DST, f.dst);
      return f;
    });
    bind(e.src, xc);
    bind(e.dst, y);
    e.exec.run();
    stream().wait();
  });
}

void eltwise_backward(const EltwiseParams& p, const Tensor& x, const Tensor& y, const Tensor& gy, Tensor& gx) {
  guard("eltwise", [&] {
    const bool from_y = eltwise_backward_uses_output(p);
    const Tensor data = (from_y ? y : x).contiguous(), gc = gy.contiguous();
    const int64_t n = gy.numel();
    if (n == 0) return;
    thread_local PrimitiveCache<BwdEntry> cache;
    BwdEntry& e = cache.get(key_of(1, p, n), [&] {
      const Mapped m = map(p);
      auto hint = forward_pd(p, n);
      dnnl::eltwise_backward::primitive_desc pd(
          dnnl::eltwise_backward::desc(m.a, flat_desc(n), flat_desc(n), m.alpha, m.beta), engine(), hint);
      BwdEntry f{unbound_memory(flat_desc(n)), unbound_memory(pd.diff_dst_desc()), unbound_memory(pd.diff_src_desc()),
                 Exec(dnnl::eltwise_backward(pd))};
      f.exec.arg(from_y ? DNNL_ARG_DST : DNNL_ARG_SRC, f.data)
          .arg(DNNL_ARG_DIFF_DST, f.diff_dst)
          .arg(DNNL_ARG_DIFF_SRC, f.diff_src);
      return f;
    });
    bind(e.data, data);
    bind(e.diff_dst, gc);
    bind(e.diff_src, gx);
    e.exec.run();
    stream().wait();
  });
}

}  // namespace ember::kernels::onednn

#else
namespace ember::kernels::onednn {
bool eltwise_supported(const EltwiseParams&) { return false; }
void eltwise_forward(const EltwiseParams& p, const Tensor& x, Tensor& y) { reference::eltwise_forward(p, x, y); }
void eltwise_backward(const EltwiseParams& p, const Tensor& x, const Tensor& y, const Tensor& gy, Tensor& gx) {
  reference::eltwise_backward(p, x, y, gy, gx);
}
}  // namespace ember::kernels::onednn
#endif
