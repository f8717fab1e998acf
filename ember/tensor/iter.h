#pragma once
/// Internal: strided N-d loops over up to a few operands with broadcasting (stride 0), used by the
/// element-wise ops and copies. Dimensions are coalesced first, so contiguous operands run as one
/// flat inner loop; large loops are split over the thread pool by outer rows.

#include <array>

#include "ember/core/parallel.h"
#include "ember/tensor/shape.h"

namespace ember::detail {

/// Calls f(n, offs, inner) for every inner row, where offs[k] is operand k's element offset of the
/// row start and inner[k] its stride along the row. `grain` is the minimum elements per thread.
template <size_t K, class F>
void strided_loop(const Shape& shape_in, const std::array<Shape, K>& strides_in, const F& f,
                  int64_t grain = 32768) {
  // Drop size-1 dims and merge dims that are contiguous with the next one for every operand.
  Shape shape;
  std::array<Shape, K> st;
  for (int64_t d = 0; d < shape_in.size(); ++d) {
    if (shape_in[d] == 1) continue;
    if (shape_in[d] == 0) return;
    const int64_t last = shape.size() - 1;
    bool merge = last >= 0;
    for (size_t k = 0; k < K && merge; ++k) merge = st[k][last] == strides_in[k][d] * shape_in[d];
    if (merge) {
      shape[last] *= shape_in[d];
      for (size_t k = 0; k < K; ++k) st[k][last] = strides_in[k][d];
    } else {
      shape.push_back(shape_in[d]);
      for (size_t k = 0; k < K; ++k) st[k].push_back(strides_in[k][d]);
    }
  }
  std::array<int64_t, K> inner{};
  if (shape.size() == 0) {
    std::array<int64_t, K> offs{};
    f(int64_t{1}, offs, inner);
    return;
  }
  const int64_t nd = shape.size();
  const int64_t n_inner = shape[nd - 1];
  for (size_t k = 0; k < K; ++k) inner[k] = st[k][nd - 1];
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < nd; ++d) rows *= shape[d];
  auto run_rows = [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      std::array<int64_t, K> offs{};
      int64_t rem = r;
      for (int64_t d = nd - 2; d >= 0; --d) {
        const int64_t i = rem % shape[d];
        rem /= shape[d];
        for (size_t k = 0; k < K; ++k) offs[k] += i * st[k][d];
      }
      f(n_inner, offs, inner);
    }
  };
  if (rows == 1 && n_inner >= 2 * grain) {
    // One long row: split it so that contiguous ops still use every thread.
    parallel_for(0, n_inner, grain, [&](int64_t lo, int64_t hi) {
      std::array<int64_t, K> offs{};
      for (size_t k = 0; k < K; ++k) offs[k] = lo * inner[k];
      f(hi - lo, offs, inner);
    });
    return;
  }
  parallel_for(0, rows, std::max<int64_t>(1, grain / std::max<int64_t>(n_inner, 1)), run_rows);
}

}  // namespace ember::detail
