#pragma once
/// Internal helpers for oneDNN kernels (never included by public headers).
///
/// Pattern (oneDNN's "create once, run many"): each op keeps a thread-local PrimitiveCache keyed on
/// its shapes and attributes. An entry holds the primitive, its memory objects (created with no
/// data handle) and the argument map; a call only sets data handles and executes, so the steady
/// state creates no primitive and allocates nothing.

#include <dnnl.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <unordered_map>

#include "ember/core/error.h"
#include "ember/tensor/tensor.h"

namespace ember::kernels::onednn {

/// The process-wide CPU engine and stream.
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

}  // namespace ember::kernels::onednn
