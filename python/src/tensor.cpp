// Bindings for ember/tensor: Tensor (buffer protocol, NumPy interop, views, ops, indexing,
// pickling), DType, Generator and the tensor functions of ops.h.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "bindings.h"
#include "ember/core/error.h"
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"
#include "util.h"

namespace ember::python {

namespace {

py::tuple to_tuple(const Shape& s) {
  py::tuple t(static_cast<size_t>(s.size()));
  for (int64_t i = 0; i < s.size(); ++i) t[static_cast<size_t>(i)] = py::int_(s[i]);
  return t;
}

Generator* generator_arg(py::handle gen) { return gen.is_none() ? nullptr : gen.cast<Generator*>(); }

bool is_tensor(py::handle o) { return py::isinstance<Tensor>(o); }

// A Python number (int, float, bool, NumPy scalar) used as the scalar operand of an op.
bool is_scalar(py::handle o) {
  if (is_tensor(o) || py::isinstance<py::array>(o)) return false;
  if (py::isinstance<py::float_>(o) || py::isinstance<py::int_>(o)) return true;
  return PyNumber_Check(o.ptr()) && !PySequence_Check(o.ptr()) && py::hasattr(o, "dtype");
}

double scalar_value(py::handle o) { return py::float_(py::reinterpret_borrow<py::object>(o)).cast<double>(); }

// The tensor operand of a binary op on `self`: Tensors and NumPy arrays as they are (dtypes must
// match, as in C++), Python lists and tuples converted to self's dtype.
Tensor operand(const Tensor& self, py::handle other, const char* op) {
  if (is_tensor(other)) return other.cast<Tensor>();
  if (py::isinstance<py::array>(other)) return to_tensor(other, op);
  if (py::isinstance<py::list>(other) || py::isinstance<py::tuple>(other)) return to_tensor(other, op).to(self.dtype());
  if (PyObject_CheckBuffer(other.ptr()) || py::hasattr(other, "__array__")) return to_tensor(other, op);
  throw TypeError(detail::str_cat("[Tensor.", op, "] unsupported operand of type ", py_type_name(other),
                                  ": expected an ember.Tensor, a NumPy array or a number"));
}

bool ranges_overlap(const Tensor& a, const Tensor& b) {
  if (!a.defined() || !b.defined()) return false;
  const auto* pa = static_cast<const char*>(a.storage()->data());
  const auto* pb = static_cast<const char*>(b.storage()->data());
  return pa < pb + b.storage()->nbytes() && pb < pa + a.storage()->nbytes();
}

// An ember.Tensor or array-like as a Tensor view (no copy for arrays of a supported dtype).
Tensor arg(py::handle obj, const char* what = "input") { return to_tensor(obj, what); }

py::object item_of(const Tensor& t) {
  const double v = t.item();  // checks defined and numel == 1
  switch (t.dtype()) {
    case DType::Int64: return py::int_(*static_cast<const int64_t*>(t.raw_data()));
    case DType::Int32: return py::int_(*static_cast<const int32_t*>(t.raw_data()));
    case DType::UInt8: return py::int_(*static_cast<const uint8_t*>(t.raw_data()));
    default: return py::float_(v);
  }
}

py::object tolist(const Tensor& t) {
  if (!t.defined()) throw ValueError("[Tensor.tolist] undefined tensor");
  const Tensor u = t.dtype() == DType::BFloat16 ? t.to(DType::Float32) : t;
  return to_numpy(u).attr("tolist")();
}

// ---- indexing ----------------------------------------------------------------------------------

// Ints, slices with step 1, Ellipsis and None map onto select/narrow/unsqueeze (a view). Returns
// false for anything else (steps, arrays, masks), which goes through NumPy.
bool basic_index(const Tensor& t, py::handle key, Tensor& out) {
  py::tuple items = py::isinstance<py::tuple>(key) ? py::reinterpret_borrow<py::tuple>(key) : py::make_tuple(key);
  int64_t consumed = 0, ellipses = 0;
  for (py::handle it : items) {
    if (is_int(it)) {
      ++consumed;
    } else if (py::isinstance<py::slice>(it)) {
      py::object step = it.attr("step");
      if (!step.is_none() && !(is_int(step) && step.cast<int64_t>() == 1)) return false;
      ++consumed;
    } else if (it.ptr() == Py_Ellipsis) {
      ++ellipses;
    } else if (!it.is_none()) {
      return false;
    }
  }
  if (ellipses > 1) throw IndexError("[Tensor.__getitem__] an index can only have a single ellipsis ('...')");
  EMBER_CHECK_INDEX(consumed <= t.dim(), "[Tensor.__getitem__] too many indices: tensor is ", t.dim(),
                    "-dimensional, but ", consumed, " were indexed");
  Tensor r = t;
  int64_t d = 0;
  for (py::handle it : items) {
    if (is_int(it)) {
      const int64_t i = py::reinterpret_steal<py::int_>(PyNumber_Index(it.ptr())).cast<int64_t>();
      const int64_t n = r.size(d);
      EMBER_CHECK_INDEX(i >= -n && i < n, "[Tensor.__getitem__] index ", i, " is out of bounds for dimension ", d,
                        " with size ", n);
      r = r.select(d, i);
    } else if (py::isinstance<py::slice>(it)) {
      size_t start = 0, stop = 0, step = 0, len = 0;
      if (!py::reinterpret_borrow<py::slice>(it).compute(static_cast<size_t>(r.size(d)), &start, &stop, &step, &len))
        throw py::error_already_set();
      r = r.narrow(d, static_cast<int64_t>(start), static_cast<int64_t>(len));
      ++d;
    } else if (it.ptr() == Py_Ellipsis) {
      d += t.dim() - consumed;
    } else {  // None
      r = r.unsqueeze(d);
      ++d;
    }
  }
  out = r;
  return true;
}

Tensor getitem(const Tensor& t, py::handle key) {
  Tensor out;
  if (basic_index(t, key, out)) return out;
  // Steps, integer arrays, boolean masks: NumPy indexing on a view of the data. A strided view
  // (positive steps) still shares memory; negative steps and advanced indexing give copies.
  py::object r = to_numpy(t)[key];
  return to_tensor(numpy_attr("asarray")(r), "index result");
}

void setitem(Tensor& t, py::handle key, py::handle value) {
  Tensor view;
  if (!basic_index(t, key, view)) {
    py::array a = to_numpy(t);  // read-only tensors give read-only arrays: NumPy raises ValueError
    if (is_tensor(value)) {
      const Tensor v = value.cast<Tensor>();
      a[key] = v.dtype() == DType::BFloat16 ? to_numpy(v.to(DType::Float32)) : to_numpy(v);
    } else {
      a[key] = value;
    }
    return;
  }
  if (is_scalar(value)) {
    view.fill_(scalar_value(value));
    return;
  }
  Tensor src = is_tensor(value) || py::isinstance<py::array>(value) ? to_tensor(value, "value")
                                                                    : to_tensor(value, "value").to(t.dtype());
  if (ranges_overlap(src, view)) src = src.clone();  // t[1:] = t[:-1]
  view.copy_(src);
}

// ---- pickling ----------------------------------------------------------------------------------

py::tuple getstate(const Tensor& t) {
  if (!t.defined()) throw ValueError("[Tensor.__getstate__] cannot pickle an undefined tensor");
  const Tensor c = t.contiguous();
  const auto nbytes = static_cast<size_t>(c.numel()) * itemsize(c.dtype());
  py::bytes data(static_cast<const char*>(c.raw_data()), nbytes);
  return py::make_tuple(data, to_tuple(c.shape()), std::string(dtype_name(c.dtype())));
}

Tensor setstate(const py::tuple& st) {
  if (st.size() != 3)
    throw ValueError(detail::str_cat("[Tensor.__setstate__] expected (bytes, shape, dtype), got ", st.size(), " items"));
  const Shape shape = shape_arg(st[1], "shape");
  const DType dt = dtype_arg(st[2], DType::Float32);
  const std::string data = st[0].cast<std::string>();
  const auto nbytes = static_cast<size_t>(shape.numel()) * itemsize(dt);
  if (data.size() != nbytes)
    throw ValueError(detail::str_cat("[Tensor.__setstate__] expected ", nbytes, " bytes for shape ", shape, " ",
                                     dtype_name(dt), ", got ", data.size()));
  Tensor t = Tensor::empty(shape, dt);
  if (nbytes) std::memcpy(t.raw_data(), data.data(), nbytes);
  return t;
}

// ---- buffer protocol ---------------------------------------------------------------------------

py::buffer_info buffer_of(Tensor& t) {
  if (!t.defined()) throw ValueError("[Tensor] undefined tensor has no buffer");
  std::string format;
  switch (t.dtype()) {
    case DType::Float32: format = py::format_descriptor<float>::format(); break;
    case DType::Float64: format = py::format_descriptor<double>::format(); break;
    case DType::Int32: format = py::format_descriptor<int32_t>::format(); break;
    case DType::Int64: format = py::format_descriptor<int64_t>::format(); break;
    case DType::UInt8: format = py::format_descriptor<uint8_t>::format(); break;
    case DType::BFloat16:
      throw TypeError("[ember] bfloat16 tensors have no buffer format: convert with .to(ember.float32) first");
  }
  const auto item = static_cast<py::ssize_t>(itemsize(t.dtype()));
  std::vector<py::ssize_t> shape, strides;
  for (int64_t i = 0; i < t.dim(); ++i) {
    shape.push_back(t.size(i));
    strides.push_back(t.stride(i) * item);
  }
  return py::buffer_info(t.raw_data(), item, format, t.dim(), shape, strides, !t.storage()->writable());
}

// The tuple of Generator.get_state() (also its pickled state) -> Generator::State.
Generator::State generator_state(const py::tuple& st, const char* where) {
  if (st.size() != 4) throw ValueError(detail::str_cat("[", where, "] expected the tuple of get_state()"));
  Generator::State s{};
  const auto words = st[0].cast<std::vector<uint64_t>>();
  if (words.size() != 4) throw ValueError(detail::str_cat("[", where, "] expected 4 state words"));
  std::copy(words.begin(), words.end(), s.s.begin());
  s.seed = st[1].cast<uint64_t>();
  s.spare = st[2].cast<double>();
  s.has_spare = st[3].cast<bool>();
  return s;
}

// ---- op registration -----------------------------------------------------------------------------

using Unary = Tensor (*)(const Tensor&);

}  // namespace

void bind_tensor(py::module_& m) {
  // ---- dtypes -----------------------------------------------------------------------------------
  py::enum_<DType>(m, "DType", "Element types of a Tensor: float32 (the main one), float64, int32, int64, uint8, "
                                 "bfloat16 (storage only: convert with .to(ember.float32) to compute).")
      .value("float32", DType::Float32)
      .value("float64", DType::Float64)
      .value("int32", DType::Int32)
      .value("int64", DType::Int64)
      .value("uint8", DType::UInt8)
      .value("bfloat16", DType::BFloat16)
      .export_values()
      .def_property_readonly("itemsize", [](DType d) { return itemsize(d); }, "Bytes per element.")
      .def_property_readonly("is_floating_point", [](DType d) { return is_floating(d); })
      .def_property_readonly("numpy_dtype", [](DType d) { return numpy_dtype(d); },
                             "The NumPy dtype (TypeError for bfloat16, which NumPy lacks).");
  {
    // Replaces (not overloads) the enum's repr: `ember.float32`, str `float32`.
    py::object dtype_cls = m.attr("DType");
    dtype_cls.attr("__repr__") = py::cpp_function([](DType d) { return detail::str_cat("ember.", dtype_name(d)); },
                                                  py::is_method(dtype_cls), py::name("__repr__"));
    dtype_cls.attr("__str__") = py::cpp_function([](DType d) { return std::string(dtype_name(d)); },
                                                 py::is_method(dtype_cls), py::name("__str__"));
  }

  // ---- random -----------------------------------------------------------------------------------
  py::classh<Generator>(m, "Generator", R"doc(A seeded random stream (xoshiro256**): the same seed gives the same
values on every platform. Factories (rand, randn), in-place fills (uniform_, normal_, bernoulli_) and data
transformers take one; without one they use the default generator, seeded by ember.manual_seed.

Example: ``g = ember.Generator(42); x = ember.rand(2, 3, generator=g)``)doc")
      .def(py::init([](py::object seed) {
             return seed.is_none() ? Generator() : Generator(seed.cast<uint64_t>());
           }),
           py::arg("seed") = py::none())
      .def("manual_seed", [](Generator& g, uint64_t s) -> Generator& { g.manual_seed(s); return g; },
           py::arg("seed"), py::return_value_policy::reference_internal, "Re-seeds the stream; returns self.")
      .def("initial_seed", &Generator::seed, "The seed given last.")
      .def_property_readonly("seed", &Generator::seed)
      .def("next_u64", &Generator::next_u64, "The next 64 random bits.")
      .def("next_double", &Generator::next_double, "Uniform in [0, 1).")
      .def("next_normal", &Generator::next_normal, "Standard normal.")
      .def("next_below", &Generator::next_below, py::arg("n"), "Uniform integer in [0, n).")
      .def("uniform", [](Generator& g, double low, double high) { return low + (high - low) * g.next_double(); },
           py::arg("low") = 0.0, py::arg("high") = 1.0, "Uniform in [low, high).")
      .def("get_state",
           [](const Generator& g) {
             const Generator::State s = g.state();
             return py::make_tuple(py::make_tuple(s.s[0], s.s[1], s.s[2], s.s[3]), s.seed, s.spare, s.has_spare);
           },
           "The exact state (restores with set_state).")
      .def("set_state",
           [](Generator& g, const py::tuple& st) { g.set_state(generator_state(st, "Generator.set_state")); },
           py::arg("state"))
      .def(py::pickle(
          [](const Generator& g) {
            const Generator::State s = g.state();
            return py::make_tuple(py::make_tuple(s.s[0], s.s[1], s.s[2], s.s[3]), s.seed, s.spare, s.has_spare);
          },
          [](const py::tuple& st) {
            Generator g;
            g.set_state(generator_state(st, "Generator.__setstate__"));
            return g;
          }))
      .def("__repr__", [](const Generator& g) { return detail::str_cat("ember.Generator(seed=", g.seed(), ")"); });
  m.def("manual_seed", &manual_seed, py::arg("seed"), "Seeds the default generator (like torch.manual_seed).");
  m.def("default_generator", &default_generator, py::return_value_policy::reference,
        "The process-wide generator used when none is passed.");

  // ---- Tensor -----------------------------------------------------------------------------------
  py::class_<Tensor> cls(m, "Tensor", py::buffer_protocol(), R"doc(An N-d strided view over shared storage
(Ember's C++ Tensor). NumPy interop never copies: ``np.asarray(t)`` / ``t.numpy()`` share memory, as do
``ember.from_numpy(a)`` and every op that takes an array (read-only arrays give read-only tensors).
``ember.Tensor(data, dtype=None)`` copies, like torch.tensor; Python floats become float32.

Indexing: ints, slices with step 1, ``...`` and ``None`` give views (select/narrow/unsqueeze); other slices
go through NumPy (positive steps still share memory; negative steps, integer arrays and boolean masks copy).

Example::

    t = ember.Tensor([[1., 2.], [3., 4.]])    # float32 [2, 2]
    (t @ t.t() + 1).sum(dim=1)                 # tensor([ 6., 26.], dtype=float32)
)doc");
  cls.def(py::init([](py::handle data, py::handle dtype) {
            Tensor t = to_tensor(data, "data");
            const DType dt = dtype_arg(dtype, t.dtype());
            return dt == t.dtype() ? t.clone() : t.to(dt);
          }),
          py::arg("data"), py::arg("dtype") = py::none(),
          "A new tensor holding a copy of `data` (array, Tensor, nested lists or a number).")
      .def_buffer(&buffer_of)
      .def("numpy", &to_numpy, "A NumPy array sharing this tensor's memory (read-only when the tensor is).")
      .def(
          "__array__",
          [](const Tensor& t, py::object dtype, py::object copy) -> py::object {
            py::array a = to_numpy(t);
            const bool want_copy = !copy.is_none() && copy.cast<bool>();
            const bool forbid_copy = !copy.is_none() && !copy.cast<bool>();
            if (!dtype.is_none()) {
              py::object target = numpy_attr("dtype")(dtype);
              if (!target.equal(a.dtype())) {
                if (forbid_copy) throw ValueError("[Tensor.__array__] a dtype conversion needs a copy, but copy=False");
                return a.attr("astype")(target);
              }
            }
            return want_copy ? a.attr("copy")() : py::object(a);
          },
          py::arg("dtype") = py::none(), py::arg("copy") = py::none())
      .def(py::pickle(&getstate, &setstate))
      .def("__copy__", [](const Tensor& t) { return t.clone(); })
      .def("__deepcopy__", [](const Tensor& t, py::handle) { return t.clone(); }, py::arg("memo"))
      // properties
      .def_property_readonly("shape", [](const Tensor& t) { return to_tuple(t.shape()); }, "Sizes, as a tuple.")
      .def_property_readonly("dtype", &Tensor::dtype)
      .def_property_readonly("strides", [](const Tensor& t) { return to_tuple(t.strides()); },
                             "Strides in elements (NumPy's .strides are in bytes).")
      .def_property_readonly("ndim", &Tensor::dim)
      .def_property_readonly("writable", [](const Tensor& t) { return t.defined() && t.storage()->writable(); },
                             "False for tensors viewing read-only memory (a read-only NumPy array).")
      .def_property_readonly("T", [](const Tensor& t) {
        std::vector<int64_t> dims(static_cast<size_t>(t.dim()));
        for (int64_t i = 0; i < t.dim(); ++i) dims[static_cast<size_t>(i)] = t.dim() - 1 - i;
        return t.permute(Shape(dims));
      }, "All dims reversed (a view).")
      .def("dim", &Tensor::dim)
      .def("numel", &Tensor::numel)
      .def("size", [](const Tensor& t, py::object d) -> py::object {
        if (d.is_none()) return to_tuple(t.shape());
        return py::int_(t.size(d.cast<int64_t>()));
      }, py::arg("dim") = py::none(), "The shape, or the size of one dim.")
      .def("stride", [](const Tensor& t, py::object d) -> py::object {
        if (d.is_none()) return to_tuple(t.strides());
        return py::int_(t.stride(d.cast<int64_t>()));
      }, py::arg("dim") = py::none())
      .def("storage_offset", &Tensor::offset, "Offset of the first element in its storage, in elements.")
      .def("data_ptr", [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.raw_data()); })
      .def("is_contiguous", &Tensor::is_contiguous)
      .def("is_floating_point", [](const Tensor& t) { return is_floating(t.dtype()); })
      .def("shares_storage", &Tensor::shares_storage, py::arg("other"),
           "True when both tensors view the same Ember storage (views of one another).")
      .def("shares_memory", [](const Tensor& t, py::handle o) { return ranges_overlap(t, arg(o, "other")); },
           py::arg("other"), "True when the memory of the two (tensors or arrays) may overlap.")
      .def("__len__", [](const Tensor& t) {
        if (t.dim() == 0) throw TypeError("[Tensor.__len__] len() of a 0-d tensor");
        return t.size(0);
      })
      .def("__repr__", &Tensor::to_string)
      .def("__str__", &Tensor::to_string)
      .def("item", &item_of, "The value of a one-element tensor as a Python int or float.")
      .def("tolist", &tolist, "Nested lists of Python numbers (a number for a 0-d tensor).")
      .def("__float__", [](const Tensor& t) { return t.item(); })
      .def("__int__", [](const Tensor& t) { return static_cast<int64_t>(t.item()); })
      .def("__bool__", [](const Tensor& t) {
        if (t.numel() != 1)
          throw ValueError(detail::str_cat("[Tensor.__bool__] the truth value of a tensor with ", t.numel(),
                                           " elements is ambiguous"));
        return t.item() != 0.0;
      })
      // views
      .def("view", [](const Tensor& t, const py::args& a) { return t.view(shape_from_args(a)); },
           "Same data with a new shape (one size may be -1); ValueError when the layout needs a copy.")
      .def("reshape", [](const Tensor& t, const py::args& a) { return t.reshape(shape_from_args(a)); },
           "view() when the layout allows it, otherwise a contiguous copy.")
      .def("can_view", [](const Tensor& t, py::handle s) { return t.can_view(shape_arg(s)); }, py::arg("shape"))
      .def("transpose", &Tensor::transpose, py::arg("dim0"), py::arg("dim1"))
      .def("t", &Tensor::t, "Transpose of a 2-d tensor (a view).")
      .def("permute", [](const Tensor& t, const py::args& a) { return t.permute(shape_from_args(a, "dims")); })
      .def("narrow", &Tensor::narrow, py::arg("dim"), py::arg("start"), py::arg("length"),
           "Elements [start, start + length) along dim (a view).")
      .def("select", &Tensor::select, py::arg("dim"), py::arg("index"), "Removes dim, taking `index` along it.")
      .def("squeeze", [](const Tensor& t, py::object d) { return d.is_none() ? t.squeeze() : t.squeeze(d.cast<int64_t>()); },
           py::arg("dim") = py::none())
      .def("unsqueeze", &Tensor::unsqueeze, py::arg("dim"))
      .def("expand", [](const Tensor& t, const py::args& a) { return t.expand(shape_from_args(a)); },
           "Broadcasts size-1 dims to the given shape (stride 0, a view); -1 keeps a size.")
      .def("flatten", &Tensor::flatten, py::arg("start_dim") = 0, py::arg("end_dim") = -1)
      .def("contiguous", &Tensor::contiguous, "This tensor if contiguous, else a contiguous copy.")
      .def("clone", &Tensor::clone, "A contiguous copy.")
      .def("copy", &Tensor::clone, "A contiguous copy (NumPy spelling of clone).")
      .def("to", [](const Tensor& t, py::handle d) { return t.to(dtype_arg(d, t.dtype())); }, py::arg("dtype"),
           "Values converted to dtype (this tensor when it already has that dtype).")
      .def("astype", [](const Tensor& t, py::handle d) {
        const DType dt = dtype_arg(d, t.dtype());
        return dt == t.dtype() ? t.clone() : t.to(dt);
      }, py::arg("dtype"), "A copy converted to dtype (NumPy spelling).")
      .def("float", [](const Tensor& t) { return t.to(DType::Float32); })
      .def("double", [](const Tensor& t) { return t.to(DType::Float64); })
      .def("long", [](const Tensor& t) { return t.to(DType::Int64); })
      .def("int", [](const Tensor& t) { return t.to(DType::Int32); })
      // in place
      .def("fill_", [](py::object self, double v) { self.cast<Tensor&>().fill_(v); return self; }, py::arg("value"))
      .def("zero_", [](py::object self) { self.cast<Tensor&>().zero_(); return self; })
      .def("copy_", [](py::object self, py::handle src) {
        Tensor& t = self.cast<Tensor&>();
        Tensor s = operand(t, src, "copy_");
        if (ranges_overlap(s, t)) s = s.clone();
        nogil([&] { t.copy_(s); });
        return self;
      }, py::arg("src"), "Copies src into this tensor, broadcasting it and converting its dtype.")
      .def("uniform_", [](py::object self, double low, double high, py::handle gen) {
        uniform_(self.cast<Tensor&>(), low, high, generator_arg(gen));
        return self;
      }, py::arg("low") = 0.0, py::arg("high") = 1.0, py::arg("generator") = py::none())
      .def("normal_", [](py::object self, double mean, double std, py::handle gen) {
        normal_(self.cast<Tensor&>(), mean, std, generator_arg(gen));
        return self;
      }, py::arg("mean") = 0.0, py::arg("std") = 1.0, py::arg("generator") = py::none())
      .def("bernoulli_", [](py::object self, double p, py::handle gen) {
        bernoulli_(self.cast<Tensor&>(), p, generator_arg(gen));
        return self;
      }, py::arg("p") = 0.5, py::arg("generator") = py::none())
      // indexing
      .def("__getitem__", &getitem)
      .def("__setitem__", &setitem)
      .def("__iter__", [](const Tensor& t) {
        if (t.dim() == 0) throw TypeError("[Tensor.__iter__] iteration over a 0-d tensor");
        py::list rows;
        for (int64_t i = 0; i < t.size(0); ++i) rows.append(py::cast(t.select(0, i)));
        return py::iter(rows);
      });

  // ---- arithmetic operators ---------------------------------------------------------------------
  auto binop = [&cls](const char* name, const char* rname, const char* iname,
                      Tensor (*tt)(const Tensor&, const Tensor&), Tensor (*ts)(const Tensor&, double),
                      Tensor& (*itt)(Tensor&, const Tensor&), Tensor& (*its)(Tensor&, double), bool commutes) {
    cls.def(name, [tt, ts, name](const Tensor& a, py::handle b) -> py::object {
      if (is_scalar(b)) {
        const double s = scalar_value(b);
        return py::cast(nogil([&] { return ts(a, s); }));
      }
      const Tensor bt = operand(a, b, name);
      return py::cast(nogil([&] { return tt(a, bt); }));
    });
    cls.def(rname, [tt, ts, commutes, rname](const Tensor& a, py::handle b) -> py::object {
      if (is_scalar(b)) {
        const double s = scalar_value(b);
        if (commutes) return py::cast(nogil([&] { return ts(a, s); }));
        const Tensor full = Tensor::full(a.shape(), s, a.dtype());
        return py::cast(nogil([&] { return tt(full, a); }));
      }
      const Tensor bt = operand(a, b, rname);
      return py::cast(nogil([&] { return tt(bt, a); }));
    });
    cls.def(iname, [itt, its, iname](py::object self, py::handle b) {
      Tensor& a = self.cast<Tensor&>();
      if (is_scalar(b)) {
        const double s = scalar_value(b);
        py::gil_scoped_release r;
        its(a, s);
      } else {
        Tensor bt = operand(a, b, iname);
        if (ranges_overlap(a, bt) && !a.shares_storage(bt)) bt = bt.clone();
        py::gil_scoped_release r;
        itt(a, bt);
      }
      return self;
    });
  };
  binop("__add__", "__radd__", "__iadd__", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&add),
        static_cast<Tensor (*)(const Tensor&, double)>(&add),
        [](Tensor& a, const Tensor& b) -> Tensor& { return add_(a, b); },
        static_cast<Tensor& (*)(Tensor&, double)>(&add_), true);
  binop("__sub__", "__rsub__", "__isub__", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&sub),
        static_cast<Tensor (*)(const Tensor&, double)>(&sub), &sub_,
        [](Tensor& a, double s) -> Tensor& { return add_(a, -s); }, false);
  binop("__mul__", "__rmul__", "__imul__", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&mul),
        static_cast<Tensor (*)(const Tensor&, double)>(&mul), &mul_,
        static_cast<Tensor& (*)(Tensor&, double)>(&mul_), true);
  binop("__truediv__", "__rtruediv__", "__itruediv__", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&div),
        static_cast<Tensor (*)(const Tensor&, double)>(&div), &div_,
        [](Tensor& a, double s) -> Tensor& {
          if (!is_floating(a.dtype()))
            throw TypeError(detail::str_cat("[Tensor.__itruediv__] in-place division of an ", a.dtype(),
                                            " tensor: convert with .to(ember.float32) first"));
          return mul_(a, 1.0 / s);
        },
        false);
  cls.def("__matmul__", [](const Tensor& a, py::handle b) {
       const Tensor bt = operand(a, b, "__matmul__");
       return nogil([&] { return matmul(a, bt); });
     })
      .def("__rmatmul__", [](const Tensor& a, py::handle b) {
        const Tensor bt = operand(a, b, "__rmatmul__");
        return nogil([&] { return matmul(bt, a); });
      })
      .def("__pow__", [](const Tensor& a, double e) { return nogil([&] { return pow(a, e); }); }, py::arg("exponent"))
      .def("__neg__", [](const Tensor& a) { return neg(a); })
      .def("__pos__", [](const Tensor& a) { return a; })
      .def("__abs__", [](const Tensor& a) { return abs(a); })
      .def("add_", [](py::object self, py::handle b, double alpha) {
        Tensor& a = self.cast<Tensor&>();
        if (is_scalar(b)) {
          add_(a, alpha * scalar_value(b));
        } else {
          const Tensor bt = operand(a, b, "add_");
          py::gil_scoped_release r;
          add_(a, bt, alpha);
        }
        return self;
      }, py::arg("other"), py::arg("alpha") = 1.0, "self += alpha * other (other broadcast to self's shape).")
      .def("mul_", [](py::object self, py::handle b) {
        Tensor& a = self.cast<Tensor&>();
        if (is_scalar(b)) mul_(a, scalar_value(b));
        else mul_(a, operand(a, b, "mul_"));
        return self;
      }, py::arg("other"))
      .def("sub_", [](py::object self, py::handle b) {
        Tensor& a = self.cast<Tensor&>();
        if (is_scalar(b)) add_(a, -scalar_value(b));
        else sub_(a, operand(a, b, "sub_"));
        return self;
      }, py::arg("other"))
      .def("div_", [](py::object self, py::handle b) {
        Tensor& a = self.cast<Tensor&>();
        if (is_scalar(b)) mul_(a, 1.0 / scalar_value(b));
        else div_(a, operand(a, b, "div_"));
        return self;
      }, py::arg("other"));

  // ---- element-wise, reductions: methods and module functions -----------------------------------
  struct UnaryDef {
    const char* name;
    Unary f;
    const char* doc;
  };
  const UnaryDef unaries[] = {
      {"neg", &neg, "-x, element-wise."},
      {"abs", &ember::abs, "|x|, element-wise."},
      {"exp", &ember::exp, "e ** x, element-wise."},
      {"log", &ember::log, "Natural logarithm, element-wise."},
      {"sqrt", &ember::sqrt, "Square root, element-wise."},
      {"square", &square, "x * x, element-wise."},
      {"tanh", &ember::tanh, "tanh(x), element-wise."},
      {"sigmoid", &sigmoid, "1 / (1 + exp(-x)), element-wise."},
      {"relu", &relu, "max(x, 0), element-wise."},
      {"sign", &sign, "-1, 0 or 1, element-wise."},
  };
  for (const UnaryDef& u : unaries) {
    Unary f = u.f;
    cls.def(u.name, [f](const Tensor& a) { return nogil([&] { return f(a); }); }, u.doc);
    m.def(u.name, [f](py::handle x) {
      const Tensor a = arg(x);
      return nogil([&] { return f(a); });
    }, py::arg("input"), u.doc);
  }
  using Binary = Tensor (*)(const Tensor&, const Tensor&);
  struct BinaryDef {
    const char* name;
    Binary f;
    Tensor (*fs)(const Tensor&, double);
    const char* doc;
  };
  const BinaryDef binaries[] = {
      {"add", static_cast<Binary>(&add), static_cast<Tensor (*)(const Tensor&, double)>(&add), "a + b (broadcasting)."},
      {"sub", static_cast<Binary>(&sub), static_cast<Tensor (*)(const Tensor&, double)>(&sub), "a - b (broadcasting)."},
      {"mul", static_cast<Binary>(&mul), static_cast<Tensor (*)(const Tensor&, double)>(&mul), "a * b (broadcasting)."},
      {"div", static_cast<Binary>(&div), static_cast<Tensor (*)(const Tensor&, double)>(&div), "a / b (broadcasting)."},
      {"maximum", &maximum, nullptr, "Element-wise maximum (broadcasting)."},
      {"minimum", &minimum, nullptr, "Element-wise minimum (broadcasting)."},
      {"eq", &eq, nullptr, "1 where a == b, 0 elsewhere, in a's dtype (broadcasting)."},
      {"gt", &gt, nullptr, "1 where a > b, 0 elsewhere, in a's dtype (broadcasting)."},
      {"lt", &lt, nullptr, "1 where a < b, 0 elsewhere, in a's dtype (broadcasting)."},
      {"matmul", &matmul, nullptr,
       "Matrix product: [n,k]@[k,m] -> [n,m]; [k]@[k,m]; [n,k]@[k]; batched [b,n,k]@[b,k,m] -> [b,n,m]."},
  };
  for (const BinaryDef& b : binaries) {
    Binary f = b.f;
    auto fs = b.fs;
    const char* name = b.name;
    auto call = [f, fs, name](const Tensor& a, py::handle other) -> Tensor {
      if (fs && is_scalar(other)) {
        const double s = scalar_value(other);
        return nogil([&] { return fs(a, s); });
      }
      const Tensor bt = operand(a, other, name);
      return nogil([&] { return f(a, bt); });
    };
    cls.def(name, call, py::arg("other"), b.doc);
    m.def(name, [call](py::handle a, py::handle other) { return call(arg(a), other); }, py::arg("input"),
          py::arg("other"), b.doc);
  }
  auto pow_f = [](py::handle x, double e) {
    const Tensor a = arg(x);
    return nogil([&] { return pow(a, e); });
  };
  cls.def("pow", pow_f, py::arg("exponent"), "x ** exponent, element-wise.");
  m.def("pow", pow_f, py::arg("input"), py::arg("exponent"), "x ** exponent, element-wise.");
  auto clamp_f = [](py::handle x, double lo, double hi) {
    const Tensor a = arg(x);
    return nogil([&] { return clamp(a, lo, hi); });
  };
  cls.def("clamp", clamp_f, py::arg("min"), py::arg("max"), "Values limited to [min, max].");
  m.def("clamp", clamp_f, py::arg("input"), py::arg("min"), py::arg("max"), "Values limited to [min, max].");

  auto reduce = [](Tensor (*all)(const Tensor&), Tensor (*along)(const Tensor&, int64_t, bool)) {
    return [all, along](py::handle x, py::object dim, bool keepdim) {
      const Tensor a = arg(x);
      if (dim.is_none()) return nogil([&] { return all(a); });
      const auto d = dim.cast<int64_t>();
      return nogil([&] { return along(a, d, keepdim); });
    };
  };
  // A reduction as a Tensor method and an ember function: x.sum(dim=None, keepdim=False), ember.sum(x, ...).
  auto def_reduction = [&cls, &m](const char* name, auto f, const char* doc) {
    cls.def(name, f, py::arg("dim") = py::none(), py::arg("keepdim") = false, doc);
    m.def(name, f, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, doc);
  };
  def_reduction("sum",
                reduce(static_cast<Tensor (*)(const Tensor&)>(&sum),
                       static_cast<Tensor (*)(const Tensor&, int64_t, bool)>(&sum)),
                "Sum of all elements (0-d tensor), or along dim (keepdim keeps it with size 1).");
  def_reduction("mean",
                reduce(static_cast<Tensor (*)(const Tensor&)>(&mean),
                       static_cast<Tensor (*)(const Tensor&, int64_t, bool)>(&mean)),
                "Mean of all elements (0-d tensor), or along dim.");
  auto extreme = [](Tensor (*all)(const Tensor&), std::pair<Tensor, Tensor> (*along)(const Tensor&, int64_t, bool)) {
    return [all, along](py::handle x, py::object dim, bool keepdim) -> py::object {
      const Tensor a = arg(x);
      if (dim.is_none()) return py::cast(nogil([&] { return all(a); }));
      const auto d = dim.cast<int64_t>();
      auto [values, indices] = nogil([&] { return along(a, d, keepdim); });
      return py::make_tuple(values, indices);
    };
  };
  def_reduction("max",
                extreme(static_cast<Tensor (*)(const Tensor&)>(&ember::max),
                        static_cast<std::pair<Tensor, Tensor> (*)(const Tensor&, int64_t, bool)>(&ember::max)),
                "Largest element (0-d tensor); with dim, the tuple (values, int64 indices) along dim.");
  def_reduction("min",
                extreme(static_cast<Tensor (*)(const Tensor&)>(&ember::min),
                        static_cast<std::pair<Tensor, Tensor> (*)(const Tensor&, int64_t, bool)>(&ember::min)),
                "Smallest element (0-d tensor); with dim, the tuple (values, int64 indices) along dim.");
  auto argmax_f = [](py::handle x, py::object dim, bool keepdim) {
    const Tensor a = arg(x);
    if (dim.is_none()) {
      const Tensor flat = a.reshape(Shape{a.numel()});
      return nogil([&] { return argmax(flat, 0, false); });
    }
    const auto d = dim.cast<int64_t>();
    return nogil([&] { return argmax(a, d, keepdim); });
  };
  def_reduction("argmax", argmax_f,
                "int64 indices of the maxima along dim (of the flattened tensor when dim is None).");
  cls.def("norm", [](const Tensor& a) { return norm(a); }, "Euclidean norm of all elements (a float).");
  m.def("norm", [](py::handle x) { return norm(arg(x)); }, py::arg("input"), "Euclidean norm of all elements (a float).");

  // ---- factories --------------------------------------------------------------------------------
  m.def("zeros", [](const py::args& s, py::handle dtype) { return Tensor::zeros(shape_from_args(s), dtype_arg(dtype, DType::Float32)); },
        py::arg("dtype") = py::none(), "Zeros of a shape: zeros(2, 3) or zeros((2, 3)); float32 by default.");
  m.def("ones", [](const py::args& s, py::handle dtype) { return Tensor::ones(shape_from_args(s), dtype_arg(dtype, DType::Float32)); },
        py::arg("dtype") = py::none(), "Ones of a shape; float32 by default.");
  m.def("empty", [](const py::args& s, py::handle dtype) { return Tensor::empty(shape_from_args(s), dtype_arg(dtype, DType::Float32)); },
        py::arg("dtype") = py::none(), "An uninitialised tensor of a shape; float32 by default.");
  m.def("full", [](py::handle shape, double v, py::handle dtype) {
          return Tensor::full(shape_arg(shape), v, dtype_arg(dtype, DType::Float32));
        },
        py::arg("shape"), py::arg("fill_value"), py::arg("dtype") = py::none(), "A tensor of `shape` filled with fill_value.");
  m.def("scalar", [](double v, py::handle dtype) { return Tensor::scalar(v, dtype_arg(dtype, DType::Float32)); },
        py::arg("value"), py::arg("dtype") = py::none(), "A 0-d tensor.");
  m.def("arange", [](double a, py::object b, double step, py::handle dtype) {
          const DType dt = dtype_arg(dtype, DType::Float32);
          if (b.is_none()) return Tensor::arange(static_cast<int64_t>(std::ceil(a)), dt);
          const double start = a, stop = b.cast<double>();
          if (step == 0) throw ValueError("[ember.arange] step must not be zero");
          const auto n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((stop - start) / step)));
          Tensor t = add(mul(Tensor::arange(n, DType::Float64), step), start);
          return t.to(dt);
        },
        py::arg("start"), py::arg("end") = py::none(), py::arg("step") = 1.0, py::kw_only(), py::arg("dtype") = py::none(),
        "arange(n): [0, 1, ..., n-1]; arange(start, end, step). float32 by default.");
  m.def("rand", [](const py::args& s, py::handle dtype, py::handle gen) {
          return Tensor::rand(shape_from_args(s), dtype_arg(dtype, DType::Float32), generator_arg(gen));
        },
        py::arg("dtype") = py::none(), py::arg("generator") = py::none(),
        "Uniform [0, 1) values from `generator` (default: the default generator, see manual_seed).");
  m.def("randn", [](const py::args& s, py::handle dtype, py::handle gen) {
          return Tensor::randn(shape_from_args(s), dtype_arg(dtype, DType::Float32), generator_arg(gen));
        },
        py::arg("dtype") = py::none(), py::arg("generator") = py::none(),
        "Standard normal values from `generator` (default: the default generator).");

  // ---- conversions, joining, comparisons ----------------------------------------------------------
  m.def("from_numpy", [](py::handle a) { return to_tensor(a, "array"); }, py::arg("array"),
        "A Tensor sharing the array's memory (no copy; read-only arrays give read-only tensors; "
        "negative strides are copied once).");
  m.def("as_tensor", [](py::handle a, py::handle dtype) {
          Tensor t = to_tensor(a, "data");
          return t.to(dtype_arg(dtype, t.dtype()));
        },
        py::arg("data"), py::arg("dtype") = py::none(),
        "`data` as a Tensor, sharing memory when it is a Tensor or array of that dtype (copies otherwise).");
  m.def("shares_memory", [](py::handle a, py::handle b) { return ranges_overlap(arg(a, "a"), arg(b, "b")); },
        py::arg("a"), py::arg("b"), "True when the memory of two tensors or arrays may overlap.");
  auto tensor_list = [](py::handle seq) {
    std::vector<Tensor> ts;
    for (py::handle x : seq) ts.push_back(to_tensor(x, "tensors"));
    return ts;
  };
  m.def("cat", [tensor_list](py::handle seq, int64_t dim) {
          auto ts = tensor_list(seq);
          return nogil([&] { return cat(ts, dim); });
        },
        py::arg("tensors"), py::arg("dim") = 0, "Concatenation along dim.");
  m.def("stack", [tensor_list](py::handle seq, int64_t dim) {
          auto ts = tensor_list(seq);
          return nogil([&] { return stack(ts, dim); });
        },
        py::arg("tensors"), py::arg("dim") = 0, "Stacks same-shaped tensors along a new dim.");
  auto index_select_f = [](py::handle a, int64_t dim, py::handle index) {
    return index_select(arg(a), dim, to_tensor(index, "index"));
  };
  m.def("index_select", index_select_f, py::arg("input"), py::arg("dim"), py::arg("index"),
        "Slices of input along dim picked by a 1-d int64/int32 index.");
  cls.def("index_select", index_select_f, py::arg("dim"), py::arg("index"));
  m.def("addmm", [](py::handle c, py::handle a, py::handle b, double beta, double alpha) {
          const Tensor ct = arg(c, "input"), at = arg(a, "mat1"), bt = arg(b, "mat2");
          return nogil([&] { return addmm(ct, at, bt, beta, alpha); });
        },
        py::arg("input"), py::arg("mat1"), py::arg("mat2"), py::kw_only(), py::arg("beta") = 1.0, py::arg("alpha") = 1.0,
        "beta * input + alpha * (mat1 @ mat2) for 2-d mat1, mat2.");
  m.def("allclose", [](py::handle a, py::handle b, double rtol, double atol) { return allclose(arg(a, "a"), arg(b, "b"), rtol, atol); },
        py::arg("a"), py::arg("b"), py::arg("rtol") = 1e-5, py::arg("atol") = 1e-8,
        "|a - b| <= atol + rtol * |b| everywhere (shapes must match).");
  m.def("max_abs_diff", [](py::handle a, py::handle b) { return max_abs_diff(arg(a, "a"), arg(b, "b")); },
        py::arg("a"), py::arg("b"), "Largest |a - b| (shapes must match).");
}

}  // namespace ember::python
