// Bindings for ember/nn: the Module and Criterion base classes (with trampolines for Python
// subclasses), containers, Graph nodes, init methods, regularizers and pickling. The layer and
// criterion classes are in nn_layers.cpp, the Python-subclass machinery in nn_custom.cpp.
#include <algorithm>

#include "ember/core/error.h"
#include "ember/io/model_file.h"
#include "ember/nn/all.h"
#include "ember/nn/registry.h"
#include "nn_util.h"

namespace ember::python {

using ember::detail::str_cat;

namespace {

// Python bindings of the Module and Criterion steps: the arguments become Activities, the step runs
// without the GIL, and an activity result comes back as a view of the module's buffer.
using Activity = nn::Activity;

py::object module_result(const Activity& a) { return from_activity(a); }
py::object module_result(double loss) { return py::float_(loss); }

template <class R>
auto module_step(R (nn::Module::*step)(const Activity&)) {
  return [step](nn::Module& self, py::handle input) {
    const Activity in = to_activity(input, "input");
    return module_result(nogil([&]() -> R { return (self.*step)(in); }));
  };
}

template <class Self, class R>
auto module_step(R (Self::*step)(const Activity&, const Activity&), const char* second) {
  return [step, second](Self& self, py::handle input, py::handle other) {
    const Activity in = to_activity(input, "input"), o = to_activity(other, second);
    if constexpr (std::is_void_v<R>) nogil([&] { (self.*step)(in, o); });
    else return module_result(nogil([&]() -> R { return (self.*step)(in, o); }));
  };
}

const auto forward_py = module_step(&nn::Module::forward);

std::vector<nn::NodePtr> nodes_arg(py::handle obj, const char* what) {
  std::vector<nn::NodePtr> out;
  if (py::isinstance<nn::Node>(obj)) {
    out.push_back(obj.cast<nn::NodePtr>());
    return out;
  }
  if (!py::isinstance<py::list>(obj) && !py::isinstance<py::tuple>(obj))
    throw TypeError(str_cat("[nn.Graph] ", what, ": expected a Node or a list of Nodes, got ",
                            py_type_name(obj)));
  for (py::handle h : obj) {
    if (!py::isinstance<nn::Node>(h))
      throw TypeError(str_cat("[nn.Graph] ", what, ": expected Nodes (from nn.Input() or module(node)), got ",
                              py_type_name(h)));
    out.push_back(h.cast<nn::NodePtr>());
  }
  return out;
}

bool is_node_arg(py::handle obj) {
  if (py::isinstance<nn::Node>(obj)) return true;
  if ((py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj)) && py::len(obj) > 0) {
    for (py::handle h : obj)
      if (!py::isinstance<nn::Node>(h)) return false;
    return true;
  }
  return false;
}

// Restores the training mode on scope exit.
struct ModeGuard {
  nn::Module& m;
  bool was_training;
  explicit ModeGuard(nn::Module& mod) : m(mod), was_training(mod.is_training()) { m.evaluate(); }
  ~ModeGuard() {
    if (was_training) m.training();
  }
};

Tensor predict_tensor(nn::Module& self, py::handle x, int64_t batch_size) {
  EMBER_CHECK(batch_size > 0, "[", self.type_name(), ".predict] batch_size must be positive, got ", batch_size);
  Tensor in = to_tensor(x, "x");
  EMBER_CHECK_SHAPE(in.dim() >= 1, "[", self.type_name(), ".predict] x must have a batch dimension, got shape ",
                    in.shape());
  const int64_t n = in.size(0);
  EMBER_CHECK_SHAPE(n > 0, "[", self.type_name(), ".predict] x has no samples (shape ", in.shape(), ")");
  Tensor result;
  {
    py::gil_scoped_release release;
    ModeGuard guard(self);
    for (int64_t start = 0; start < n; start += batch_size) {
      const int64_t len = std::min(batch_size, n - start);
      const nn::Activity& out = self.forward(nn::Activity(in.narrow(0, start, len)));
      EMBER_CHECK_TYPE(out.is_tensor(), "[", self.type_name(), ".predict] the model returned ", out.describe(),
                       ": predict needs a single Tensor output");
      const Tensor& y = out.tensor();
      EMBER_CHECK_SHAPE(y.dim() >= 1 && y.size(0) == len, "[", self.type_name(), ".predict] the model's output ",
                        y.shape(), " does not keep the batch dimension of its input (", len, " samples)");
      if (!result.defined()) {
        Shape s = y.shape();
        s[0] = n;
        result = Tensor::empty(s, y.dtype());
      }
      EMBER_CHECK_SHAPE(y.dim() == result.dim(), "[", self.type_name(), ".predict] output shapes differ between batches");
      result.narrow(0, start, len).copy_(y);
    }
  }
  return result;
}

template <class T>
void argmax_rows(const Tensor& y, int64_t* out) {
  const int64_t n = y.size(0), c = y.size(1);
  const T* p = y.data<T>();
  for (int64_t i = 0; i < n; ++i) {
    const T* row = p + i * c;
    out[i] = std::max_element(row, row + c) - row;
  }
}

// Throws TypeError naming the first Python-defined module in the tree (they cannot be saved).
void check_no_python_modules(const nn::Module& m, const std::string& path) {
  if (dynamic_cast<const PyModule*>(&m))
    throw TypeError(str_cat("[", m.type_name(), path.empty() ? "" : " '" + path + "'",
                            "] cannot pickle a model containing a module defined in Python: the model file "
                            "stores registered C++ types only"));
  for (const auto& [k, c] : m.named_children()) check_no_python_modules(*c, path.empty() ? k : path + "." + k);
}

py::bytes module_bytes(const nn::Module& self) {
  check_no_python_modules(self, "");
  std::string bytes = nogil([&] { return io::save_module_to_bytes(self); });
  return py::bytes(bytes);
}

nn::ModulePtr module_from_bytes(const py::bytes& b) {
  std::string_view view = b;
  py::gil_scoped_release release;
  return io::load_module_from_bytes(view, "<pickle>");
}

nn::Module* find_child(nn::Module& self, const std::string& key) {
  for (const auto& [k, c] : self.named_children())
    if (k == key) return c.get();
  return nullptr;
}

std::vector<std::string> names_arg(py::handle names) {
  if (names.is_none()) return {};
  if (PyUnicode_Check(names.ptr())) return {names.cast<std::string>()};
  return names.cast<std::vector<std::string>>();
}

PyModule* py_module_or_throw(nn::Module& self, const char* method) {
  auto* p = dynamic_cast<PyModule*>(&self);
  if (!p)
    throw TypeError(str_cat("[", self.type_name(), "] ", method,
                            " is for Python subclasses of ember.nn.Module; built-in layers register their own "
                            "parameters"));
  return p;
}

nn::InitMethodPtr init_arg(const std::shared_ptr<nn::InitMethod>& m) { return m; }

void check_index(int64_t& i, size_t n, const char* what) {
  if (i < 0) i += static_cast<int64_t>(n);
  if (i < 0 || i >= static_cast<int64_t>(n))
    throw py::index_error(str_cat("[", what, "] index out of range: expected -", n, " <= index < ", n));
}

}  // namespace

void bind_nn(py::module_& m) {
  // Classes that Module's methods take or return are declared first, so that signatures (docstrings,
  // type stubs) name them instead of their C++ types; their methods are added further down.
  py::class_<nn::Regularizer> regularizer(m, "Regularizer",
                                          "L1/L2 penalty of one parameter: l1 * |w|_1 + l2/2 * |w|^2 (BigDL: "
                                          "L1L2Regularizer). Set with module.set_regularizer('weight', Regularizer(l2=1e-4)).");
  py::classh<nn::InitMethod> init_method(m, "InitMethod",
                                         "Base of the init methods for weights and biases (set_init_method).");
  py::classh<nn::Node> node(m, "Node", "A vertex of a Graph: nn.Input() or a module applied to nodes (`nn.Linear(4, 2)(x)`).");
  bind_nn_custom(m);

  // ---- Module -------------------------------------------------------------------------------
  py::classh<nn::Module, PyModule> mod(m, "Module", R"doc(Base of every layer and container (Torch7/BigDL contract).

A module computes its output with ``forward(input)`` and, for training, ``backward(input,
grad_output)`` (gradient w.r.t. the input, and parameter gradients accumulated until
``zero_grad_parameters()``). Inputs are NumPy arrays or ember.Tensors (lists for tables).

Subclass it in Python by defining ``update_output(self, input)`` (and, to train through it,
``update_grad_input(self, input, grad_output)``; with parameters also ``acc_grad_parameters(self,
input, grad_output)``). The overrides receive read-only NumPy views and return arrays of the
input's float dtype. Parameters are registered with ``register_parameter(name, value)``::

    class Scale(ember.nn.Module):
        def __init__(self, n):
            super().__init__()
            self.w = self.register_parameter("weight", np.ones(n, np.float32))
        def update_output(self, x):
            return x * self.w.value
        def update_grad_input(self, x, g):
            return g * self.w.value
        def acc_grad_parameters(self, x, g):
            self.w.grad[...] += (x * g).sum(axis=0)
)doc");
  mod.def(py::init<>(), "Constructs the C++ part of a Python subclass (call super().__init__()).")
      .def("forward", forward_py, py::arg("input"),
           R"doc(Computes the output for ``input`` (array, Tensor or list for a table); returns an ember.Tensor
(or a list for a table output).

The result is a view of the module's output buffer (Torch7/BigDL semantics): it is valid until the
next forward, which overwrites it. Copy it (``np.array(y)``) to keep it. The GIL is released while
the model runs.)doc")
      .def(
          "__call__",
          [](const std::shared_ptr<nn::Module>& self, py::handle input) -> py::object {
            if (is_node_arg(input)) return py::cast(nn::apply(self, nodes_arg(input, "inputs")));
            return forward_py(*self, input);
          },
          py::arg("input"),
          "forward(input); with a Node (or a list of Nodes) builds a Graph node instead: `y = nn.Linear(4, 2)(x)`.")
      .def(
          "inputs",
          [](const std::shared_ptr<nn::Module>& self, py::args nodes) {
            return nn::apply(self, nodes_arg(nodes, "inputs"));
          },
          "A Graph node applying this module to the given nodes (BigDL: module.inputs(x, y)).")
      .def("backward", module_step(&nn::Module::backward, "grad_output"), py::arg("input"), py::arg("grad_output"),
           "Gradient w.r.t. the input (returned, a view of the module's buffer) and accumulation of the parameter "
           "gradients. Call after forward(input).")
      .def("update_output", module_step(&nn::Module::update_output), py::arg("input"),
           "Computes the output (forward without the error context). Python subclasses override it.")
      .def("update_grad_input", module_step(&nn::Module::update_grad_input, "grad_output"), py::arg("input"),
           py::arg("grad_output"), "Computes the gradient w.r.t. the input. Python subclasses override it.")
      .def("acc_grad_parameters", module_step(&nn::Module::acc_grad_parameters, "grad_output"), py::arg("input"),
           py::arg("grad_output"),
          "Adds the parameter gradients for (input, grad_output). Python subclasses with parameters override it.")
      .def_property_readonly("output", [](const nn::Module& self) { return from_activity(self.output()); },
                             "The last output (a view of the module's buffer).")
      .def_property_readonly("grad_input", [](const nn::Module& self) { return from_activity(self.grad_input()); },
                             "The last gradient w.r.t. the input.")
      .def_property_readonly("type_name", [](const nn::Module& self) { return std::string(self.type_name()); },
                             "Serialized type name, e.g. 'nn.Linear' ('py.<ClassName>' for Python subclasses).")
      // parameters
      .def("parameters", &nn::Module::parameters,
           "Parameter values (ember.Tensors sharing memory with the module), in named_parameters() order.")
      .def("gradients", &nn::Module::gradients, "Parameter gradients, in named_parameters() order.")
      .def(
          "named_parameters",
          [](nn::Module& self) {
            py::list out;
            for (auto& p : self.named_parameters()) out.append(py::make_tuple(p.name, *p.value));
            return out;
          },
          "[(dotted name, Tensor)] for every parameter of this module and its descendants.")
      .def(
          "named_gradients",
          [](nn::Module& self) {
            py::list out;
            for (auto& p : self.named_parameters()) out.append(py::make_tuple(p.name, *p.grad));
            return out;
          },
          "[(dotted name, gradient Tensor)].")
      .def(
          "buffers",
          [](nn::Module& self) {
            py::list out;
            for (auto& [n, t] : self.named_buffers()) out.append(*t);
            return out;
          },
          "Buffers (running statistics) as Tensors sharing memory.")
      .def(
          "named_buffers",
          [](nn::Module& self) {
            py::list out;
            for (auto& [n, t] : self.named_buffers()) out.append(py::make_tuple(n, *t));
            return out;
          },
          "[(dotted name, Tensor)] for every buffer.")
      .def("num_parameters", &nn::Module::num_parameters, "Total number of parameter elements.")
      .def(
          "get_parameters",
          [](nn::Module& self) {
            auto [w, g] = self.get_parameters();
            return py::make_tuple(w, g);
          },
          R"doc((flat_weights, flat_grads): every parameter and gradient compacted into two 1-d Tensors.

The module's parameters become views into them, so ``w -= lr * g`` on NumPy views of the two
trains the model. Calling again returns the same buffers.)doc")
      .def("zero_grad_parameters", &nn::Module::zero_grad_parameters, "Zeroes every gradient.")
      .def(
          "get_weights",
          [](nn::Module& self) {
            py::list out;
            for (const Tensor& t : self.parameters()) out.append(to_numpy(t).attr("copy")());
            return out;
          },
          "Copies of the parameter values as NumPy arrays (BigDL: get_weights).")
      .def(
          "set_weights",
          [](nn::Module& self, py::sequence weights) {
            auto params = self.named_parameters();
            EMBER_CHECK(py::len(weights) == params.size(), "[", self.type_name(), ".set_weights] expected ",
                        params.size(), " arrays, got ", py::len(weights));
            for (size_t i = 0; i < params.size(); ++i) {
              Tensor t = to_tensor(weights[i], "weights");
              EMBER_CHECK_SHAPE(t.shape() == params[i].value->shape(), "[", self.type_name(), ".set_weights] '",
                                params[i].name, "' has shape ", params[i].value->shape(), ", got ", t.shape());
              params[i].value->copy_(t);
            }
          },
          py::arg("weights"), "Copies arrays into the parameters, in parameters() order (BigDL: set_weights).")
      .def(
          "set_regularizer",
          [](py::object self, const std::string& name, py::object reg, double l1, double l2) {
            nn::Regularizer r{.l1 = l1, .l2 = l2};
            if (!reg.is_none()) r = reg.cast<nn::Regularizer>();
            self.cast<nn::Module&>().set_regularizer(name, r);
            return self;
          },
          py::arg("parameter_name"), py::arg("regularizer") = py::none(), py::arg("l1") = 0.0, py::arg("l2") = 0.0,
          "Sets the L1/L2 penalty of one of this module's parameters ('weight', 'bias'): "
          "fc.set_regularizer('weight', l2=1e-4). Returns self.")
      .def("regularizer", &nn::Module::regularizer, py::arg("parameter_name"),
           "The penalty of one of this module's parameters.")
      .def(
          "freeze",
          [](py::object self, py::object names) {
            self.cast<nn::Module&>().freeze(names_arg(names));
            return self;
          },
          py::arg("names") = py::none(),
          "Freezes the parameters of the named sub-modules (dotted paths, a str or a list), or of the whole module "
          "when none are given. Returns self.")
      .def(
          "unfreeze",
          [](py::object self, py::object names) {
            self.cast<nn::Module&>().unfreeze(names_arg(names));
            return self;
          },
          py::arg("names") = py::none(), "Undoes freeze. Returns self.")
      .def(
          "set_init_method",
          [](py::object self, std::shared_ptr<nn::InitMethod> w, std::shared_ptr<nn::InitMethod> b) {
            self.cast<nn::Module&>().set_init_method(init_arg(w), init_arg(b));
            return self;
          },
          py::arg("weight_init") = nullptr, py::arg("bias_init") = nullptr,
          "Sets the init methods of weights and biases (None keeps the default) and re-initialises. Returns self.")
      .def(
          "reset",
          [](py::object self) {
            nn::Module& m = self.cast<nn::Module&>();
            nogil([&] { m.reset(); });
            return self;  // with the GIL: returning copies (increfs) self
          },
          "Re-initialises the parameters of this module and its descendants. Returns self.")
      .def(
          "to",
          [](py::object self, py::handle dtype) {
            self.cast<nn::Module&>().to(dtype_arg(dtype));
            return self;
          },
          py::arg("dtype"), "Converts parameters, gradients and buffers to float32 or float64. Returns self.")
      // mode, names, children
      .def(
          "training",
          [](py::object self) {
            self.cast<nn::Module&>().training();
            return self;
          },
          "Training mode (recursive). Returns self.")
      .def(
          "evaluate",
          [](py::object self) {
            self.cast<nn::Module&>().evaluate();
            return self;
          },
          "Evaluation mode (recursive). Returns self.")
      .def_property_readonly("is_training", &nn::Module::is_training, "True in training mode.")
      .def(
          "set_propagate_back",
          [](py::object self, bool propagate) {
            self.cast<nn::Module&>().set_propagate_back(propagate);
            return self;
          },
          py::arg("propagate"),
           "Whether backward computes the gradient w.r.t. the input (BigDL: setPropagateBack). Returns self.")
      .def_property_readonly("propagate_back", &nn::Module::propagate_back)
      .def_property(
          "name", [](const nn::Module& self) { return self.name(); },
          [](nn::Module& self, std::string n) { self.set_name(std::move(n)); },
          "The user-given name ('' when none); containers use it as the child's key.")
      .def(
          "set_name",
          [](py::object self, std::string name) {
            self.cast<nn::Module&>().set_name(std::move(name));
            return self;
          },
          py::arg("name"), "Sets the name. Returns self.")
      .def(
          "children",
          [](const nn::Module& self) {
            std::vector<nn::ModulePtr> out;
            for (const auto& [k, c] : self.named_children()) out.push_back(c);
            return out;
          },
          "The direct children.")
      .def("named_children", &nn::Module::named_children, "[(key, module)] for the direct children.")
      .def("find", &nn::Module::find, py::arg("path"),
           "The descendant at a dotted path ('features.0'), or None.")
      .def("config", [](const nn::Module& self) { return config_to_dict(self.config()); },
           "The options as a dict (empty for modules without options).")
      .def("extra_repr", &nn::Module::extra_repr, "One-line description of the options.")
      .def("__repr__", &nn::Module::repr)
      .def(
          "summary",
          [](nn::Module& self, std::vector<int64_t> input_shape, py::object dtype) {
            const DType dt = dtype_arg(dtype, DType::Float32);
            py::gil_scoped_release release;
            return self.summary(Shape(input_shape), dt);
          },
          py::arg("input_shape"), py::arg("dtype") = py::none(),
          "A table of every module (path, type, output shape, parameters) after a forward pass on zeros of "
          "input_shape (batch dimension included), e.g. model.summary([1, 1, 28, 28]).")
      .def(
          "predict",
          [](nn::Module& self, py::handle x, int64_t batch_size) { return to_numpy(predict_tensor(self, x, batch_size)); },
          py::arg("x"), py::arg("batch_size") = 32,
          R"doc(Runs the model on ``x`` [N, ...] in batches of ``batch_size`` in evaluation mode (the mode is
restored afterwards) and returns the outputs as a new NumPy array [N, ...]. The GIL is released.)doc")
      .def(
          "predict_class",
          [](nn::Module& self, py::handle x, int64_t batch_size) {
            Tensor y = predict_tensor(self, x, batch_size);
            EMBER_CHECK_SHAPE(y.dim() == 2, "[", self.type_name(),
                              ".predict_class] expected outputs [N, num_classes], got ", y.shape());
            Tensor labels = Tensor::empty({y.size(0)}, DType::Int64);
            {
              py::gil_scoped_release release;
              if (y.dtype() == DType::Float64) argmax_rows<double>(y, labels.data<int64_t>());
              else argmax_rows<float>(y.to(DType::Float32), labels.data<int64_t>());
            }
            return to_numpy(labels);
          },
          py::arg("x"), py::arg("batch_size") = 32,
          "The predicted class of each sample: argmax of predict(x) over the classes, as int64 labels from 0.")
      // pickling: the native model file as bytes
      .def("__getstate__", &module_bytes, "The model file (.ember format) as bytes.")
      .def(
          "__reduce__",
          [](const nn::Module& self) -> py::tuple {
            return py::make_tuple(py::module_::import("ember._ember.nn").attr("_module_from_bytes"),
                                  py::make_tuple(module_bytes(self)));
          },
          "Pickles through the native model file: options, parameters, buffers, names and flags.")
      // Python subclasses: parameters, buffers, children
      .def(
          "register_parameter",
          [](nn::Module& self, const std::string& name, py::handle value) {
            return ParameterRef{py_module_or_throw(self, "register_parameter")->add_parameter(name, value)};
          },
          py::arg("name"), py::arg("value"),
          R"doc(Registers a trainable parameter of a Python module: ``value`` (an array) is copied into a C++
tensor (float32/float64) with a zero gradient. Returns an ember.nn.Parameter whose ``.value`` and
``.grad`` are NumPy views of the current tensors; they appear in parameters(), get_parameters()
and optimizers.)doc")
      .def(
          "register_buffer",
          [](nn::Module& self, const std::string& name, py::handle value) {
            return ParameterRef{py_module_or_throw(self, "register_buffer")->add_buffer(name, value)};
          },
          py::arg("name"), py::arg("value"), "Registers a buffer (saved state, not trained) of a Python module.")
      .def(
          "register_module",
          [](nn::Module& self, const std::string& key, nn::ModulePtr child) {
            py_module_or_throw(self, "register_module")->add_child(key, child);
            return child;
          },
          py::arg("key"), py::arg("module"),
          "Adds a child to a Python module: its parameters join this module's (named '<key>.weight'). "
          "Returns the child.")
      .def(
          "__getattr__",
          [](py::handle self_h, const std::string& name) -> py::object {
            nn::Module* self = nullptr;
            try {
              self = self_h.cast<nn::Module*>();
            } catch (const py::cast_error&) {
            }
            if (self && !name.empty() && name[0] != '_') {
              for (auto& p : self->named_parameters())
                if (p.name == name) return py::cast(*p.value);
              for (auto& [n, t] : self->named_buffers())
                if (n == name) return py::cast(*t);
              if (nn::Module* c = find_child(*self, name)) return py::cast(c->shared_from_this());
            }
            raise_no_attribute(self_h, name);
          },
          "Own parameters and buffers by name (fc.weight, bn.running_mean: Tensors sharing memory) and named "
          "children by key.");

  m.def("_module_from_bytes", &module_from_bytes, py::arg("data"), "Unpickles a module (the model file as bytes).");

  // ---- Criterion ----------------------------------------------------------------------------
  py::classh<nn::Criterion, PyCriterion> crit(m, "Criterion", R"doc(Base of every loss function.

``forward(input, target)`` returns the loss (a float); ``backward(input, target)`` the gradient of
the loss w.r.t. the input. Subclass it in Python by defining ``update_output(self, input, target)``
(returning a float) and ``update_grad_input(self, input, target)`` (returning an array shaped like
the input).)doc");
  crit.def(py::init<>())
      .def("forward", module_step(&nn::Criterion::forward, "target"), py::arg("input"), py::arg("target"),
           "The loss for (input, target).")
      .def("__call__", module_step(&nn::Criterion::forward, "target"), py::arg("input"), py::arg("target"),
           "forward(input, target).")
      .def("backward", module_step(&nn::Criterion::backward, "target"), py::arg("input"), py::arg("target"),
           "The gradient of the loss w.r.t. the input (a view of the criterion's buffer).")
      .def("update_output", module_step(&nn::Criterion::update_output, "target"), py::arg("input"), py::arg("target"))
      .def("update_grad_input", module_step(&nn::Criterion::update_grad_input, "target"), py::arg("input"),
           py::arg("target"))
      .def_property_readonly("output", &nn::Criterion::output, "The last loss.")
      .def_property_readonly("grad_input", [](const nn::Criterion& self) { return from_activity(self.grad_input()); })
      .def_property_readonly("type_name", [](const nn::Criterion& self) { return std::string(self.type_name()); })
      .def("config", [](const nn::Criterion& self) { return config_to_dict(self.config()); })
      .def("extra_repr", &nn::Criterion::extra_repr)
      .def("__repr__", &nn::Criterion::repr)
      .def("__reduce__", [](const nn::Criterion& self) -> py::tuple {
        if (dynamic_cast<const PyCriterion*>(&self))
          throw TypeError(str_cat("[", self.type_name(), "] cannot pickle a criterion defined in Python"));
        py::object nnmod = py::module_::import("ember._ember.nn");
        py::list children;
        auto add_children = [&](const auto& c) {
          for (size_t i = 0; i < c.size(); ++i) children.append(py::make_tuple(c.criterion(i), c.weight(i)));
        };
        if (auto* mc = dynamic_cast<const nn::MultiCriterion*>(&self)) add_children(*mc);
        if (auto* pc = dynamic_cast<const nn::ParallelCriterion*>(&self)) add_children(*pc);
        return py::make_tuple(nnmod.attr("_criterion_from_config"),
                              py::make_tuple(std::string(self.type_name()), config_to_dict(self.config()), children));
      });
  m.def(
      "_criterion_from_config",
      [](const std::string& type_name, py::dict config, py::list children) {
        nn::CriterionPtr c = nn::Registry::global().create_criterion(type_name, config_from_dict(type_name, config));
        for (py::handle ch : children) {
          auto t = ch.cast<py::tuple>();
          auto child = t[0].cast<nn::CriterionPtr>();
          const double w = t[1].cast<double>();
          if (auto* mc = dynamic_cast<nn::MultiCriterion*>(c.get())) mc->add(child, w);
          else if (auto* pc = dynamic_cast<nn::ParallelCriterion*>(c.get())) pc->add(child, w);
        }
        return c;
      },
      py::arg("type_name"), py::arg("config"), py::arg("children"));

  // ---- Regularizer, init methods ---------------------------------------------------------------
  regularizer
      .def(py::init([](double l1, double l2) { return nn::Regularizer{.l1 = l1, .l2 = l2}; }), py::arg("l1") = 0.0,
           py::arg("l2") = 0.0)
      .def_readwrite("l1", &nn::Regularizer::l1)
      .def_readwrite("l2", &nn::Regularizer::l2)
      .def_property_readonly("active", &nn::Regularizer::active)
      .def("__eq__", [](const nn::Regularizer& a, const nn::Regularizer& b) { return a == b; })
      .def("__repr__", [](const nn::Regularizer& r) {
        return str_cat("Regularizer(l1=", py::repr(py::float_(r.l1)).cast<std::string>(),
                       ", l2=", py::repr(py::float_(r.l2)).cast<std::string>(), ")");
      });

  init_method.def("__repr__", &nn::InitMethod::repr);
  py::classh<nn::Zeros, nn::InitMethod>(m, "Zeros", "All zeros (BigDL: Zeros).").def(py::init<>());
  py::classh<nn::Ones, nn::InitMethod>(m, "Ones", "All ones (BigDL: Ones).").def(py::init<>());
  py::classh<nn::Const, nn::InitMethod>(m, "Const", "A constant (BigDL: ConstInitMethod).")
      .def(py::init<double>(), py::arg("value"));
  py::classh<nn::RandomUniform, nn::InitMethod>(
      m, "RandomUniform",
      "Uniform: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) without bounds (Torch's default), U(lower, upper) with them "
      "(BigDL: RandomUniform).")
      .def(py::init([](py::object lower, py::object upper) {
             if (lower.is_none() && upper.is_none()) return std::make_shared<nn::RandomUniform>();
             EMBER_CHECK(!lower.is_none() && !upper.is_none(),
                         "[nn.RandomUniform] give both lower and upper, or neither");
             return std::make_shared<nn::RandomUniform>(lower.cast<double>(), upper.cast<double>());
           }),
           py::arg("lower") = py::none(), py::arg("upper") = py::none());
  py::classh<nn::RandomNormal, nn::InitMethod>(m, "RandomNormal", "Normal(mean, stdv) (BigDL: RandomNormal).")
      .def(py::init<double, double>(), py::arg("mean") = 0.0, py::arg("stdv") = 1.0);
  py::classh<nn::Xavier, nn::InitMethod>(m, "Xavier", "Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)).")
      .def(py::init<>());
  py::classh<nn::MsraFiller, nn::InitMethod>(
      m, "MsraFiller",
      "He/MSRA normal: N(0, sqrt(2 / n)), n = (fan_in + fan_out) / 2 when variance_norm_average else fan_out "
      "(BigDL: MsraFiller).")
      .def(py::init<bool>(), py::arg("variance_norm_average") = true);
  py::classh<nn::BilinearFiller, nn::InitMethod>(m, "BilinearFiller",
                                                 "Bilinear upsampling kernel for a deconvolution weight.")
      .def(py::init<>());

  // ---- registry ------------------------------------------------------------------------------
  m.def("module_types", [] { return nn::Registry::global().module_types(); },
        "Type names of every registered module ('nn.Linear', ...).");
  m.def("criterion_types", [] { return nn::Registry::global().criterion_types(); },
        "Type names of every registered criterion.");
  m.def(
      "create",
      [](const std::string& type_name, const py::kwargs& kwargs) {
        return nn::Registry::global().create_module(type_name, config_from_dict(type_name, kwargs));
      },
      py::arg("type_name"), "A module of a registered type, e.g. create('nn.Linear', in_features=4, out_features=2).");
  m.def(
      "create_criterion",
      [](const std::string& type_name, const py::kwargs& kwargs) {
        return nn::Registry::global().create_criterion(type_name, config_from_dict(type_name, kwargs));
      },
      py::arg("type_name"), "A criterion of a registered type, e.g. create_criterion('nn.ClassNLLCriterion').");

  // ---- containers ------------------------------------------------------------------------------
  auto add_modules = [](nn::Container& c, const py::args& modules) {
    for (py::handle h : modules) {
      if (!py::isinstance<nn::Module>(h))
        throw TypeError(str_cat("[", c.type_name(), "] expected ember.nn.Module arguments, got ",
                                py_type_name(h)));
      c.add(h.cast<nn::ModulePtr>());
    }
  };
  py::classh<nn::Container, nn::Module>(m, "Container", "Base of modules that hold children.")
      .def(
          "add",
          [](py::object self, nn::ModulePtr module) {
            self.cast<nn::Container&>().add(std::move(module));
            return self;
          },
          py::arg("module"), "Appends a child; returns self for chaining: Sequential().add(a).add(b).")
      .def("__len__", &nn::Container::size)
      .def(
          "__getitem__",
          [](const nn::Container& self, py::handle key) -> nn::ModulePtr {
            if (PyUnicode_Check(key.ptr())) {
              const std::string k = key.cast<std::string>();
              for (const auto& [ck, c] : self.named_children())
                if (ck == k) return c;
              throw py::key_error(str_cat("[", self.type_name(), "] no child named '", k, "'"));
            }
            int64_t i = key.cast<int64_t>();
            check_index(i, self.size(), std::string(self.type_name()).c_str());
            return self.get(static_cast<size_t>(i));
          },
          py::arg("index"), "Child i (negative counts from the end), or the child with key `index` when a str.")
      .def("__iter__", [](const nn::Container& self) {
        py::list out;
        for (const auto& [k, c] : self.named_children()) out.append(c);
        return py::iter(out);
      });

  py::classh<nn::Sequential, nn::Container>(
      m, "Sequential",
      "Sequential(*modules)\n\nChains modules: the output of each is the input of the next (BigDL: Sequential).\n\n"
      "Example: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), or Sequential().add(...).add(...).")
      .def(py::init([add_modules](py::args modules) {
        auto s = std::make_shared<nn::Sequential>();
        add_modules(*s, modules);
        return s;
      }));
  py::classh<nn::Concat, nn::Container>(
      m, "Concat",
      "Concat(dim=1, *modules)\n\nApplies every child to the same input and concatenates their outputs along dim "
      "(0-based; BigDL's Concat(dimension) counts from 1). Example: nn.Concat(1).add(nn.Linear(4, 5)).add(nn.Linear(4, 3)).")
      .def(py::init([add_modules](py::args args, py::kwargs kwargs) {
             py::list opts, mods;
             for (py::handle h : args) (py::isinstance<nn::Module>(h) ? mods : opts).append(h);
             auto c = std::make_shared<nn::Concat>(nn::from_config<nn::ConcatOptions>(
                 config_from_args("Concat", option_specs<nn::ConcatOptions>(), py::args(py::tuple(opts)), kwargs)));
             add_modules(*c, py::args(py::tuple(mods)));
             return c;
           }))
      .def("config", [](const nn::Concat& self) { return config_to_dict(self.config()); });
  py::classh<nn::ConcatTable, nn::Container>(
      m, "ConcatTable",
      "ConcatTable(*modules)\n\nApplies every child to the same input; the output is the list of their outputs "
      "(BigDL: ConcatTable).")
      .def(py::init([add_modules](py::args modules) {
        auto s = std::make_shared<nn::ConcatTable>();
        add_modules(*s, modules);
        return s;
      }));
  py::classh<nn::ParallelTable, nn::Container>(
      m, "ParallelTable",
      "ParallelTable(*modules)\n\nApplies child i to element i of the input list (BigDL: ParallelTable).")
      .def(py::init([add_modules](py::args modules) {
        auto s = std::make_shared<nn::ParallelTable>();
        add_modules(*s, modules);
        return s;
      }));
  py::classh<nn::MapTable, nn::Container>(
      m, "MapTable",
      "MapTable(module=None)\n\nApplies one module (same weights) to every element of the input list "
      "(BigDL: MapTable).")
      .def(py::init([](nn::ModulePtr module) {
             return module ? std::make_shared<nn::MapTable>(std::move(module)) : std::make_shared<nn::MapTable>();
           }),
           py::arg("module") = nullptr)
      .def(
          "add",
          [](py::object self, nn::ModulePtr module) {
            self.cast<nn::MapTable&>().add(std::move(module));
            return self;
          },
          py::arg("module"), "Sets the mapped module (ValueError when it has one); returns self.")
      .def_property_readonly("module", &nn::MapTable::module);

  // ---- Graph -------------------------------------------------------------------------------
  node.def_property_readonly("is_input", &nn::Node::is_input)
      .def_property_readonly("module", &nn::Node::module, "The module (None for an input placeholder).")
      .def_property_readonly("inputs", &nn::Node::inputs, "The nodes whose outputs this node consumes.")
      .def_property_readonly("name", &nn::Node::name)
      .def("__repr__", [](const nn::Node& n) { return "Node(" + n.describe() + ")"; });
  m.def("Input", &nn::Input, py::arg("name") = "", "A graph input placeholder (BigDL: Input()).");
  py::classh<nn::Graph, nn::Container>(m, "Graph", R"doc(Graph(inputs, outputs)

A model whose modules form a directed acyclic graph (BigDL: Graph / Model)::

    x = nn.Input()
    h = nn.ReLU()(nn.Linear(4, 8)(x))
    y = nn.CAddTable()([nn.Linear(8, 2)(h), nn.Linear(4, 2)(x)])
    model = nn.Graph([x], [y])      # or nn.Graph(x, y)

Input: an array for one input node, else a list in the order of ``inputs``; output likewise.)doc")
      .def(py::init([](py::handle inputs, py::handle outputs) {
             return std::make_shared<nn::Graph>(nodes_arg(inputs, "inputs"), nodes_arg(outputs, "outputs"));
           }),
           py::arg("inputs"), py::arg("outputs"))
      .def("add", [](const nn::Graph& self, py::handle) -> py::object {
        throw TypeError(str_cat("[", self.type_name(), "] a Graph's modules come from its nodes; build a new Graph"));
      })
      .def("nodes", &nn::Graph::nodes, "Every node in topological order.")
      .def("input_nodes", &nn::Graph::input_nodes)
      .def("output_nodes", &nn::Graph::output_nodes);

  bind_nn_layers(m);
}

}  // namespace ember::python
