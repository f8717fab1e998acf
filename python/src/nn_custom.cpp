// Python subclasses of ember.nn.Module and ember.nn.Criterion: the trampolines (called from C++,
// often with the GIL released by the caller, so each takes the GIL), the checks on what the Python
// overrides return, and ember.nn.Parameter (parameters owned by a Python module).
#include "ember/core/error.h"
#include "nn_util.h"

namespace ember::python {

using ember::detail::str_cat;

namespace {

template <class Base>
std::string python_class_name(const Base* self) {
  py::handle h = py::detail::get_object_handle(self, py::detail::get_type_info(typeid(Base)));
  if (!h) return "py.<deleted>";
  return "py." + py_class_name(h);
}

std::string short_class(std::string_view type_name) {
  return std::string(type_name.substr(type_name.rfind('.') == std::string_view::npos ? 0 : type_name.rfind('.') + 1));
}

std::string describe_py(py::handle v) {
  if (py::isinstance<py::array>(v)) {
    py::array a = py::reinterpret_borrow<py::array>(v);
    std::string s = "ndarray[";
    for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i ? ", " : "") + std::to_string(a.shape(i));
    return s + "] of " + py::str(a.dtype()).cast<std::string>();
  }
  return py_type_name(v);
}

std::string shape_str(const Shape& s) { return str_cat(s); }

// What a Python override returned -> Activity. `ref` is the activity the result must match in
// shape and dtype (update_grad_input: the input), or in dtype only when it is a float tensor
// (update_output), or nothing.
nn::Activity result_activity(py::handle r, const std::string& where, const nn::Activity* ref, bool same_shape) {
  if (r.is_none())
    throw TypeError(str_cat(where, " returned None: expected an array (or a list of arrays for a table). Hint: "
                                   "return the result"));
  nn::Activity a;
  try {
    a = to_activity(r, "result");
  } catch (const TypeError& e) {
    throw TypeError(str_cat(where, " returned ", describe_py(r), ", which is not an array, Tensor or list: ", e.body()));
  }
  if (ref && ref->is_tensor() && a.is_tensor()) {
    const Tensor& x = ref->tensor();
    const Tensor& y = a.tensor();
    const bool x_float = x.dtype() == DType::Float32 || x.dtype() == DType::Float64;
    if ((same_shape || (x_float && (y.dtype() == DType::Float32 || y.dtype() == DType::Float64))) &&
        y.dtype() != x.dtype())
      throw TypeError(str_cat(where, " returned ", y.dtype(), " values: expected ", x.dtype(),
                              " (the input's dtype); convert with .astype(input.dtype)"));
    if (same_shape && y.shape() != x.shape())
      throw ShapeError(str_cat(where, " returned shape ", shape_str(y.shape()), ": expected the input's shape ",
                               shape_str(x.shape())));
  } else if (ref && same_shape && ref->is_tensor() != a.is_tensor() && !ref->empty()) {
    throw TypeError(str_cat(where, " returned ", a.describe(), ": expected a value like the input, ", ref->describe()));
  }
  return a;
}

Tensor copy_to_owned(py::handle value, const std::string& where) {
  Tensor t = to_tensor(value, "value");
  if (t.dtype() != DType::Float32 && t.dtype() != DType::Float64) {
    if (t.dtype() == DType::Int32 || t.dtype() == DType::Int64 || t.dtype() == DType::UInt8)
      t = t.to(DType::Float32);
    else
      throw TypeError(str_cat(where, ": expected a float32 or float64 array, got ", t.dtype()));
  }
  Tensor owned = Tensor::empty(t.shape(), t.dtype());
  owned.copy_(t);
  return owned;
}

}  // namespace

py::object activity_to_python_arrays(const nn::Activity& a) {
  if (a.empty()) return py::none();
  if (a.is_tensor()) {
    if (!a.tensor().defined()) return py::none();
    py::array arr = to_numpy(a.tensor());
    arr.attr("flags").attr("writeable") = false;
    return arr;
  }
  py::list out;
  for (const nn::Activity& item : a.table()) out.append(activity_to_python_arrays(item));
  return out;
}

std::shared_ptr<ParamSlot> ParameterRef::lock() const {
  auto s = slot.lock();
  if (!s) throw ValueError("[nn.Parameter] the module that owned this parameter no longer exists");
  return s;
}

// ---- PyModule ------------------------------------------------------------------------------------

std::string_view PyModule::type_name() const {
  if (type_name_.empty()) {
    py::gil_scoped_acquire gil;
    type_name_ = python_class_name<nn::Module>(this);
  }
  return type_name_;
}

const nn::Activity& PyModule::update_output(const nn::Activity& input) {
  py::gil_scoped_acquire gil;
  py::function f = py::get_override(static_cast<const nn::Module*>(this), "update_output");
  const std::string where = short_class(type_name()) + ".update_output";
  if (!f)
    throw NotImplementedError(str_cat(where, " is not defined: a Python module implements update_output(self, input) "
                                             "(and update_grad_input(self, input, grad_output) for training)"));
  py::object r = f(activity_to_python_arrays(input));
  output_ = result_activity(r, where, &input, false);
  return output_;
}

const nn::Activity& PyModule::update_grad_input(const nn::Activity& input, const nn::Activity& grad_output) {
  py::gil_scoped_acquire gil;
  py::function f = py::get_override(static_cast<const nn::Module*>(this), "update_grad_input");
  const std::string where = short_class(type_name()) + ".update_grad_input";
  if (!f)
    throw NotImplementedError(
        str_cat(where, " is not defined: define update_grad_input(self, input, grad_output) to train through ",
                type_name(), " (or set_propagate_back(False) when it is the first layer)"));
  py::object r = f(activity_to_python_arrays(input), activity_to_python_arrays(grad_output));
  grad_input_ = result_activity(r, where, &input, true);
  return grad_input_;
}

void PyModule::acc_grad_parameters(const nn::Activity& input, const nn::Activity& grad_output) {
  py::gil_scoped_acquire gil;
  py::function f = py::get_override(static_cast<const nn::Module*>(this), "acc_grad_parameters");
  if (!f) return;  // no parameters, or none to accumulate
  f(activity_to_python_arrays(input), activity_to_python_arrays(grad_output));
}

std::string PyModule::extra_repr() const {
  py::gil_scoped_acquire gil;
  py::function f = py::get_override(static_cast<const nn::Module*>(this), "extra_repr");
  if (!f) return "";
  return py::str(f()).cast<std::string>();
}

void PyModule::reset_parameters() {
  py::gil_scoped_acquire gil;
  py::function f = py::get_override(static_cast<const nn::Module*>(this), "reset_parameters");
  if (f) f();
}

void PyModule::check_new_name(const std::string& name) const {
  EMBER_CHECK(!name.empty() && name.find('.') == std::string::npos, "[", type_name(),
              "] a parameter or buffer name must be non-empty and contain no '.', got '", name, "'");
  for (const auto& s : slots_)
    EMBER_CHECK(s->name != name, "[", type_name(), "] '", name, "' is already registered");
}

std::shared_ptr<ParamSlot> PyModule::add_parameter(const std::string& name, py::handle value) {
  check_new_name(name);
  auto slot = std::make_shared<ParamSlot>();
  slot->name = name;
  slot->value = copy_to_owned(value, str_cat("[", type_name(), "] register_parameter('", name, "')"));
  slot->grad = Tensor::zeros(slot->value.shape(), slot->value.dtype());
  register_parameter(name, &slot->value, &slot->grad);
  slots_.push_back(slot);
  return slot;
}

std::shared_ptr<ParamSlot> PyModule::add_buffer(const std::string& name, py::handle value) {
  check_new_name(name);
  auto slot = std::make_shared<ParamSlot>();
  slot->name = name;
  slot->is_buffer = true;
  Tensor t = to_tensor(value, "value");
  slot->value = Tensor::empty(t.shape(), t.dtype());
  slot->value.copy_(t);
  register_buffer(name, &slot->value);
  slots_.push_back(slot);
  return slot;
}

// ---- PyCriterion -----------------------------------------------------------------------------

std::string_view PyCriterion::type_name() const {
  if (type_name_.empty()) {
    py::gil_scoped_acquire gil;
    type_name_ = python_class_name<nn::Criterion>(this);
  }
  return type_name_;
}

double PyCriterion::update_output(const nn::Activity& input, const nn::Activity& target) {
  py::gil_scoped_acquire gil;
  py::function f = py::get_override(static_cast<const nn::Criterion*>(this), "update_output");
  const std::string where = short_class(type_name()) + ".update_output";
  if (!f)
    throw NotImplementedError(str_cat(where, " is not defined: a Python criterion implements update_output(self, "
                                             "input, target) returning the loss as a float"));
  py::object r = f(activity_to_python_arrays(input), activity_to_python_arrays(target));
  if (r.is_none()) throw TypeError(str_cat(where, " returned None: expected the loss as a float"));
  double loss;
  try {
    if (py::isinstance<py::array>(r)) {
      py::array a = py::reinterpret_borrow<py::array>(r);
      if (a.size() != 1) throw py::type_error("not a scalar");
      r = a.attr("reshape")(py::tuple()).attr("item")();
    }
    loss = py::float_(r).cast<double>();
  } catch (const py::error_already_set&) {
    throw TypeError(str_cat(where, " returned ", describe_py(r), ": expected the loss as a float"));
  } catch (const py::builtin_exception&) {
    throw TypeError(str_cat(where, " returned ", describe_py(r), ": expected the loss as a float"));
  }
  output_ = loss;
  return loss;
}

const nn::Activity& PyCriterion::update_grad_input(const nn::Activity& input, const nn::Activity& target) {
  py::gil_scoped_acquire gil;
  py::function f = py::get_override(static_cast<const nn::Criterion*>(this), "update_grad_input");
  const std::string where = short_class(type_name()) + ".update_grad_input";
  if (!f)
    throw NotImplementedError(str_cat(where, " is not defined: define update_grad_input(self, input, target) "
                                             "returning the gradient of the loss w.r.t. the input"));
  py::object r = f(activity_to_python_arrays(input), activity_to_python_arrays(target));
  grad_input_ = result_activity(r, where, &input, true);
  return grad_input_;
}

std::string PyCriterion::extra_repr() const {
  py::gil_scoped_acquire gil;
  py::function f = py::get_override(static_cast<const nn::Criterion*>(this), "extra_repr");
  if (!f) return "";
  return py::str(f()).cast<std::string>();
}

// ---- bindings ----------------------------------------------------------------------------------

void bind_nn_custom(py::module_& m) {
  py::class_<ParameterRef>(m, "Parameter",
                           "A parameter (or buffer) of a Python module, returned by Module.register_parameter.\n\n"
                           "`value` and `grad` are NumPy arrays sharing the C++ tensors' memory, looked up on each "
                           "access, so they stay current after get_parameters() (which moves every parameter into "
                           "one flat buffer) or to(dtype). Update them in place: `p.grad[...] += g`. The handle "
                           "does not keep the module alive.")
      .def_property_readonly("name", [](const ParameterRef& p) { return p.lock()->name; })
      .def_property_readonly(
          "value", [](const ParameterRef& p) { return to_numpy(p.lock()->value); },
          "The current value (a writable NumPy view).")
      .def_property_readonly(
          "grad",
          [](const ParameterRef& p) -> py::object {
            auto s = p.lock();
            if (s->is_buffer) return py::none();
            return to_numpy(s->grad);
          },
          "The accumulated gradient (a writable NumPy view; None for a buffer).")
      .def_property_readonly("shape", [](const ParameterRef& p) { return py::tuple(py::cast(p.lock()->value.shape().vec())); })
      .def_property_readonly("dtype", [](const ParameterRef& p) { return numpy_dtype(p.lock()->value.dtype()); })
      .def(
          "__array__",
          [](const ParameterRef& p, py::object dtype, py::object) {
            py::array a = to_numpy(p.lock()->value);
            return dtype.is_none() ? a : a.attr("astype")(dtype).cast<py::array>();
          },
          py::arg("dtype") = py::none(), py::arg("copy") = py::none())
      .def("__repr__", [](const ParameterRef& p) {
        auto s = p.slot.lock();
        if (!s) return std::string("Parameter(<deleted>)");
        return str_cat(s->is_buffer ? "Buffer(" : "Parameter(", "'", s->name, "', shape=", s->value.shape(),
                       ", dtype=", s->value.dtype(), ")");
      });
}

}  // namespace ember::python
