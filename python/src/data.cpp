// Bindings for ember/data: Sample, MiniBatch, collate, DataSet (subclassable from Python),
// ArrayDataSet, ImageFolder, DataLoader (a Python iterator), Transformer (subclassable from Python),
// Chain, Lambda, the image transformers, the image functions (submodule `image`), image decoding
// and encoding, and the MNIST / Fashion-MNIST / CIFAR-10 readers.
//
// Threads: the loader's workers call transformers and data sets without the GIL; the Python
// trampolines below take it for each call, and every wait for a batch releases it.
#include <array>
#include <memory>
#include <optional>
#include <set>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "ember/core/error.h"
#include "ember/data/cifar.h"
#include "ember/data/data_loader.h"
#include "ember/data/dataset.h"
#include "ember/data/image/decode.h"
#include "ember/data/image/functional.h"
#include "ember/data/image/image_folder.h"
#include "ember/data/image/random_affine.h"
#include "ember/data/image/transforms.h"
#include "ember/data/mnist.h"
#include "ember/data/sample.h"
#include "ember/data/transformer.h"
#include "util.h"

namespace ember::python {

namespace {

using data::DataSet;
using data::MiniBatch;
using data::Sample;
using data::Transformer;


// ---- Python values <-> samples ----------------------------------------------------------------

bool is_array_like_item(py::handle o) { return py::isinstance<Tensor>(o) || py::isinstance<py::array>(o); }

// None -> none; a list/tuple of Tensors/arrays -> one tensor each; anything else -> one tensor.
std::vector<Tensor> tensors_from_py(py::handle obj, const char* what) {
  std::vector<Tensor> out;
  if (obj.is_none()) return out;
  if (py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj)) {
    bool all = py::len(obj) > 0;
    for (py::handle x : obj) all = all && is_array_like_item(x);
    if (all || py::len(obj) == 0) {
      for (py::handle x : obj) out.push_back(to_tensor(x, what));
      return out;
    }
  }
  out.push_back(to_tensor(obj, what));
  return out;
}

py::list tensors_to_py(const std::vector<Tensor>& ts) {
  py::list l;
  for (const Tensor& t : ts) l.append(py::cast(t));
  return l;
}

// What a Python transformer, Lambda or data set returns: a Sample, or a (features, labels) tuple.
// Data sets may also return the features alone (unlabeled data).
Sample sample_from_py(py::handle r, const std::string& where, bool allow_features_only) {
  if (py::isinstance<Sample>(r)) return r.cast<Sample>();
  if (py::isinstance<py::tuple>(r) && py::len(r) == 2) {
    py::tuple t = py::reinterpret_borrow<py::tuple>(r);
    Sample s;
    s.features = tensors_from_py(t[0], "features");
    s.labels = tensors_from_py(t[1], "labels");
    return s;
  }
  if (allow_features_only && !r.is_none()) {
    Sample s;
    s.features = tensors_from_py(r, "features");
    return s;
  }
  throw TypeError(detail::str_cat(where, " expected a Sample or a (features, labels) tuple, got ", py_type_name(r)));
}

std::string describe(const Tensor& t) {
  if (!t.defined()) return "undefined";
  std::string s = detail::str_cat("Tensor", t.shape(), " ", dtype_name(t.dtype()));
  return s;
}

std::string describe_all(const std::vector<Tensor>& ts) {
  std::string out;
  for (const Tensor& t : ts) {
    if (!out.empty()) out.append(", ");
    out.append(describe(t));
  }
  return out;
}

std::string sample_repr(const Sample& s) {
  return detail::str_cat("Sample(features=[", describe_all(s.features), "], labels=[", describe_all(s.labels), "])");
}

nn::Activity clone_activity(const nn::Activity& a) {
  if (a.empty()) return {};
  if (a.is_tensor()) return a.tensor().clone();
  nn::Table t;
  for (const nn::Activity& x : a.table()) t.push_back(clone_activity(x));
  return t;
}

// A Python exception raised inside a Python transformer / data set, as the Ember exception of the
// same kind, so that the loader (which adds "epoch E, batch B, ..." on the consumer's thread) and
// the translation back to Python keep its type. Call with the GIL held.
[[noreturn]] void rethrow_python(py::error_already_set& e, const std::string& where) {
  std::string msg = py::str(e.value()).cast<std::string>();
  const std::string text = where + msg;
  if (e.matches(PyExc_TypeError)) throw TypeError(text);
  if (e.matches(PyExc_IndexError)) throw IndexError(text);
  if (e.matches(PyExc_NotImplementedError)) throw NotImplementedError(text);
  if (e.matches(PyExc_ValueError)) throw ValueError(text);
  if (e.matches(PyExc_OSError)) throw IOError(text);
  const std::string type = py::str(e.type().attr("__name__")).cast<std::string>();
  throw RuntimeError(where + type + ": " + msg);
}

// ---- trampolines --------------------------------------------------------------------------------

class PyTransformer : public Transformer, public py::trampoline_self_life_support {
 public:
  Sample apply(Sample sample, Generator& rng) const override {
    py::gil_scoped_acquire gil;
    py::function f = py::get_override(static_cast<const Transformer*>(this), "apply");
    if (!f) throw NotImplementedError("[data.Transformer] a Python subclass must define apply(sample, generator)");
    try {
      py::object r = f(py::cast(std::move(sample)), py::cast(&rng, py::return_value_policy::reference));
      return sample_from_py(r, "[data.Transformer.apply]", false);
    } catch (py::error_already_set& e) {
      rethrow_python(e, "");
    }
  }
  std::string repr() const override {
    py::gil_scoped_acquire gil;
    py::function f = py::get_override(static_cast<const Transformer*>(this), "repr");
    if (f) return f().cast<std::string>();
    py::object self = py::cast(this);
    return py_class_name(self) + "()";
  }
};

class PyImageTransformer : public data::ImageTransformer, public py::trampoline_self_life_support {
 public:
  Tensor apply_image(const Tensor& image, Generator& rng) const override {
    py::gil_scoped_acquire gil;
    py::function f = py::get_override(static_cast<const data::ImageTransformer*>(this), "apply_image");
    if (!f) throw NotImplementedError("[data.ImageTransformer] a Python subclass must define apply_image(image, generator)");
    try {
      py::object r = f(py::cast(image), py::cast(&rng, py::return_value_policy::reference));
      return to_tensor(r, "apply_image result");
    } catch (py::error_already_set& e) {
      rethrow_python(e, "");
    }
  }
  std::string repr() const override {
    py::gil_scoped_acquire gil;
    py::function f = py::get_override(static_cast<const data::ImageTransformer*>(this), "repr");
    if (f) return f().cast<std::string>();
    return py_class_name(py::cast(this)) + "()";
  }
};

class PyDataSet : public DataSet, public py::trampoline_self_life_support {
 public:
  int64_t size() const override {
    py::gil_scoped_acquire gil;
    py::function f = py::get_override(static_cast<const DataSet*>(this), "size");
    if (!f) f = py::get_override(static_cast<const DataSet*>(this), "__len__");
    if (!f) throw NotImplementedError("[data.DataSet] a Python subclass must define __len__() (or size())");
    try {
      return f().cast<int64_t>();
    } catch (py::error_already_set& e) {
      rethrow_python(e, "");
    }
  }
  Sample get(int64_t index) const override {
    py::gil_scoped_acquire gil;
    py::function f = py::get_override(static_cast<const DataSet*>(this), "get");
    if (!f) f = py::get_override(static_cast<const DataSet*>(this), "__getitem__");
    if (!f) throw NotImplementedError("[data.DataSet] a Python subclass must define __getitem__(index) (or get(index))");
    try {
      return sample_from_py(f(index), "[data.DataSet.__getitem__]", true);
    } catch (py::error_already_set& e) {
      rethrow_python(e, "");
    }
  }
  std::string repr() const override {
    py::gil_scoped_acquire gil;
    py::function f = py::get_override(static_cast<const DataSet*>(this), "repr");
    if (f) return f().cast<std::string>();
    return detail::str_cat(py_class_name(py::cast(this)), "(", size(), " samples)");
  }
};

// A Python callable as a Lambda function: takes the GIL for each call, and releases its reference
// with the GIL held (the last copy may die on a worker thread).
struct PyCallable {
  std::shared_ptr<py::object> fn;
  bool takes_generator = true;
  std::string name;

  Sample operator()(Sample s, Generator& rng) const {
    py::gil_scoped_acquire gil;
    try {
      py::object r = takes_generator ? (*fn)(py::cast(std::move(s)), py::cast(&rng, py::return_value_policy::reference))
                                     : (*fn)(py::cast(std::move(s)));
      return sample_from_py(r, detail::str_cat("[data.Lambda '", name, "']"), false);
    } catch (py::error_already_set& e) {
      rethrow_python(e, "");
    }
  }
};

// Positional parameters a callable accepts (2 when it cannot be inspected).
int positional_arity(py::handle fn) {
  try {
    py::object sig = py::module_::import("inspect").attr("signature")(fn);
    int n = 0;
    for (py::handle p : sig.attr("parameters").attr("values")()) {
      const std::string kind = py::str(p.attr("kind").attr("name")).cast<std::string>();
      if (kind == "VAR_POSITIONAL") return 2;
      if (kind == "POSITIONAL_ONLY" || kind == "POSITIONAL_OR_KEYWORD") ++n;
    }
    return n;
  } catch (py::error_already_set&) {
    return 2;
  }
}

// ---- DataLoader ---------------------------------------------------------------------------------

struct PyDataLoader;

// Live loaders, closed by an atexit hook: workers must not be running Python code (or wait for the
// GIL) once the interpreter finalizes.
std::mutex g_loaders_mu;
std::set<PyDataLoader*> g_loaders;

struct PyDataLoader {
  std::unique_ptr<data::DataLoader> loader;
  std::shared_ptr<const DataSet> dataset;
  bool copy = true;
  bool positioned = false;  // start_epoch / set_epoch / load_state_dict: the next __iter__ continues there
  std::mutex mu;            // one consumer at a time (the GIL is released while it waits)

  PyDataLoader() {
    std::lock_guard<std::mutex> lk(g_loaders_mu);
    g_loaders.insert(this);
  }

  ~PyDataLoader() {
    // Joining the workers may wait for a Python transformer that needs the GIL.
    if (Py_IsInitialized() && PyGILState_Check()) {
      py::gil_scoped_release release;
      close();
    } else {
      close();
    }
  }

  // Call without the GIL.
  void close() {
    {
      std::lock_guard<std::mutex> lk(g_loaders_mu);
      g_loaders.erase(this);
    }
    std::lock_guard<std::mutex> lk(mu);
    loader.reset();
  }

  data::DataLoader& get() {
    if (!loader) throw ValueError("[data.DataLoader] the loader is closed");
    return *loader;
  }

  void start_epoch(int64_t epoch, int64_t first_batch) {
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lk(mu);
      locked().start_epoch(epoch, first_batch);
    }
    positioned = true;
  }

  // The loader, with mu held (another thread may have closed it meanwhile).
  data::DataLoader& locked() {
    if (!loader) throw ValueError("[data.DataLoader] the loader is closed");
    return *loader;
  }

  int64_t epoch() const { return loader ? loader->state_dict().integer("epoch") : 0; }

  std::optional<MiniBatch> next() {
    MiniBatch b;
    bool ok = false;
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lk(mu);
      ok = locked().next(b);
      if (ok && copy) {
        b.input = clone_activity(b.input);
        b.target = clone_activity(b.target);
      }
    }
    if (!ok) return std::nullopt;
    return b;
  }
};

void close_all_loaders() {
  py::gil_scoped_release release;
  std::vector<PyDataLoader*> live;
  {
    std::lock_guard<std::mutex> lk(g_loaders_mu);
    live.assign(g_loaders.begin(), g_loaders.end());
  }
  for (PyDataLoader* l : live) l->close();
}

std::vector<double> doubles_arg(py::handle obj, const char* what) {
  if (obj.is_none()) return {};
  if (is_number(obj)) return {py::float_(py::reinterpret_borrow<py::object>(obj)).cast<double>()};
  try {
    return obj.cast<std::vector<double>>();
  } catch (py::cast_error&) {
    throw TypeError(
        detail::str_cat("[data] ", what, ": expected a number or a sequence of numbers, got ", py_type_name(obj)));
  }
}

Generator& generator_or_default(py::handle g) { return g.is_none() ? default_generator() : g.cast<Generator&>(); }

// Bytes of an encoded image: bytes, bytearray, memoryview or a uint8 array.
Tensor decode_bytes(py::handle data, int64_t channels, const std::string& name) {
  py::array_t<uint8_t, py::array::c_style | py::array::forcecast> arr;
  if (py::isinstance<py::bytes>(data) || py::isinstance<py::bytearray>(data) || py::isinstance<py::memoryview>(data)) {
    arr = py::array_t<uint8_t, py::array::c_style | py::array::forcecast>::ensure(
        numpy_attr("frombuffer")(data, "uint8"));
  } else {
    arr = py::array_t<uint8_t, py::array::c_style | py::array::forcecast>::ensure(data);
  }
  if (!arr)
    throw TypeError(detail::str_cat("[data.decode_image] expected bytes or a uint8 array, got ", py_type_name(data)));
  const auto* p = arr.data();
  const auto n = static_cast<size_t>(arr.size());
  py::gil_scoped_release release;
  return data::decode_image(p, n, name, data::DecodeOptions{.channels = channels});
}

py::bytes to_bytes(const std::vector<uint8_t>& v) { return py::bytes(reinterpret_cast<const char*>(v.data()), v.size()); }

py::object format_name(data::ImageFormat f) {
  switch (f) {
    case data::ImageFormat::Jpeg: return py::str("jpeg");
    case data::ImageFormat::Png: return py::str("png");
    default: return py::none();
  }
}

// The image functions (and the codecs), defined in both ember.data and ember.data.image.
void bind_image_io(py::module_& m) {
  m.def("decode_image",
        [](py::handle src, int64_t channels) {
          if (is_path_like(src)) {
            const std::string path = path_arg(src, "data.decode_image", "data");
            py::gil_scoped_release release;
            return data::read_image(path, data::DecodeOptions{.channels = channels});
          }
          return decode_bytes(src, channels, "<bytes>");
        },
        py::arg("data"), py::arg("channels") = 0,
        "Decodes a JPEG or PNG (bytes, a uint8 array, or a path) into uint8 [H, W, C]. channels: 0 as stored, "
        "1 gray, 3 RGB. The format comes from the magic bytes; ember.FormatError for corrupt data.");
  m.def("read_image",
        [](py::handle path, int64_t channels) {
          const std::string p = path_arg(path, "data.read_image");
          py::gil_scoped_release release;
          return data::read_image(p, data::DecodeOptions{.channels = channels});
        },
        py::arg("path"), py::arg("channels") = 0, "Reads and decodes an image file into uint8 [H, W, C].");
  m.def("encode_png",
        [](py::handle image) {
          const Tensor t = to_tensor(image, "image");
          std::vector<uint8_t> out = nogil([&] { return data::encode_png(t); });
          return to_bytes(out);
        },
        py::arg("image"), "PNG bytes of a uint8 image [H, W, C] (C = 1, 2, 3, 4) or [H, W].");
  m.def("encode_jpeg",
        [](py::handle image, int quality) {
          const Tensor t = to_tensor(image, "image");
          std::vector<uint8_t> out = nogil([&] { return data::encode_jpeg(t, quality); });
          return to_bytes(out);
        },
        py::arg("image"), py::arg("quality") = 95, "Baseline JPEG bytes of a uint8 image [H, W, C] (C = 1 or 3) or [H, W].");
  m.def("write_png",
        [](py::handle path, py::handle image) {
          const std::string p = path_arg(path, "data.write_png");
          const Tensor t = to_tensor(image, "image");
          py::gil_scoped_release release;
          data::write_png(p, t);
        },
        py::arg("path"), py::arg("image"), "Writes a uint8 image as PNG.");
  m.def("write_jpeg",
        [](py::handle path, py::handle image, int quality) {
          const std::string p = path_arg(path, "data.write_jpeg");
          const Tensor t = to_tensor(image, "image");
          py::gil_scoped_release release;
          data::write_jpeg(p, t, quality);
        },
        py::arg("path"), py::arg("image"), py::arg("quality") = 95, "Writes a uint8 image as JPEG.");
  m.def("detect_image_format",
        [](py::bytes b) {
          const std::string_view s = b;
          return format_name(data::detect_image_format(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
        },
        py::arg("data"), "'jpeg', 'png' or None, from the first bytes.");
}

void bind_image_functional(py::module_& m) {
  namespace img = data::image;
  py::classh<img::ImageGeometry>(m, "ImageGeometry", "Height, width, channels of an image and its layout.")
      .def_readonly("height", &img::ImageGeometry::height)
      .def_readonly("width", &img::ImageGeometry::width)
      .def_readonly("channels", &img::ImageGeometry::channels)
      .def_readonly("channels_last", &img::ImageGeometry::channels_last)
      .def("__repr__", [](const img::ImageGeometry& g) {
        return detail::str_cat("ImageGeometry(height=", g.height, ", width=", g.width, ", channels=", g.channels,
                               ", channels_last=", g.channels_last ? "True" : "False", ")");
      });
  py::classh<img::AffineMatrix>(m, "AffineMatrix",
                                "(x, y) -> (a x + b y + c, d x + e y + f); x is the column, y the row (y down).")
      .def(py::init([](double a, double b, double c, double d, double e, double f) {
             return img::AffineMatrix{a, b, c, d, e, f};
           }),
           py::arg("a") = 1.0, py::arg("b") = 0.0, py::arg("c") = 0.0, py::arg("d") = 0.0, py::arg("e") = 1.0,
           py::arg("f") = 0.0)
      .def_readwrite("a", &img::AffineMatrix::a)
      .def_readwrite("b", &img::AffineMatrix::b)
      .def_readwrite("c", &img::AffineMatrix::c)
      .def_readwrite("d", &img::AffineMatrix::d)
      .def_readwrite("e", &img::AffineMatrix::e)
      .def_readwrite("f", &img::AffineMatrix::f)
      .def("__repr__", [](const img::AffineMatrix& x) {
        return detail::str_cat("AffineMatrix(a=", x.a, ", b=", x.b, ", c=", x.c, ", d=", x.d, ", e=", x.e, ", f=", x.f, ")");
      });
  py::classh<img::AffineParams>(m, "AffineParams",
                                "Rotation (degrees, counter-clockwise), translation (pixels), zoom and shear (degrees) "
                                "about the image center.")
      .def(py::init([](double angle, double tx, double ty, double sx, double sy, double shx, double shy) {
             return img::AffineParams{angle, tx, ty, sx, sy, shx, shy};
           }),
           py::arg("angle") = 0.0, py::arg("translate_x") = 0.0, py::arg("translate_y") = 0.0, py::arg("scale_x") = 1.0,
           py::arg("scale_y") = 1.0, py::arg("shear_x") = 0.0, py::arg("shear_y") = 0.0)
      .def_readwrite("angle", &img::AffineParams::angle)
      .def_readwrite("translate_x", &img::AffineParams::translate_x)
      .def_readwrite("translate_y", &img::AffineParams::translate_y)
      .def_readwrite("scale_x", &img::AffineParams::scale_x)
      .def_readwrite("scale_y", &img::AffineParams::scale_y)
      .def_readwrite("shear_x", &img::AffineParams::shear_x)
      .def_readwrite("shear_y", &img::AffineParams::shear_y)
      .def("__repr__", [](const img::AffineParams& p) {
        return detail::str_cat("AffineParams(angle=", p.angle, ", translate_x=", p.translate_x, ", translate_y=",
                               p.translate_y, ", scale_x=", p.scale_x, ", scale_y=", p.scale_y, ", shear_x=", p.shear_x,
                               ", shear_y=", p.shear_y, ")");
      });

  m.def("image_geometry", [](py::handle x) { return img::image_geometry(to_tensor(x, "image"), "image_geometry"); },
        py::arg("image"), "Height, width, channels of an image (uint8 [H, W, C], float [C, H, W] or [H, W]).");
  m.def("resize",
        [](py::handle x, int64_t h, int64_t w) {
          const Tensor t = to_tensor(x, "image");
          py::gil_scoped_release r;
          return img::resize(t, h, w);
        },
        py::arg("image"), py::arg("height"), py::arg("width"),
        "Bilinear resize (torch interpolate bilinear, align_corners=False, no antialias).");
  m.def("crop", [](py::handle x, int64_t top, int64_t left, int64_t h, int64_t w) { return img::crop(to_tensor(x, "image"), top, left, h, w); },
        py::arg("image"), py::arg("top"), py::arg("left"), py::arg("height"), py::arg("width"),
        "The window [top, top + height) x [left, left + width) (a view).");
  m.def("pad",
        [](py::handle x, int64_t top, int64_t bottom, int64_t left, int64_t right, double fill) {
          return img::pad(to_tensor(x, "image"), top, bottom, left, right, fill);
        },
        py::arg("image"), py::arg("top"), py::arg("bottom"), py::arg("left"), py::arg("right"), py::arg("fill") = 0.0,
        "Adds constant `fill` pixels around the image.");
  m.def("center_crop", [](py::handle x, int64_t h, int64_t w) { return img::center_crop(to_tensor(x, "image"), h, w); },
        py::arg("image"), py::arg("height"), py::arg("width"), "The centered window (zero-padded when the image is smaller).");
  m.def("hflip", [](py::handle x) { return img::hflip(to_tensor(x, "image")); }, py::arg("image"), "Mirror left-right.");
  m.def("to_tensor", [](py::handle x) { return img::to_tensor(to_tensor(x, "image")); }, py::arg("image"),
        "uint8 [H, W, C] -> float32 [C, H, W] / 255; float [H, W, C] -> float32 [C, H, W]; [H, W] -> [1, H, W].");
  m.def("normalize",
        [](py::handle x, py::handle mean, py::handle std) {
          return img::normalize(to_tensor(x, "image"), doubles_arg(mean, "mean"), doubles_arg(std, "std"));
        },
        py::arg("image"), py::arg("mean"), py::arg("std"), "(x[c] - mean[c]) / std[c] on a float [C, H, W] image.");
  m.def("inverse_affine_matrix", &img::inverse_affine_matrix, py::arg("params"), py::arg("height"), py::arg("width"),
        "The output -> input pixel map of an affine transform (what affine_warp takes).");
  m.def("affine_warp",
        [](py::handle x, const img::AffineMatrix& inv, double fill) {
          const Tensor t = to_tensor(x, "image");
          py::gil_scoped_release r;
          return img::affine_warp(t, inv, fill);
        },
        py::arg("image"), py::arg("inverse"), py::arg("fill") = 0.0,
        "Bilinear sampling of the image at inverse(x, y); outside pixels count as `fill`.");
  m.def("affine",
        [](py::handle x, double angle, double tx, double ty, double sx, double sy, double shx, double shy, double fill) {
          const Tensor t = to_tensor(x, "image");
          const img::AffineParams p{angle, tx, ty, sx, sy, shx, shy};
          py::gil_scoped_release r;
          return img::affine(t, p, fill);
        },
        py::arg("image"), py::arg("angle") = 0.0, py::arg("translate_x") = 0.0, py::arg("translate_y") = 0.0,
        py::arg("scale_x") = 1.0, py::arg("scale_y") = 1.0, py::arg("shear_x") = 0.0, py::arg("shear_y") = 0.0,
        py::arg("fill") = 0.0, "Shear, zoom and rotation about the center, then translation (see AffineParams).");
  m.def("adjust_brightness", [](py::handle x, double f) { return img::adjust_brightness(to_tensor(x, "image"), f); },
        py::arg("image"), py::arg("factor"), "x * factor, clamped.");
  m.def("adjust_contrast", [](py::handle x, double f) { return img::adjust_contrast(to_tensor(x, "image"), f); },
        py::arg("image"), py::arg("factor"), "Blend with the mean gray level.");
  m.def("adjust_saturation", [](py::handle x, double f) { return img::adjust_saturation(to_tensor(x, "image"), f); },
        py::arg("image"), py::arg("factor"), "Blend with the gray image (0: gray, 1: unchanged).");
  m.def("adjust_hue", [](py::handle x, double f) { return img::adjust_hue(to_tensor(x, "image"), f); },
        py::arg("image"), py::arg("hue_factor"), "HSV hue shift by hue_factor in [-0.5, 0.5] turns.");
}

// A built-in transformer's class, with config(): its options as a dict, which pickling rebuilds it
// from (ember/data.py), so that ember.spark ships transformers to executors and saves them with stages.
template <class T, class Base = data::ImageTransformer>
py::classh<T, Base> bind_transformer(py::handle m, const char* name, const char* doc) {
  py::classh<T, Base> cls(m, name, doc);
  cls.def("config", [](const T& t) {
    if constexpr (requires { t.options(); }) return config_to_dict(nn::to_config(t.options()));
    else return py::dict();
  }, "The options it was made with, as keyword arguments.");
  return cls;
}

}  // namespace

void bind_data(py::module_& m) {
  // The image functions first: RandomAffine.get_params returns their AffineParams.
  py::module_ image = m.def_submodule("image", "Image functions (torchvision transforms.functional) and codecs.");
  bind_image_functional(image);

  // ---- Sample, MiniBatch, collate -------------------------------------------------------------------
  py::classh<Sample>(m, "Sample", R"doc(One record: a list of feature tensors and a list of label tensors
(BigDL's Sample). ``features``/``labels`` take a Tensor or array, or a list of them; a class label may be
an int (an int64 scalar, 0-based).

Example: ``s = ember.data.Sample(np.zeros((1, 28, 28), np.float32), 3)``)doc")
      .def(py::init([](py::handle features, py::handle labels) {
             Sample s;
             s.features = tensors_from_py(features, "features");
             s.labels = tensors_from_py(labels, "labels");
             return s;
           }),
           py::arg("features") = py::none(), py::arg("labels") = py::none())
      .def_property("features", [](const Sample& s) { return tensors_to_py(s.features); },
                    [](Sample& s, py::handle v) { s.features = tensors_from_py(v, "features"); },
                    "The feature tensors (a list; assign a list or one tensor).")
      .def_property("labels", [](const Sample& s) { return tensors_to_py(s.labels); },
                    [](Sample& s, py::handle v) { s.labels = tensors_from_py(v, "labels"); })
      .def_property_readonly("feature", [](const Sample& s) { return s.feature(); }, "The first feature.")
      .def_property_readonly("label", [](const Sample& s) { return s.label(); }, "The first label.")
      .def("__iter__", [](const Sample& s) {
        // x, y = sample: the first feature and label (None when unlabeled).
        py::object y = s.labels.empty() ? py::none() : py::cast(s.labels.front());
        return py::iter(py::make_tuple(py::cast(s.feature()), y));
      })
      .def("__repr__", &sample_repr);

  py::classh<MiniBatch>(m, "MiniBatch", R"doc(A batch: ``input`` holds the stacked features (a Tensor [N, ...],
or a list of them for several features), ``target`` the stacked labels (None when unlabeled), ``size`` is N.
``features``/``labels`` are aliases; ``x, y = batch`` unpacks (input, target).)doc")
      .def(py::init([](py::handle input, py::handle target) {
             MiniBatch b;
             b.input = to_activity(input, "input");
             b.target = to_activity(target, "target");
             if (b.input.is_tensor()) b.size = b.input.tensor().dim() ? b.input.tensor().size(0) : 1;
             else if (b.input.is_table() && b.input.table().size() && b.input.table()[0].is_tensor())
               b.size = b.input.table()[0].tensor().size(0);
             return b;
           }),
           py::arg("input"), py::arg("target") = py::none())
      .def_property("input", [](const MiniBatch& b) { return from_activity(b.input); },
                    [](MiniBatch& b, py::handle v) { b.input = to_activity(v, "input"); })
      .def_property("target", [](const MiniBatch& b) { return from_activity(b.target); },
                    [](MiniBatch& b, py::handle v) { b.target = to_activity(v, "target"); })
      .def_property_readonly("features", [](const MiniBatch& b) { return from_activity(b.input); })
      .def_property_readonly("labels", [](const MiniBatch& b) { return from_activity(b.target); })
      .def_readwrite("size", &MiniBatch::size)
      .def("__len__", [](const MiniBatch& b) { return b.size; })
      .def("__iter__", [](const MiniBatch& b) { return py::iter(py::make_tuple(from_activity(b.input), from_activity(b.target))); })
      .def("__repr__", [](const MiniBatch& b) {
        return detail::str_cat("MiniBatch(size=", b.size, ", input=", b.input.empty() ? "None" : b.input.describe(),
                               ", target=", b.target.empty() ? "None" : b.target.describe(), ")");
      });

  m.def("collate",
        [](const std::vector<Sample>& samples) {
          py::gil_scoped_release r;
          return data::collate(samples);
        },
        py::arg("samples"),
        "Stacks samples into a MiniBatch (features must agree in shape and dtype; the error names the first "
        "sample that differs).");

  // ---- DataSet and its implementations ----------------------------------------------------------------
  py::classh<DataSet, PyDataSet>(m, "DataSet", R"doc(A random-access collection of Samples (C++ data::DataSet,
held by std::shared_ptr). Subclass it in Python by defining ``__len__`` and ``__getitem__`` (returning a Sample,
a (features, labels) tuple, or the features alone) and calling ``super().__init__()``; the DataLoader then calls
them from its worker threads, taking the GIL for each call.)doc")
      .def(py::init<>())
      .def("size", &DataSet::size)
      .def("__len__", &DataSet::size)
      .def("get", &DataSet::get, py::arg("index"), "Sample `index` in [0, len).")
      .def("__getitem__", [](const DataSet& d, int64_t i) {
        const int64_t n = d.size();
        if (i < 0) i += n;
        if (i < 0 || i >= n) throw IndexError(detail::str_cat("[data.DataSet] index ", i, " out of range for ", n, " samples"));
        py::gil_scoped_release r;
        return d.get(i);
      }, py::arg("index"))
      .def("__repr__", &DataSet::repr);

  py::classh<data::ArrayDataSet, DataSet>(m, "ArrayDataSet", R"doc(All samples in memory as two tensors:
features [N, ...] and labels [N, ...] (int64 class indices [N] for classification), or no labels. NumPy
inputs are shared, not copied; ``ds[i]`` returns views. The DataLoader batches it without per-sample work.

Example: ``ds = ember.data.ArrayDataSet(np.random.rand(100, 3).astype(np.float32), np.zeros(100, np.int64))``)doc")
      .def(py::init([](py::handle features, py::handle labels) {
             Tensor f = to_tensor(features, "features");
             Tensor l = labels.is_none() ? Tensor() : to_tensor(labels, "labels");
             return std::make_shared<data::ArrayDataSet>(std::move(f), std::move(l));
           }),
           py::arg("features"), py::arg("labels") = py::none())
      .def_property_readonly("features", &data::ArrayDataSet::features)
      .def_property_readonly("labels", [](const data::ArrayDataSet& d) -> py::object {
        return d.labels().defined() ? py::cast(d.labels()) : py::none();
      });

  py::classh<data::ImageFolder, DataSet>(m, "ImageFolder", R"doc(Samples of a folder tree root/<class>/<image>
(torchvision ImageFolder): classes are the sorted sub-folders (label = index), images (.jpg, .jpeg, .png) are
decoded lazily into uint8 [H, W, channels]. channels: 3 (RGB, default), 1 (gray) or 0 (as stored).)doc")
      .def(py::init([](py::handle root, int64_t channels) {
             const std::string r = path_arg(root, "data.ImageFolder", "root");
             py::gil_scoped_release release;
             return std::make_shared<data::ImageFolder>(r, data::ImageFolderOptions{.channels = channels});
           }),
           py::arg("root"), py::arg("channels") = 3)
      .def_property_readonly("root", &data::ImageFolder::root)
      .def_property_readonly("classes", &data::ImageFolder::classes, "Class names in label order.")
      .def_property_readonly("paths", &data::ImageFolder::paths, "Image paths in sample order.")
      .def_property_readonly("targets", &data::ImageFolder::labels, "The label of each image.")
      .def_property_readonly("channels", [](const data::ImageFolder& d) { return d.options().channels; });

  // ---- transformers -------------------------------------------------------------------------------
  py::classh<Transformer, PyTransformer>(m, "Transformer", R"doc(One per-sample step of a pipeline (C++
data::Transformer, held by std::shared_ptr), composed with ``>>``. Subclass it in Python by defining
``apply(self, sample, generator) -> Sample`` (or a (features, labels) tuple), drawing randomness only from
``generator`` (the loader seeds one per sample from (seed, epoch, index)), and never modifying the incoming
tensors in place. The loader calls it from worker threads, taking the GIL for each call.

Calling a transformer on a Sample applies it; on an array or Tensor, it transforms that one feature and
returns the result: ``ember.data.HorizontalFlip()(img)``.)doc")
      .def(py::init<>())
      .def("apply",
           [](const Transformer& t, Sample s, py::handle gen) {
             Generator& g = generator_or_default(gen);
             py::gil_scoped_release r;
             return t.apply(std::move(s), g);
           },
           py::arg("sample"), py::arg("generator") = py::none())
      .def("__call__",
           [](const Transformer& t, py::handle x, py::handle gen) -> py::object {
             Generator& g = generator_or_default(gen);
             if (py::isinstance<Sample>(x)) {
               Sample s = x.cast<Sample>();
               Sample out = nogil([&] { return t.apply(std::move(s), g); });
               return py::cast(std::move(out));
             }
             Sample s(to_tensor(x, "input"));
             Sample out = nogil([&] { return t.apply(std::move(s), g); });
             return py::cast(out.feature());
           },
           py::arg("input"), py::arg("generator") = py::none())
      .def("__rshift__",
           [](std::shared_ptr<Transformer> a, std::shared_ptr<Transformer> b) -> std::shared_ptr<Transformer> {
             return std::make_shared<data::Chain>(std::move(a), std::move(b));  // a Chain in Python
           },
           py::arg("other"), "a >> b: a, then b.")
      .def("__repr__", &Transformer::repr)
      .def("repr", &Transformer::repr);

  py::classh<data::Chain, Transformer>(m, "Chain", "Two transformers applied in order (what `a >> b` builds).")
      .def(py::init([](std::shared_ptr<Transformer> a, std::shared_ptr<Transformer> b) {
             return std::make_shared<data::Chain>(std::move(a), std::move(b));
           }),
           py::arg("first"), py::arg("second"))
      .def_property_readonly("first", [](const data::Chain& c) { return std::const_pointer_cast<Transformer>(c.first()); })
      .def_property_readonly("second", [](const data::Chain& c) { return std::const_pointer_cast<Transformer>(c.second()); });

  py::classh<data::Lambda, Transformer>(m, "Lambda", R"doc(A transformer from a Python function
``fn(sample, generator) -> Sample`` (or ``fn(sample)``), returning a Sample or a (features, labels) tuple;
``name`` is its repr. The function must not modify the sample's tensors in place.

Example: ``ember.data.Lambda("Scale", lambda s: (s.feature * 2, s.labels))``)doc")
      .def(py::init([](std::string name, py::function fn) {
             PyCallable c{hold(fn), positional_arity(fn) >= 2, name};
             return std::make_shared<data::Lambda>(std::move(name), data::Lambda::Fn(std::move(c)));
           }),
           py::arg("name"), py::arg("fn"))
      .def_property_readonly("fn", [](const data::Lambda& l) -> py::object {
        const PyCallable* c = l.fn().target<PyCallable>();
        return c ? *c->fn : py::none();
      }, "The Python function given (None for a Lambda made in C++).");

  py::classh<data::ImageTransformer, Transformer, PyImageTransformer>(m, "ImageTransformer", R"doc(A transformer
of the sample's first feature (an image: uint8 [H, W, C] before ToTensor, float [C, H, W] after). Subclass it
in Python by defining ``apply_image(self, image, generator) -> Tensor or array``.)doc")
      .def(py::init<>())
      .def("apply_image",
           [](const data::ImageTransformer& t, py::handle image, py::handle gen) {
             const Tensor img = to_tensor(image, "image");
             Generator& g = generator_or_default(gen);
             py::gil_scoped_release r;
             return t.apply_image(img, g);
           },
           py::arg("image"), py::arg("generator") = py::none());

  bind_transformer<data::Resize>(m, "Resize", "Bilinear resize to height x width, or of the shorter side to shorter_side "
                                     "(aspect kept). BigDL: Resize.")
      .def(py::init([](int64_t height, int64_t width, int64_t shorter_side) {
             return std::make_shared<data::Resize>(data::ResizeOptions{height, width, shorter_side});
           }),
           py::arg("height") = 0, py::arg("width") = 0, py::arg("shorter_side") = 0);
  bind_transformer<data::CenterCrop>(m, "CenterCrop", "The centered height x width window (zero-padded when smaller).")
      .def(py::init([](int64_t height, int64_t width) {
             return std::make_shared<data::CenterCrop>(data::CenterCropOptions{height, width});
           }),
           py::arg("height"), py::arg("width"));
  bind_transformer<data::RandomCrop>(m, "RandomCrop", "A height x width window at a random position, after `padding` pixels "
                                             "of `fill` on every side (CIFAR: RandomCrop(height=32, width=32, padding=4)).")
      .def(py::init([](int64_t height, int64_t width, int64_t padding, bool pad_if_needed, double fill) {
             return std::make_shared<data::RandomCrop>(data::RandomCropOptions{height, width, padding, pad_if_needed, fill});
           }),
           py::arg("height"), py::arg("width"), py::arg("padding") = 0, py::arg("pad_if_needed") = false,
           py::arg("fill") = 0.0);
  bind_transformer<data::HorizontalFlip>(m, "HorizontalFlip", "Mirror left-right, always. BigDL: HFlip.").def(py::init<>());
  bind_transformer<data::RandomHorizontalFlip>(m, "RandomHorizontalFlip", "Mirror left-right with probability p.")
      .def(py::init([](double p) { return std::make_shared<data::RandomHorizontalFlip>(data::RandomHorizontalFlipOptions{p}); }),
           py::arg("p") = 0.5);
  bind_transformer<data::ToTensor>(m, "ToTensor", "uint8 [H, W, C] -> float32 [C, H, W] in [0, 1]. BigDL: MatToTensor.")
      .def(py::init<>());
  bind_transformer<data::Normalize>(m, "Normalize", "(x - mean[c]) / std[c] on float [C, H, W]; one value per channel or one "
                                           "for all. BigDL: ChannelNormalize.")
      .def(py::init([](py::handle mean, py::handle std) {
             return std::make_shared<data::Normalize>(data::NormalizeOptions{doubles_arg(mean, "mean"), doubles_arg(std, "std")});
           }),
           py::arg("mean"), py::arg("std"));
  bind_transformer<data::ColorJitter>(m, "ColorJitter", "Random brightness, contrast, saturation (factor in [max(0, 1 - b), 1 + b]) "
                                               "and hue (shift in [-h, h]) in a random order, as torchvision.")
      .def(py::init([](double brightness, double contrast, double saturation, double hue) {
             return std::make_shared<data::ColorJitter>(data::ColorJitterOptions{brightness, contrast, saturation, hue});
           }),
           py::arg("brightness") = 0.0, py::arg("contrast") = 0.0, py::arg("saturation") = 0.0, py::arg("hue") = 0.0);
  bind_transformer<data::RandomAffine>(m, "RandomAffine", R"doc(Random rotation, translation, zoom and shear about the center
(torchvision RandomAffine). degrees: d (from [-d, d]) or (lo, hi); translate: (a, b) fractions of W and H;
scale: (lo, hi); shear: s, (lo, hi) or (xlo, xhi, ylo, yhi) degrees; fill: value outside the image.)doc")
      .def(py::init([](py::handle degrees, py::handle translate, py::handle scale, py::handle shear, double fill) {
             return std::make_shared<data::RandomAffine>(data::RandomAffineOptions{
                 doubles_arg(degrees, "degrees"), doubles_arg(translate, "translate"), doubles_arg(scale, "scale"),
                 doubles_arg(shear, "shear"), fill});
           }),
           py::arg("degrees") = py::none(), py::arg("translate") = py::none(), py::arg("scale") = py::none(),
           py::arg("shear") = py::none(), py::arg("fill") = 0.0)
      .def("get_params",
           [](const data::RandomAffine& t, int64_t height, int64_t width, py::handle gen) {
             return t.get_params(height, width, generator_or_default(gen));
           },
           py::arg("height"), py::arg("width"), py::arg("generator") = py::none(),
           "The parameters drawn for an image of height x width.");
  bind_transformer<data::RandomRotation, data::RandomAffine>(m, "RandomRotation",
                                                       "Rotation by a random angle: degrees d (from [-d, d]) or (lo, hi).")
      .def(py::init([](py::handle degrees, double fill) {
             return std::make_shared<data::RandomRotation>(data::RandomRotationOptions{doubles_arg(degrees, "degrees"), fill});
           }),
           py::arg("degrees"), py::arg("fill") = 0.0);
  bind_transformer<data::RandomShear, data::RandomAffine>(m, "RandomShear", "Shear by random angles (Keras shear_range).")
      .def(py::init([](py::handle shear, double fill) {
             return std::make_shared<data::RandomShear>(data::RandomShearOptions{doubles_arg(shear, "shear"), fill});
           }),
           py::arg("shear"), py::arg("fill") = 0.0);
  bind_transformer<data::RandomZoom, data::RandomAffine>(m, "RandomZoom", "Zoom by a factor from scale=(lo, hi) (Keras zoom_range).")
      .def(py::init([](py::handle scale, double fill) {
             return std::make_shared<data::RandomZoom>(data::RandomZoomOptions{doubles_arg(scale, "scale"), fill});
           }),
           py::arg("scale"), py::arg("fill") = 0.0);
  bind_transformer<data::RandomTranslate, data::RandomAffine>(m, "RandomTranslate",
                                                        "Shift by translate=(a, b) fractions of W and H at most.")
      .def(py::init([](py::handle translate, double fill) {
             return std::make_shared<data::RandomTranslate>(data::RandomTranslateOptions{doubles_arg(translate, "translate"), fill});
           }),
           py::arg("translate"), py::arg("fill") = 0.0);

  // ---- DataLoader -----------------------------------------------------------------------------------
  py::classh<PyDataLoader>(m, "DataLoader", R"doc(Batches of a DataSet, shuffled per epoch from `seed`, transformed
and collated on `num_workers` background threads (0: on the caller's thread). Batches are identical for any
num_workers and resume exactly from state_dict().

Iterating yields MiniBatch objects (``for x, y in loader`` unpacks input and target). Each ``iter(loader)``
starts the next epoch (1, 2, ...), unless start_epoch/set_epoch/load_state_dict positioned the loader, in
which case it continues from there. With copy=True (default) every batch owns its tensors; copy=False hands
out the loader's reused buffers, valid until the next batch. Waiting for a batch releases the GIL.

Example::

    loader = ember.data.DataLoader(ds, batch_size=128, shuffle=True, seed=42, transform=ember.data.ToTensor())
    for epoch in range(1, 3):
        for x, y in loader: ...
)doc")
      .def(py::init([](std::shared_ptr<DataSet> dataset, int64_t batch_size, bool shuffle, uint64_t seed, bool drop_last,
                       int num_workers, int prefetch, std::shared_ptr<Transformer> transform, bool copy) {
             auto l = std::make_unique<PyDataLoader>();
             l->dataset = dataset;
             l->copy = copy;
             l->loader = std::make_unique<data::DataLoader>(
                 dataset, data::DataLoaderOptions{.batch_size = batch_size, .shuffle = shuffle, .seed = seed,
                                                  .drop_last = drop_last, .num_workers = num_workers,
                                                  .prefetch = prefetch, .transform = std::move(transform)});
             return l;
           }),
           py::arg("dataset"), py::arg("batch_size") = 32, py::arg("shuffle") = true, py::arg("seed") = 0,
           py::arg("drop_last") = false, py::arg("num_workers") = 2, py::arg("prefetch") = 4,
           py::arg("transform") = py::none(), py::arg("copy") = true)
      .def("__len__", [](PyDataLoader& l) { return l.get().num_batches(); })
      .def("num_batches", [](PyDataLoader& l) { return l.get().num_batches(); }, "Batches per epoch.")
      .def_property_readonly("dataset", [](const PyDataLoader& l) { return std::const_pointer_cast<DataSet>(l.dataset); })
      .def_property_readonly("dataset_size", [](PyDataLoader& l) { return l.get().dataset_size(); })
      .def_property_readonly("batch_size", [](PyDataLoader& l) { return l.get().options().batch_size; })
      .def_property_readonly("shuffle", [](PyDataLoader& l) { return l.get().options().shuffle; })
      .def_property_readonly("seed", [](PyDataLoader& l) { return l.get().options().seed; })
      .def_property_readonly("drop_last", [](PyDataLoader& l) { return l.get().options().drop_last; })
      .def_property_readonly("num_workers", [](PyDataLoader& l) { return l.get().options().num_workers; })
      .def_property_readonly("prefetch", [](PyDataLoader& l) { return l.get().options().prefetch; })
      .def_property_readonly("transform", [](PyDataLoader& l) -> py::object {
        const auto& t = l.get().options().transform;
        return t ? py::cast(std::const_pointer_cast<Transformer>(t)) : py::none();
      })
      .def_property_readonly("epoch", &PyDataLoader::epoch, "The current epoch (0 before the first).")
      .def("start_epoch", &PyDataLoader::start_epoch, py::arg("epoch"), py::arg("first_batch") = 0,
           "Positions the loader at epoch `epoch` (1-based), batch first_batch; the next iteration continues there.")
      .def("set_epoch", [](PyDataLoader& l, int64_t epoch) { l.start_epoch(epoch, 0); }, py::arg("epoch"),
           "The next iteration yields epoch `epoch` (its order depends only on (seed, epoch)).")
      .def("__iter__", [](py::object self) {
        PyDataLoader& l = self.cast<PyDataLoader&>();
        if (!l.positioned) l.start_epoch(l.epoch() + 1, 0);
        l.positioned = false;
        return self;
      })
      .def("__next__", [](PyDataLoader& l) {
        l.positioned = false;
        auto b = l.next();
        if (!b) throw py::stop_iteration();
        return std::move(*b);
      })
      .def("next", [](PyDataLoader& l) -> py::object {
        l.positioned = false;
        auto b = l.next();
        return b ? py::cast(std::move(*b)) : py::none();
      }, "The next batch of the current epoch, or None at its end.")
      .def("state_dict", [](PyDataLoader& l) { return state_to_dict(l.get().state_dict()); },
           "{'epoch', 'batch' (the next one), 'seed', 'batch_size', 'dataset_size'}: where a checkpoint resumes.")
      .def("load_state_dict",
           [](PyDataLoader& l, py::handle d) {
             const StateDict s = state_from_dict(d, "data.DataLoader.load_state_dict");
             {
               py::gil_scoped_release r;
               std::lock_guard<std::mutex> lk(l.mu);
               l.locked().load_state_dict(s);
             }
             l.positioned = s.integer("epoch") > 0;
           },
           py::arg("state"), "Resumes at the saved (epoch, batch) with the saved seed.")
      .def("close", [](PyDataLoader& l) {
        py::gil_scoped_release r;
        l.close();
      }, "Stops the workers (the loader cannot be used afterwards; interpreter exit closes every loader).")
      .def("__repr__", [](PyDataLoader& l) {
        if (!l.loader) return std::string("DataLoader(closed)");
        const auto& o = l.loader->options();
        return detail::str_cat("DataLoader(", l.dataset->repr(), ", batch_size=", o.batch_size,
                               ", shuffle=", o.shuffle ? "True" : "False", ", seed=", o.seed,
                               ", drop_last=", o.drop_last ? "True" : "False", ", num_workers=", o.num_workers,
                               ", transform=", o.transform ? o.transform->repr() : std::string("None"), ")");
      });

  // ---- codecs, readers ----------------------------------------------------------------------------------
  bind_image_io(image);
  bind_image_io(m);

  m.def("read_idx",
        [](py::handle path) {
          const std::string p = path_arg(path, "data.read_idx");
          py::gil_scoped_release r;
          return data::read_idx(p);
        },
        py::arg("path"), "An IDX file (raw or gzip) as a tensor with the file's dims (ubyte -> uint8).");
  auto mnist_loader = [](std::shared_ptr<data::ArrayDataSet> (*load)(const std::string&, const data::MnistOptions&),
                         const char* where) {
    return [load, where](py::handle dir, bool train, bool normalize, std::optional<double> mean,
                         std::optional<double> std) {
      const std::string d = path_arg(dir, where, "dir");
      py::gil_scoped_release r;
      return load(d, data::MnistOptions{.train = train, .normalize = normalize, .mean = mean, .std = std});
    };
  };
  m.def("load_mnist", mnist_loader(&data::load_mnist, "data.load_mnist"), py::arg("dir"), py::arg("train") = true,
        py::arg("normalize") = true, py::arg("mean") = py::none(), py::arg("std") = py::none(),
        "MNIST from dir ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]) as an ArrayDataSet: features float32 "
        "[N, 1, 28, 28] ((x/255 - mean)/std when normalize), labels int64 [N]. N = 60000 (train) or 10000.");
  m.def("load_fashion_mnist", mnist_loader(&data::load_fashion_mnist, "data.load_fashion_mnist"), py::arg("dir"),
        py::arg("train") = true, py::arg("normalize") = true, py::arg("mean") = py::none(), py::arg("std") = py::none(),
        "Fashion-MNIST (MNIST's layout and file names), normalized with its own mean and std.");
  m.def("load_cifar10",
        [](py::handle dir, bool train, bool normalize, std::optional<std::array<double, 3>> mean,
           std::optional<std::array<double, 3>> std) {
          const std::string d = path_arg(dir, "data.load_cifar10", "dir");
          data::CifarOptions o{.train = train, .normalize = normalize};
          if (mean) o.mean = *mean;
          if (std) o.std = *std;
          py::gil_scoped_release r;
          return data::load_cifar10(d, o);
        },
        py::arg("dir"), py::arg("train") = true, py::arg("normalize") = true, py::arg("mean") = py::none(),
        py::arg("std") = py::none(),
        "CIFAR-10 binary (dir or dir/cifar-10-batches-bin) as an ArrayDataSet: features float32 [N, 3, 32, 32], "
        "labels int64 [N]; N = 50000 (train) or 10000.");
  m.attr("MNIST_MEAN") = data::kMnistMean;
  m.attr("MNIST_STD") = data::kMnistStd;
  m.attr("FASHION_MNIST_MEAN") = data::kFashionMnistMean;
  m.attr("FASHION_MNIST_STD") = data::kFashionMnistStd;
  m.attr("CIFAR10_MEAN") = py::make_tuple(data::kCifar10Mean[0], data::kCifar10Mean[1], data::kCifar10Mean[2]);
  m.attr("CIFAR10_STD") = py::make_tuple(data::kCifar10Std[0], data::kCifar10Std[1], data::kCifar10Std[2]);

  py::module_::import("atexit").attr("register")(py::cpp_function(&close_all_loaders));

  // Accepts any DataSet as std::shared_ptr<const DataSet> (what DataLoader and the Optimizer take).
  m.def("_dataset_size", [](std::shared_ptr<const DataSet> d) { return d->size(); }, py::arg("dataset"));
}

}  // namespace ember::python
