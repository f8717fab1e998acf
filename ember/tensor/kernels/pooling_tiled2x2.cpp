// 2x2/stride-2 max pooling whose windows tile the input: each output reads one 2x2 block and each
// input element belongs to exactly one window, so backward needs no accumulation (no
// scatter-add: zero the window's rows, then one store per output).
#include <algorithm>
#include <cstdint>

#include "ember/core/parallel.h"
#include "ember/tensor/kernels/pooling.h"

namespace ember::kernels::tiled2x2 {

bool supported(const Tensor& x, const Pool2dParams& p) {
  return x.dtype() == DType::Float32 && x.dim() == 4 && p.kh == 2 && p.kw == 2 && p.sh == 2 && p.sw == 2 &&
         p.ph == 0 && p.pw == 0 && x.size(2) == 2 * p.oh && x.size(3) == 2 * p.ow && x.is_contiguous();
}

void max_pool2d_forward(const Tensor& x, const Pool2dParams& p, Tensor& y, Tensor& indices) {
  indices.resize_(y.shape(), DType::Int32);
  const int64_t planes = x.size(0) * x.size(1), w = x.size(3), oh = p.oh, ow = p.ow;
  const float* px = x.data<float>();
  float* py = y.data<float>();
  int32_t* pi = indices.data<int32_t>();
  parallel_for(0, planes * oh, 64, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {  // r = plane * oh + oy: one output row
      const float* r0 = px + (r / oh) * (4 * oh * ow) + (r % oh) * 2 * w;
      const float* r1 = r0 + w;
      float* out = py + r * ow;
      int32_t* idx = pi + r * ow;
      for (int64_t ox = 0; ox < ow; ++ox) {
        // First maximum wins and NaN propagates, as in the reference kernel and PyTorch.
        float best = r0[2 * ox];
        int32_t k = 0;
        const float b = r0[2 * ox + 1], c = r1[2 * ox], d = r1[2 * ox + 1];
        if (b > best || (b != b && best == best)) best = b, k = 1;
        if (c > best || (c != c && best == best)) best = c, k = 2;
        if (d > best || (d != d && best == best)) best = d, k = 3;
        out[ox] = best;
        idx[ox] = k;
      }
    }
  });
}

void max_pool2d_backward(const Tensor& gy, const Pool2dParams& p, const Tensor& indices, Tensor& gx) {
  const Tensor gc = gy.contiguous();
  const int64_t planes = gx.size(0) * gx.size(1), w = gx.size(3), oh = p.oh, ow = p.ow;
  const float* pg = gc.data<float>();
  const int32_t* pi = indices.data<int32_t>();
  float* px = gx.data<float>();
  parallel_for(0, planes * oh, 64, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      float* __restrict r0 = px + (r / oh) * (4 * oh * ow) + (r % oh) * 2 * w;
      const float* __restrict g = pg + r * ow;
      const int32_t* __restrict idx = pi + r * ow;
      std::fill(r0, r0 + 2 * w, 0.0f);  // the window's two input rows
      for (int64_t ox = 0; ox < ow; ++ox) {
        const int32_t k = idx[ox];
        r0[(k >> 1) * w + 2 * ox + (k & 1)] = g[ox];
      }
    }
  });
}

}  // namespace ember::kernels::tiled2x2
