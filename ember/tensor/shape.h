#pragma once
/// Shape: the sizes of a tensor's dimensions, stored inline (no heap allocation) for up to kMaxDims.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <span>
#include <vector>

#include "ember/core/error.h"

namespace ember {

/// Sizes (or strides) of up to kMaxDims dimensions. Prints like Python: `[32, 784]`.
class Shape {
 public:
  static constexpr int kMaxDims = 8;

  Shape() = default;
  Shape(std::initializer_list<int64_t> dims) { assign(dims.begin(), dims.end()); }
  explicit Shape(std::span<const int64_t> dims) { assign(dims.begin(), dims.end()); }
  explicit Shape(const std::vector<int64_t>& dims) { assign(dims.begin(), dims.end()); }

  /// Number of dimensions.
  int64_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  int64_t operator[](int64_t i) const { return d_[static_cast<size_t>(i)]; }
  int64_t& operator[](int64_t i) { return d_[static_cast<size_t>(i)]; }
  const int64_t* begin() const { return d_.data(); }
  const int64_t* end() const { return d_.data() + n_; }
  int64_t* begin() { return d_.data(); }
  int64_t* end() { return d_.data() + n_; }
  int64_t back() const { return d_[n_ - 1]; }
  /// Product of the sizes (1 for a 0-d shape).
  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < n_; ++i) n *= d_[i];
    return n;
  }
  void push_back(int64_t v) {
    EMBER_CHECK_SHAPE(n_ < kMaxDims, "[Shape] too many dimensions: expected at most ", kMaxDims);
    d_[n_++] = v;
  }
  void insert(int64_t pos, int64_t v);
  void erase(int64_t pos);
  std::vector<int64_t> vec() const { return {begin(), end()}; }

  friend bool operator==(const Shape& a, const Shape& b) {
    if (a.n_ != b.n_) return false;
    for (int i = 0; i < a.n_; ++i)
      if (a.d_[i] != b.d_[i]) return false;
    return true;
  }
  friend std::ostream& operator<<(std::ostream& os, const Shape& s);

 private:
  template <class It>
  void assign(It b, It e) {
    n_ = 0;
    for (; b != e; ++b) push_back(static_cast<int64_t>(*b));
  }
  std::array<int64_t, kMaxDims> d_{};
  int8_t n_ = 0;
};

/// Wraps a possibly negative dim (Python style) into [0, ndim); IndexError names `op` if out of range.
int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op);

/// NumPy broadcasting of two shapes; ShapeError naming `op` when they do not broadcast.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

/// Contiguous (row-major) strides for a shape.
Shape contiguous_strides(const Shape& shape);

}  // namespace ember
