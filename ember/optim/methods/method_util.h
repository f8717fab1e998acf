#pragma once
/// Helpers shared by the optim methods: argument checks, state buffers, chunked loops.

#include <cstdint>
#include <string_view>

#include "ember/core/parallel.h"
#include "ember/tensor/state_dict.h"
#include "ember/tensor/tensor.h"

namespace ember::optim::detail {

/// Elements per parallel chunk of the element-wise update loops (small buffers run inline).
inline constexpr int64_t kGrain = int64_t{1} << 15;

/// Calls f(begin, end) over chunks of [0, n) on the thread pool. The updates are element-wise, so
/// the result does not depend on the chunking.
template <class F>
void for_chunks(int64_t n, const F& f) {
  parallel_for(0, n, kGrain, f);
}

/// Throws unless `weights` is a defined, contiguous float32/float64 tensor (`where`: "optim.SGD").
void check_weights(std::string_view where, const Tensor& weights);
/// Throws unless `grad` has the dtype (TypeError) and shape (ShapeError) of `weights` and is contiguous.
void check_gradient(std::string_view where, const Tensor& weights, const Tensor& grad);

/// Gets a state buffer ready for `weights`: creates it filled with `fill` when undefined (returns
/// true), else checks it still matches the weights' shape and dtype (ValueError / TypeError: the
/// state was built for other weights).
bool ensure_buffer(std::string_view where, const char* name, Tensor& buffer, const Tensor& weights, double fill);

/// Stores a copy of `buffer` under `name` when it is defined.
void save_buffer(StateDict& state, const char* name, const Tensor& buffer);
/// A copy of the tensor under `name` (undefined when absent). When `required`, a missing entry is a
/// ValueError: the state was saved after steps that must have created it.
Tensor load_buffer(std::string_view where, const StateDict& state, const char* name, bool required);
/// True when the state was saved after at least one step ("iteration" > 0).
bool has_stepped(const StateDict& state);

/// Sum of a[i] * b[i] in double, deterministic (fixed blocks, independent of the thread count).
double dot(const Tensor& a, const Tensor& b);
/// Largest |a[i]| / sum of |a[i]| (double).
double max_abs(const Tensor& a);
double sum_abs(const Tensor& a);
/// y += alpha * x (same dtype, contiguous, same numel).
void axpy(Tensor& y, double alpha, const Tensor& x);

}  // namespace ember::optim::detail
