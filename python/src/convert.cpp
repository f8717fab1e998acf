// NumPy <-> Tensor and Python <-> Activity conversions shared by every binding file.
#include <cstdint>
#include <string>
#include <vector>

#include "bindings.h"
#include "ember/core/error.h"
#include "util.h"

namespace ember::python {

namespace {

// Keeps a Python object alive from C++ (a Tensor's owner). The last reference may drop on a C++
// thread that does not hold the GIL (a data-loader worker, a released-GIL training loop), so the
// deleter takes the GIL; after interpreter shutdown the reference is leaked instead.
std::shared_ptr<void> keep_alive(py::handle obj) {
  obj.inc_ref();
  return std::shared_ptr<void>(obj.ptr(), [](void* p) {
    if (!Py_IsInitialized()) return;
    py::gil_scoped_acquire gil;
    Py_DECREF(static_cast<PyObject*>(p));
  });
}

std::string numpy_dtype_name(const py::dtype& dt) { return py::str(dt).cast<std::string>(); }

}  // namespace

DType dtype_from_numpy(const py::dtype& dt, const char* what) {
  const char kind = dt.kind();
  const auto size = dt.itemsize();
  if (kind == 'f' && size == 4) return DType::Float32;
  if (kind == 'f' && size == 8) return DType::Float64;
  if (kind == 'i' && size == 4) return DType::Int32;
  if (kind == 'i' && size == 8) return DType::Int64;
  if (kind == 'u' && size == 1) return DType::UInt8;
  throw TypeError(detail::str_cat("[ember] ", what, ": unsupported dtype ", numpy_dtype_name(dt),
                          ", expected float32, float64, int32, int64 or uint8 (convert with .astype(np.float32))"));
}

py::dtype numpy_dtype(DType dt) {
  switch (dt) {
    case DType::Float32: return py::dtype::of<float>();
    case DType::Float64: return py::dtype::of<double>();
    case DType::Int32: return py::dtype::of<int32_t>();
    case DType::Int64: return py::dtype::of<int64_t>();
    case DType::UInt8: return py::dtype::of<uint8_t>();
    case DType::BFloat16: break;
  }
  throw TypeError("[ember] bfloat16 tensors have no NumPy dtype: convert with .to(ember.float32) first");
}

Tensor to_tensor(py::handle obj, const char* what) {
  if (py::isinstance<Tensor>(obj)) return obj.cast<Tensor>();
  if (obj.is_none()) throw TypeError(detail::str_cat("[ember] ", what, ": expected an array or ember.Tensor, got None"));
  py::array arr;
  if (py::isinstance<py::array>(obj)) {
    arr = py::reinterpret_borrow<py::array>(obj);
  } else if (py::isinstance<py::float_>(obj) || py::isinstance<py::int_>(obj) || py::isinstance<py::list>(obj) ||
             py::isinstance<py::tuple>(obj) || py::hasattr(obj, "__array__") || PyObject_CheckBuffer(obj.ptr())) {
    // Python floats default to float32 (Ember's main dtype), not NumPy's float64.
    arr = py::array::ensure(obj);
    if (!arr)
      throw TypeError(detail::str_cat("[ember] ", what, ": cannot convert ", py_type_name(obj), " to an array"));
    if (arr.dtype().kind() == 'f' && !py::isinstance<py::array>(obj) && !py::hasattr(obj, "__array__"))
      arr = py::array_t<float, py::array::forcecast>::ensure(arr);
  } else {
    throw TypeError(detail::str_cat("[ember] ", what, ": expected a NumPy array or ember.Tensor, got ",
                            py_type_name(obj)));
  }
  if (arr.dtype().kind() == 'b') arr = py::array_t<uint8_t, py::array::forcecast>::ensure(arr);
  const DType dt = dtype_from_numpy(arr.dtype(), what);
  if (arr.dtype().byteorder() == '>')
    throw TypeError(detail::str_cat("[ember] ", what, ": byte-swapped (non-native) arrays are not supported; use .astype(native)"));
  const auto item = static_cast<py::ssize_t>(itemsize(dt));
  const py::ssize_t nd = arr.ndim();
  bool strides_ok = true;
  for (py::ssize_t i = 0; i < nd; ++i)
    if (arr.shape(i) > 1 && (arr.strides(i) < 0 || arr.strides(i) % item != 0)) strides_ok = false;
  if (!strides_ok) arr = py::array::ensure(arr, py::array::c_style);  // copied once, then shared
  std::vector<int64_t> shape(static_cast<size_t>(nd)), strides(static_cast<size_t>(nd));
  for (py::ssize_t i = 0; i < nd; ++i) {
    shape[static_cast<size_t>(i)] = arr.shape(i);
    strides[static_cast<size_t>(i)] = arr.shape(i) > 1 ? arr.strides(i) / item : 1;
  }
  const bool writable = arr.writeable();
  void* data = const_cast<void*>(arr.data());
  return Tensor::from_blob(data, Shape(shape), dt, keep_alive(arr), Shape(strides), writable);
}

py::array to_numpy(const Tensor& t) {
  EMBER_CHECK(t.defined(), "[ember] cannot convert an undefined tensor to NumPy");
  const py::dtype dt = numpy_dtype(t.dtype());
  const auto item = static_cast<py::ssize_t>(itemsize(t.dtype()));
  std::vector<py::ssize_t> shape, strides;
  for (int64_t i = 0; i < t.shape().size(); ++i) {
    shape.push_back(t.shape()[i]);
    strides.push_back(t.strides()[i] * item);
  }
  // The capsule owns a copy of the Tensor handle, so the storage lives as long as the array.
  auto* keep = new Tensor(t);
  py::capsule base(keep, [](void* p) { delete static_cast<Tensor*>(p); });
  py::array arr(dt, shape, strides, t.raw_data(), base);
  if (!t.storage()->writable())
    py::detail::array_proxy(arr.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return arr;
}

nn::Activity to_activity(py::handle obj, const char* what) {
  if (obj.is_none()) return {};
  if (py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj)) {
    nn::Table t;
    for (py::handle item : obj) t.push_back(to_activity(item, what));
    return t;
  }
  return to_tensor(obj, what);
}

py::object from_activity(const nn::Activity& a) {
  if (a.empty()) return py::none();
  if (a.is_tensor()) return py::cast(a.tensor());
  py::list out;
  for (const nn::Activity& item : a.table()) out.append(from_activity(item));
  return out;
}

}  // namespace ember::python
