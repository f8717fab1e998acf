#include "ember/tensor/tensor.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "ember/tensor/iter.h"
#include "ember/tensor/random.h"

namespace ember {

// ---- Storage ---------------------------------------------------------------------------------
Storage::Storage(size_t nbytes) : nbytes_(nbytes) {
  const size_t rounded = (std::max<size_t>(nbytes, 1) + 63) / 64 * 64;
  data_ = std::aligned_alloc(64, rounded);
  if (!data_) throw RuntimeError(detail::str_cat("[Storage] out of memory allocating ", nbytes, " bytes"));
}

Storage::Storage(void* data, size_t nbytes, std::shared_ptr<void> owner, bool writable)
    : data_(data), nbytes_(nbytes), owner_(std::move(owner)), writable_(writable), borrowed_(true) {}

Storage::~Storage() {
  if (!borrowed_) std::free(data_);
}

// ---- construction ----------------------------------------------------------------------------
Tensor Tensor::empty(const Shape& shape, DType dtype) {
  for (int64_t s : shape)
    EMBER_CHECK_SHAPE(s >= 0, "[Tensor.empty] negative dimension size: expected sizes >= 0, got shape ", shape);
  auto st = std::make_shared<Storage>(static_cast<size_t>(shape.numel()) * itemsize(dtype));
  return Tensor(std::move(st), shape, contiguous_strides(shape), 0, dtype);
}

Tensor Tensor::zeros(const Shape& shape, DType dtype) {
  Tensor t = empty(shape, dtype);
  std::memset(t.raw_data(), 0, static_cast<size_t>(t.numel()) * itemsize(dtype));
  return t;
}

Tensor Tensor::ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
  Tensor t = empty(shape, dtype);
  t.fill_(value);
  return t;
}

Tensor Tensor::scalar(double value, DType dtype) { return full({}, value, dtype); }

Tensor Tensor::arange(int64_t n, DType dtype) {
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[i] = static_cast<double>(i);
  return from_vector(v, {n}, dtype);
}

namespace {
template <class T>
T from_double(double v) {
  if constexpr (std::is_same_v<T, BFloat16>) {
    return BFloat16(static_cast<float>(v));
  } else {
    return static_cast<T>(v);
  }
}
template <class T>
double to_double(T v) {
  if constexpr (std::is_same_v<T, BFloat16>) {
    return static_cast<double>(static_cast<float>(v));
  } else {
    return static_cast<double>(v);
  }
}
// Every dtype including bfloat16: for copies, conversion and printing.
template <class F>
decltype(auto) dispatch_storage(DType t, F&& f) {
  if (t == DType::BFloat16) return f.template operator()<BFloat16>();
  return dispatch_all(t, "Tensor", std::forward<F>(f));
}
}  // namespace

Tensor Tensor::from_vector(std::span<const double> values, const Shape& shape, DType dtype) {
  EMBER_CHECK_SHAPE(static_cast<int64_t>(values.size()) == shape.numel(), "[Tensor.from_vector] expected ",
                    shape.numel(), " values for shape ", shape, ", got ", values.size());
  Tensor t = empty(shape, dtype);
  dispatch_storage(dtype, [&]<class T>() {
    T* p = t.data<T>();
    for (size_t i = 0; i < values.size(); ++i) p[i] = from_double<T>(values[i]);
  });
  return t;
}

Tensor Tensor::from_blob(void* data, const Shape& shape, DType dtype, std::shared_ptr<void> owner,
                         const Shape& strides, bool writable) {
  EMBER_CHECK(data != nullptr || shape.numel() == 0, "[Tensor.from_blob] data pointer is null");
  Shape st = strides.empty() && !shape.empty() ? contiguous_strides(shape) : strides;
  EMBER_CHECK_SHAPE(st.size() == shape.size(), "[Tensor.from_blob] strides ", st, " do not match shape ", shape,
                    ": expected ", shape.size(), " strides");
  int64_t span = 1;
  for (int64_t d = 0; d < shape.size(); ++d) {
    EMBER_CHECK(st[d] >= 0, "[Tensor.from_blob] negative strides are not supported, got strides ", st);
    if (shape[d] == 0) span = 0;
    else span += (shape[d] - 1) * st[d];
  }
  auto storage = std::make_shared<Storage>(data, static_cast<size_t>(span) * itemsize(dtype), std::move(owner), writable);
  return Tensor(std::move(storage), shape, st, 0, dtype);
}

Tensor Tensor::rand(const Shape& shape, DType dtype, Generator* gen) {
  Tensor t = empty(shape, dtype);
  uniform_(t, 0.0, 1.0, gen);
  return t;
}

Tensor Tensor::randn(const Shape& shape, DType dtype, Generator* gen) {
  Tensor t = empty(shape, dtype);
  normal_(t, 0.0, 1.0, gen);
  return t;
}

// ---- properties ------------------------------------------------------------------------------
void Tensor::check_defined(const char* op) const {
  EMBER_CHECK(defined(), "[", op, "] tensor is undefined (default-constructed or moved-from)");
}

void Tensor::check_dtype(DType expected, const char* op) const {
  check_defined(op);
  EMBER_CHECK_TYPE(dtype_ == expected, "[", op, "] dtype mismatch: expected ", expected, ", got ", dtype_);
}

int64_t Tensor::size(int64_t d) const { return shape_[wrap_dim(d, dim(), "Tensor.size")]; }
int64_t Tensor::stride(int64_t d) const { return strides_[wrap_dim(d, dim(), "Tensor.stride")]; }

bool Tensor::is_contiguous() const {
  int64_t expected = 1;
  for (int64_t d = dim() - 1; d >= 0; --d) {
    if (shape_[d] == 1) continue;
    if (strides_[d] != expected) return false;
    expected *= shape_[d];
  }
  return true;
}

void* Tensor::raw_data() const {
  if (!storage_) return nullptr;
  return static_cast<char*>(storage_->data()) + offset_ * static_cast<int64_t>(itemsize(dtype_));
}

double Tensor::item() const {
  check_defined("Tensor.item");
  EMBER_CHECK_SHAPE(numel() == 1, "[Tensor.item] expected a tensor with one element, got shape ", shape_);
  return dispatch_storage(dtype_, [&]<class T>() { return to_double(*static_cast<const T*>(raw_data())); });
}

double Tensor::at(std::initializer_list<int64_t> index) const {
  check_defined("Tensor.at");
  EMBER_CHECK_INDEX(static_cast<int64_t>(index.size()) == dim(), "[Tensor.at] expected ", dim(),
                    " indices for shape ", shape_, ", got ", index.size());
  int64_t off = 0, d = 0;
  for (int64_t i : index) {
    EMBER_CHECK_INDEX(i >= -shape_[d] && i < shape_[d], "[Tensor.at] index ", i, " out of range for dimension ",
                      d, " of size ", shape_[d]);
    off += (i < 0 ? i + shape_[d] : i) * strides_[d];
    ++d;
  }
  return dispatch_storage(dtype_, [&]<class T>() { return to_double(static_cast<const T*>(raw_data())[off]); });
}

std::vector<double> Tensor::to_vector() const {
  check_defined("Tensor.to_vector");
  std::vector<double> out(static_cast<size_t>(numel()));
  Tensor c = contiguous();
  dispatch_storage(dtype_, [&]<class T>() {
    const T* p = static_cast<const T*>(c.raw_data());
    for (size_t i = 0; i < out.size(); ++i) out[i] = to_double(p[i]);
  });
  return out;
}

// ---- views -----------------------------------------------------------------------------------
namespace {
Shape infer_size(const Shape& requested, int64_t numel, const Shape& from) {
  Shape out = requested;
  int64_t known = 1, infer = -1;
  for (int64_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      EMBER_CHECK_SHAPE(infer < 0, "[Tensor.view] only one dimension can be -1, got ", requested);
      infer = i;
    } else {
      EMBER_CHECK_SHAPE(out[i] >= 0, "[Tensor.view] invalid size ", out[i], " in shape ", requested);
      known *= out[i];
    }
  }
  if (infer >= 0) {
    EMBER_CHECK_SHAPE(known > 0 && numel % known == 0, "[Tensor.view] shape ", requested,
                      " is invalid for input of shape ", from, " (", numel, " elements)");
    out[infer] = numel / known;
  }
  EMBER_CHECK_SHAPE(out.numel() == numel, "[Tensor.view] shape ", requested, " is invalid for input of shape ",
                    from, ": expected ", numel, " elements, got ", out.numel());
  return out;
}

// Strides for viewing (shape, strides) as new_shape without copying, if possible (PyTorch's
// computeStride): walk chunks of old dims that are contiguous among themselves.
bool view_strides(const Shape& shape, const Shape& strides, const Shape& new_shape, Shape& out) {
  out = new_shape;
  if (shape.numel() == 0 || shape.size() == 0) {
    out = contiguous_strides(new_shape);
    return true;
  }
  int64_t view_d = new_shape.size() - 1;
  int64_t chunk_base_stride = strides.size() ? strides.back() : 1;
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t td = shape.size() - 1; td >= 0; --td) {
    tensor_numel *= shape[td];
    if (td == 0 || (shape[td - 1] != 1 && strides[td - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_shape[view_d] == 1)) {
        out[view_d] = view_numel * chunk_base_stride;
        view_numel *= new_shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return false;
      if (td > 0) {
        chunk_base_stride = strides[td - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  return view_d == -1;
}
}  // namespace

Tensor Tensor::view(const Shape& shape) const {
  check_defined("Tensor.view");
  Shape s = infer_size(shape, numel(), shape_);
  Shape st;
  EMBER_CHECK_SHAPE(view_strides(shape_, strides_, s, st), "[Tensor.view] cannot view tensor of shape ", shape_,
                    " with strides ", strides_, " as ", s, " without copying. Hint: use reshape() or contiguous()");
  return Tensor(storage_, s, st, offset_, dtype_);
}

bool Tensor::can_view(const Shape& shape) const {
  if (!defined() || shape.numel() != numel()) return false;
  Shape st;
  return view_strides(shape_, strides_, shape, st);
}

Tensor Tensor::reshape(const Shape& shape) const {
  check_defined("Tensor.reshape");
  Shape s = infer_size(shape, numel(), shape_);
  Shape st;
  if (view_strides(shape_, strides_, s, st)) return Tensor(storage_, s, st, offset_, dtype_);
  return contiguous().view(s);
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
  check_defined("Tensor.transpose");
  d0 = wrap_dim(d0, dim(), "Tensor.transpose");
  d1 = wrap_dim(d1, dim(), "Tensor.transpose");
  Tensor t = *this;
  std::swap(t.shape_[d0], t.shape_[d1]);
  std::swap(t.strides_[d0], t.strides_[d1]);
  return t;
}

Tensor Tensor::permute(const Shape& dims) const {
  check_defined("Tensor.permute");
  EMBER_CHECK_SHAPE(dims.size() == dim(), "[Tensor.permute] expected ", dim(), " dims for shape ", shape_, ", got ",
                    dims);
  Tensor t = *this;
  std::array<bool, Shape::kMaxDims> seen{};
  for (int64_t i = 0; i < dim(); ++i) {
    const int64_t d = wrap_dim(dims[i], dim(), "Tensor.permute");
    EMBER_CHECK_INDEX(!seen[d], "[Tensor.permute] dimension ", d, " repeats in ", dims);
    seen[d] = true;
    t.shape_[i] = shape_[d];
    t.strides_[i] = strides_[d];
  }
  return t;
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  check_defined("Tensor.narrow");
  d = wrap_dim(d, dim(), "Tensor.narrow");
  if (start < 0) start += shape_[d];
  EMBER_CHECK_INDEX(start >= 0 && length >= 0 && start + length <= shape_[d], "[Tensor.narrow] range [", start, ", ",
                    start + length, ") out of bounds for dimension ", d, " of size ", shape_[d]);
  Tensor t = *this;
  t.shape_[d] = length;
  t.offset_ += start * strides_[d];
  return t;
}

Tensor Tensor::select(int64_t d, int64_t index) const {
  check_defined("Tensor.select");
  d = wrap_dim(d, dim(), "Tensor.select");
  EMBER_CHECK_INDEX(index >= -shape_[d] && index < shape_[d], "[Tensor.select] index ", index,
                    " out of range for dimension ", d, " of size ", shape_[d]);
  if (index < 0) index += shape_[d];
  Tensor t = *this;
  t.offset_ += index * strides_[d];
  t.shape_.erase(d);
  t.strides_.erase(d);
  return t;
}

Tensor Tensor::squeeze() const {
  check_defined("Tensor.squeeze");
  Tensor t = *this;
  t.shape_ = {};
  t.strides_ = {};
  for (int64_t d = 0; d < dim(); ++d) {
    if (shape_[d] == 1) continue;
    t.shape_.push_back(shape_[d]);
    t.strides_.push_back(strides_[d]);
  }
  return t;
}

Tensor Tensor::squeeze(int64_t d) const {
  check_defined("Tensor.squeeze");
  d = wrap_dim(d, dim(), "Tensor.squeeze");
  if (dim() == 0 || shape_[d] != 1) return *this;
  Tensor t = *this;
  t.shape_.erase(d);
  t.strides_.erase(d);
  return t;
}

Tensor Tensor::unsqueeze(int64_t d) const {
  check_defined("Tensor.unsqueeze");
  d = wrap_dim(d, dim() + 1, "Tensor.unsqueeze");
  Tensor t = *this;
  const int64_t st = d < dim() ? shape_[d] * strides_[d] : 1;
  t.shape_.insert(d, 1);
  t.strides_.insert(d, st);
  return t;
}

Tensor Tensor::expand(const Shape& shape) const {
  check_defined("Tensor.expand");
  EMBER_CHECK_SHAPE(shape.size() >= dim(), "[Tensor.expand] cannot expand shape ", shape_, " to ", shape,
                    ": expected at least ", dim(), " dims");
  Tensor t = *this;
  t.shape_ = shape;
  t.strides_ = shape;
  const int64_t lead = shape.size() - dim();
  for (int64_t i = 0; i < shape.size(); ++i) {
    const int64_t src = i - lead;
    if (src < 0) {
      EMBER_CHECK_SHAPE(shape[i] >= 0, "[Tensor.expand] size -1 not allowed for a new leading dimension in ", shape);
      t.strides_[i] = 0;
      continue;
    }
    const int64_t want = shape[i] == -1 ? shape_[src] : shape[i];
    EMBER_CHECK_SHAPE(want == shape_[src] || shape_[src] == 1, "[Tensor.expand] cannot expand shape ", shape_, " to ",
                      shape, ": expected size ", shape_[src], " or 1 at dimension ", i, ", got ", want);
    t.shape_[i] = want;
    t.strides_[i] = shape_[src] == want ? strides_[src] : 0;
  }
  return t;
}

Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const {
  check_defined("Tensor.flatten");
  if (dim() == 0) return reshape({1});
  start_dim = wrap_dim(start_dim, dim(), "Tensor.flatten");
  end_dim = wrap_dim(end_dim, dim(), "Tensor.flatten");
  EMBER_CHECK_INDEX(start_dim <= end_dim, "[Tensor.flatten] start_dim ", start_dim, " must not exceed end_dim ",
                    end_dim);
  Shape s;
  int64_t merged = 1;
  for (int64_t d = 0; d < dim(); ++d) {
    if (d < start_dim || d > end_dim) {
      s.push_back(shape_[d]);
    } else {
      merged *= shape_[d];
      if (d == end_dim) s.push_back(merged);
    }
  }
  return reshape(s);
}

Tensor Tensor::contiguous() const {
  check_defined("Tensor.contiguous");
  return is_contiguous() ? *this : clone();
}

// ---- copies ----------------------------------------------------------------------------------
Tensor Tensor::clone() const {
  check_defined("Tensor.clone");
  Tensor t = empty(shape_, dtype_);
  t.copy_(*this);
  return t;
}

Tensor Tensor::to(DType dtype) const {
  check_defined("Tensor.to");
  if (dtype == dtype_) return *this;
  Tensor t = empty(shape_, dtype);
  t.copy_(*this);
  return t;
}

Tensor& Tensor::copy_(const Tensor& src) {
  check_defined("Tensor.copy_");
  src.check_defined("Tensor.copy_");
  EMBER_CHECK(storage_->writable(), "[Tensor.copy_] destination is read-only");
  Shape b = broadcast_shapes(shape_, src.shape(), "Tensor.copy_");
  EMBER_CHECK_SHAPE(b == shape_, "[Tensor.copy_] source shape ", src.shape(), " does not broadcast to destination shape ",
                    shape_);
  Tensor e = src.expand(shape_);
  if (dtype_ == src.dtype_ && is_contiguous() && e.is_contiguous()) {
    if (raw_data() != e.raw_data())
      std::memmove(raw_data(), e.raw_data(), static_cast<size_t>(numel()) * itemsize(dtype_));
    return *this;
  }
  dispatch_storage(dtype_, [&]<class D>() {
    dispatch_storage(src.dtype_, [&]<class S>() {
      D* dp = static_cast<D*>(raw_data());
      const S* sp = static_cast<const S*>(e.raw_data());
      detail::strided_loop<2>(shape_, {strides_, e.strides()}, [&](int64_t n, auto offs, auto inner) {
        D* d = dp + offs[0];
        const S* s = sp + offs[1];
        for (int64_t i = 0; i < n; ++i) {
          if constexpr (std::is_same_v<D, S>) {
            d[i * inner[0]] = s[i * inner[1]];
          } else {
            d[i * inner[0]] = from_double<D>(to_double(s[i * inner[1]]));
          }
        }
      });
    });
  });
  return *this;
}

Tensor& Tensor::fill_(double value) {
  check_defined("Tensor.fill_");
  EMBER_CHECK(storage_->writable(), "[Tensor.fill_] tensor is read-only");
  dispatch_storage(dtype_, [&]<class T>() {
    const T v = from_double<T>(value);
    T* p = static_cast<T*>(raw_data());
    detail::strided_loop<1>(shape_, {strides_}, [&](int64_t n, auto offs, auto inner) {
      T* d = p + offs[0];
      if (inner[0] == 1) {
        std::fill(d, d + n, v);
      } else {
        for (int64_t i = 0; i < n; ++i) d[i * inner[0]] = v;
      }
    });
  });
  return *this;
}

Tensor& Tensor::resize_(const Shape& shape, DType dtype) {
  const size_t need = static_cast<size_t>(shape.numel()) * itemsize(dtype);
  // Torch7/BigDL contract: a module's output buffer is reused, so whoever keeps an output across
  // calls clones it. Borrowed (external) memory is never reused.
  if (storage_ && storage_->writable() && !storage_->borrowed() && storage_->nbytes() >= need) {
    shape_ = shape;
    strides_ = contiguous_strides(shape);
    offset_ = 0;
    dtype_ = dtype;
    return *this;
  }
  *this = empty(shape, dtype);
  return *this;
}

}  // namespace ember
