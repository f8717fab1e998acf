#pragma once
/// Internal helpers for oneDNN kernels (never included by public headers).
///
/// Pattern (oneDNN's "create once, run many"): each op keeps a thread-local PrimitiveCache keyed on
/// its shapes and attributes. An entry holds its memory objects (created with no data handle) and an
/// Exec (the primitive with its argument array); a call only sets data handles, runs the Exec and
/// waits on the stream, so the steady state creates no primitive and allocates nothing.

#include <dnnl.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ember/core/error.h"
#include "ember/tensor/tensor.h"

namespace ember::kernels::onednn {

/// The process-wide CPU engine and this thread's stream.
///
/// Every op calls stream().wait() after its last primitive, before Ember reads the results. With
/// the OpenMP CPU runtime this build uses, execution is synchronous and wait() returns at once (a
/// cheap C call); it is kept so that the kernels stay correct under an asynchronous runtime.
dnnl::engine& engine();
dnnl::stream& stream();

/// Fixed-size cache key: op id plus up to 31 integers (shapes, strides, flags).
struct Key {
  std::array<int64_t, 32> v{};
  int n = 0;
  Key& add(int64_t x) {
    EMBER_INTERNAL_ASSERT(n < 32, "oneDNN cache key too long");
    v[n++] = x;
    return *this;
  }
  Key& add(const Shape& s) {
    add(s.size());
    for (int64_t d : s) add(d);
    return *this;
  }
  bool operator==(const Key& o) const { return n == o.n && v == o.v; }
};

struct KeyHash {
  size_t operator()(const Key& k) const {
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < k.n; ++i) h = (h ^ static_cast<uint64_t>(k.v[i])) * 1099511628211ULL;
    return static_cast<size_t>(h);
  }
};

/// Per-thread cache of primitive entries; cleared when it grows past `capacity` entries (shapes
/// that change every step, e.g. a last partial batch, stay bounded).
template <class Entry>
class PrimitiveCache {
 public:
  explicit PrimitiveCache(size_t capacity = 64) : capacity_(capacity) {}
  template <class Create>
  Entry& get(const Key& key, Create&& create) {
    auto it = map_.find(key);
    if (it != map_.end()) return it->second;
    if (map_.size() >= capacity_) map_.clear();
    return map_.emplace(key, create()).first->second;
  }
  size_t size() const { return map_.size(); }

 private:
  size_t capacity_;
  std::unordered_map<Key, Entry, KeyHash> map_;
};

/// A primitive with its execution arguments prebuilt for oneDNN's C API.
///
/// dnnl.hpp's `primitive::execute(stream, std::unordered_map<int, memory>)` converts the map into a
/// fresh std::vector on every call; run() hands this prebuilt array to `dnnl_primitive_execute`
/// instead, so it allocates nothing. Build it once when a cache entry is created:
///
///     e.exec = Exec(dnnl::convolution_forward(pd)).arg(DNNL_ARG_SRC, e.src).arg(DNNL_ARG_DST, e.dst);
///
/// then per call bind() the memories and `e.exec.run(); stream().wait();`. The Exec keeps a
/// reference to every memory it is given (dnnl::memory is a shared handle), so its arguments stay
/// valid as long as it lives, even for scratch memories that nothing else holds; memories that are
/// bound per call are also kept as named members of the cache entry, and bind() on those changes
/// the data handle the Exec passes (both refer to the same oneDNN object).
class Exec {
 public:
  Exec() = default;
  explicit Exec(dnnl::primitive prim) : prim_(std::move(prim)) {}

  /// Adds argument `arg` (a DNNL_ARG_* id, at most once each) bound to `m`; returns *this.
  Exec& arg(int arg, const dnnl::memory& m) {
    for (const dnnl_exec_arg_t& a : args_) EMBER_INTERNAL_ASSERT(a.arg != arg, "oneDNN argument ", arg, " added twice");
    args_.push_back({arg, m.get()});
    mems_.push_back(m);
    return *this;
  }

  /// Executes the primitive on this thread's stream(); throws dnnl::error (see guard()) on failure.
  /// Does not wait: call stream().wait() after the last primitive of an op.
  void run() const {
    dnnl::error::wrap_c_api(
        dnnl_primitive_execute(prim_.get(), stream().get(), static_cast<int>(args_.size()), args_.data()),
        "could not execute a primitive");
  }

 private:
  dnnl::primitive prim_;
  std::vector<dnnl_exec_arg_t> args_;
  std::vector<dnnl::memory> mems_;  // keeps the handles in args_ alive
};

/// A memory object without data; bind() points it at a tensor before execute.
inline dnnl::memory unbound_memory(const dnnl::memory::desc& md) { return dnnl::memory(md, engine(), DNNL_MEMORY_NONE); }
inline void bind(dnnl::memory& m, const Tensor& t) { m.set_data_handle(t.raw_data()); }

/// oneDNN dims from a Shape.
dnnl::memory::dims to_dims(const Shape& s);
/// Plain (row-major) float32 memory descriptor for a shape.
dnnl::memory::desc plain_desc(const Shape& s);

/// Runs f, turning dnnl::error into ember::RuntimeError naming `op` and the oneDNN status.
template <class F>
decltype(auto) guard(const char* op, F&& f) {
  try {
    return f();
  } catch (const dnnl::error& e) {
    throw RuntimeError(detail::str_cat("[", op, "] oneDNN error: ", e.what(), " (status ", static_cast<int>(e.status),
                                       ")"));
  }
}

/// Backward pass shared by batch and layer normalization. oneDNN 2.6 implements backward_data
/// only without a scale; with one, the full backward runs and its scale/shift gradients go to
/// scratch that only the Exec holds (the layers accumulate parameter gradients themselves), next
/// to a shift that is never read but that oneDNN's argument check requires.
struct NormBackward {
  dnnl::memory src, mean, var, diff_dst, diff_src, scale;
  Exec exec;

  /// `param_desc` describes the [C] scale; ignored without `affine`.
  template <class PrimitiveDesc>
  static NormBackward create(dnnl::primitive prim, const PrimitiveDesc& pd, bool affine,
                             const dnnl::memory::desc& param_desc) {
    NormBackward b;
    b.exec = Exec(std::move(prim));
    b.src = unbound_memory(pd.src_desc());
    b.mean = unbound_memory(pd.mean_desc());
    b.var = unbound_memory(pd.variance_desc());
    b.diff_dst = unbound_memory(pd.diff_dst_desc());
    b.diff_src = unbound_memory(pd.diff_src_desc());
    b.exec.arg(DNNL_ARG_SRC, b.src).arg(DNNL_ARG_MEAN, b.mean).arg(DNNL_ARG_VARIANCE, b.var);
    b.exec.arg(DNNL_ARG_DIFF_DST, b.diff_dst).arg(DNNL_ARG_DIFF_SRC, b.diff_src);
    if (affine) {
      b.scale = unbound_memory(param_desc);
      b.exec.arg(DNNL_ARG_SCALE, b.scale);
      b.exec.arg(DNNL_ARG_SHIFT, dnnl::memory(param_desc, engine()));
      b.exec.arg(DNNL_ARG_DIFF_SCALE, dnnl::memory(param_desc, engine()));
      b.exec.arg(DNNL_ARG_DIFF_SHIFT, dnnl::memory(param_desc, engine()));
    }
    return b;
  }

  /// gx from gy for input x with the forward's mean/var and scale w (undefined without affine).
  void run(const Tensor& x, const Tensor& mean_t, const Tensor& var_t, const Tensor& gy, Tensor& gx,
           const Tensor& w) {
    bind(src, x);
    bind(mean, mean_t);
    bind(var, var_t);
    bind(diff_dst, gy);
    bind(diff_src, gx);
    if (w.defined()) bind(scale, w);
    exec.run();
    stream().wait();
  }
};

}  // namespace ember::kernels::onednn
