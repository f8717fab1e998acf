#pragma once
/// Tensor: an N-d strided view over shared, 64-byte aligned storage.
///
/// Copying a Tensor copies the handle (the storage is shared), like torch.Tensor. Views (view,
/// transpose, narrow, select, expand, ...) share storage and never copy; `contiguous()` copies only
/// when the layout requires it and `clone()` always copies.
///
/// Example:
///   Tensor x = Tensor::zeros({2, 3});            // float32
///   Tensor y = x.transpose(0, 1);                 // [3, 2] view, no copy
///   y.fill_(1.0);                                 // x is all ones now

#include <cstdint>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "ember/tensor/dtype.h"
#include "ember/tensor/shape.h"

namespace ember {

/// A block of bytes, owned (64-byte aligned) or borrowed from an external buffer kept alive by `owner`.
class Storage {
 public:
  /// Allocates `nbytes` (uninitialised).
  explicit Storage(size_t nbytes);
  /// Borrows `data`; `owner` keeps the memory alive for as long as this storage lives.
  Storage(void* data, size_t nbytes, std::shared_ptr<void> owner, bool writable = true);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  bool writable() const { return writable_; }
  /// True for external memory (from_blob): never freed or reused by Ember.
  bool borrowed() const { return borrowed_; }

 private:
  void* data_ = nullptr;
  size_t nbytes_ = 0;
  std::shared_ptr<void> owner_;  // keeps borrowed memory alive (may be empty)
  bool writable_ = true;
  bool borrowed_ = false;
};

class Generator;

class Tensor {
 public:
  /// An undefined tensor (no storage); `defined()` is false.
  Tensor() = default;

  // ---- construction ------------------------------------------------------------------------
  /// Uninitialised tensor of the given shape and dtype.
  static Tensor empty(const Shape& shape, DType dtype = DType::Float32);
  static Tensor zeros(const Shape& shape, DType dtype = DType::Float32);
  static Tensor ones(const Shape& shape, DType dtype = DType::Float32);
  static Tensor full(const Shape& shape, double value, DType dtype = DType::Float32);
  /// 0-d tensor holding `value`.
  static Tensor scalar(double value, DType dtype = DType::Float32);
  /// [n] tensor 0, 1, ..., n-1.
  static Tensor arange(int64_t n, DType dtype = DType::Float32);
  /// Copies `values` (converted to dtype) into a new tensor of `shape`; numel must match.
  static Tensor from_vector(std::span<const double> values, const Shape& shape, DType dtype = DType::Float32);
  template <class T>
  static Tensor from_vector(const std::vector<T>& values, const Shape& shape) {
    Tensor t = empty(shape, dtype_of_v<T>);
    EMBER_CHECK_SHAPE(static_cast<int64_t>(values.size()) == shape.numel(), "[Tensor.from_vector] expected ",
                      shape.numel(), " values for shape ", shape, ", got ", values.size());
    std::copy(values.begin(), values.end(), t.data<T>());
    return t;
  }
  /// Wraps an external buffer without copying. `strides` in elements (empty: contiguous). `owner`
  /// keeps the buffer alive; the tensor is read-only when `writable` is false.
  static Tensor from_blob(void* data, const Shape& shape, DType dtype, std::shared_ptr<void> owner = nullptr,
                          const Shape& strides = {}, bool writable = true);
  /// Uniform [low, high), normal(mean, std) from `gen` (default: the global generator).
  static Tensor rand(const Shape& shape, DType dtype = DType::Float32, Generator* gen = nullptr);
  static Tensor randn(const Shape& shape, DType dtype = DType::Float32, Generator* gen = nullptr);

  // ---- properties --------------------------------------------------------------------------
  bool defined() const { return storage_ != nullptr; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  const Shape& strides() const { return strides_; }
  /// Number of dimensions.
  int64_t dim() const { return shape_.size(); }
  /// Size of dimension d (negative d counts from the end).
  int64_t size(int64_t d) const;
  int64_t stride(int64_t d) const;
  int64_t numel() const { return shape_.numel(); }
  int64_t offset() const { return offset_; }
  bool is_contiguous() const;
  const std::shared_ptr<Storage>& storage() const { return storage_; }
  /// True when both tensors view the same storage.
  bool shares_storage(const Tensor& other) const { return storage_ && storage_ == other.storage_; }

  /// Typed pointer to the first element; TypeError if T does not match dtype().
  template <class T>
  T* data() const {
    check_dtype(dtype_of_v<T>, "Tensor.data");
    return static_cast<T*>(raw_data());
  }
  /// Untyped pointer to the first element (storage + offset).
  void* raw_data() const;

  /// Value of a 1-element tensor as double.
  double item() const;
  /// Element at a full index, as double (for tests and printing; not for hot loops).
  double at(std::initializer_list<int64_t> index) const;
  /// Values in row-major order, converted to double.
  std::vector<double> to_vector() const;

  // ---- views (no copy) ---------------------------------------------------------------------
  /// Same data with a new shape; one size may be -1. Needs a compatible layout (see reshape).
  Tensor view(const Shape& shape) const;
  /// True when view(shape) would succeed without copying (same element count, compatible strides).
  bool can_view(const Shape& shape) const;
  /// view() when the layout allows it, otherwise a contiguous copy.
  Tensor reshape(const Shape& shape) const;
  Tensor transpose(int64_t d0, int64_t d1) const;
  /// Transpose of a 2-d tensor.
  Tensor t() const { return transpose(0, 1); }
  Tensor permute(std::initializer_list<int64_t> dims) const { return permute(Shape(dims)); }
  Tensor permute(const Shape& dims) const;
  /// Elements [start, start + length) along dim.
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  /// Removes dim, taking index `index` along it.
  Tensor select(int64_t dim, int64_t index) const;
  /// Removes all size-1 dimensions / one size-1 dimension.
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor unsqueeze(int64_t dim) const;
  /// Broadcasts size-1 dimensions to `shape` (stride 0); -1 keeps a size.
  Tensor expand(const Shape& shape) const;
  /// Merges dims [start, end] into one.
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  /// This tensor if contiguous, else a contiguous copy.
  Tensor contiguous() const;

  // ---- copies and in-place ---------------------------------------------------------------
  Tensor clone() const;
  /// Copy of the values converted to dtype (this tensor if dtype already matches).
  Tensor to(DType dtype) const;
  /// Copies src into this tensor, broadcasting src and converting dtype.
  Tensor& copy_(const Tensor& src);
  Tensor& fill_(double value);
  Tensor& zero_() { return fill_(0.0); }
  /// Makes this a contiguous tensor of `shape`, reusing the storage when it is large enough and not
  /// borrowed (other handles to it see the new contents). Contents are unspecified afterwards.
  /// Used for module output buffers, which Torch-style are overwritten by the next call.
  Tensor& resize_(const Shape& shape, DType dtype);
  Tensor& resize_(const Shape& shape) { return resize_(shape, dtype_); }
  /// Same shape and dtype as other.
  Tensor& resize_as_(const Tensor& other) { return resize_(other.shape(), other.dtype()); }

  /// Raises TypeError when dtype() != expected, naming `op`.
  void check_dtype(DType expected, const char* op) const;

  /// NumPy-like text, e.g. `tensor([[1., 2.], [3., 4.]], dtype=float32)`.
  std::string to_string() const;
  friend std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.to_string(); }

 private:
  Tensor(std::shared_ptr<Storage> storage, const Shape& shape, const Shape& strides, int64_t offset, DType dtype)
      : storage_(std::move(storage)), shape_(shape), strides_(strides), offset_(offset), dtype_(dtype) {}
  void check_defined(const char* op) const;

  std::shared_ptr<Storage> storage_;
  Shape shape_, strides_;
  int64_t offset_ = 0;  // in elements
  DType dtype_ = DType::Float32;
};

}  // namespace ember
