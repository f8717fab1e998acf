// Bindings for ember/optim (see bindings.h): optim methods, learning-rate schedules, triggers,
// validation methods, gradient clipping and regularization.
#include <cmath>
#include <limits>
#include <optional>

#include "ember/core/error.h"
#include "ember/nn/registry.h"
#include "ember/optim/all.h"
#include "ember/optim/trigger.h"
#include "ember/optim/validation.h"
#include "optim_util.h"

namespace ember::python {

namespace {

using optim::LearningRateSchedule;
using optim::OptimMethod;
using optim::Trigger;
using optim::TrainingState;

py::object config_attr(const nn::Config& config, const std::string& name, py::handle self) {
  for (const auto& [k, v] : config)
    if (k == name) return config_value_to_py(v);
  raise_no_attribute(self, name);
}

template <class T>
py::classh<T, LearningRateSchedule> bind_schedule(py::module_& m, const char* name, const char* doc) {
  return bind_options_class<T, LearningRateSchedule>(m, name, doc);
}

template <class T>
py::classh<T, OptimMethod> bind_method(py::module_& m, const char* name, const char* doc) {
  return bind_options_class<T, OptimMethod>(m, name, doc);
}

void bind_triggers(py::module_& m) {
  py::class_<TrainingState>(m, "TrainingState",
                            "What triggers look at: epoch (1-based; n + 1 once n epochs are done), iteration "
                            "(completed), epoch_end, loss (last training loss), score (last validation score or None).")
      .def(py::init([](int64_t epoch, int64_t iteration, bool epoch_end, double loss, std::optional<double> score) {
             return TrainingState{epoch, iteration, epoch_end, loss, score};
           }),
           py::kw_only(), py::arg("epoch") = 1, py::arg("iteration") = 0, py::arg("epoch_end") = false,
           py::arg("loss") = std::numeric_limits<double>::quiet_NaN(), py::arg("score") = py::none())
      .def_readwrite("epoch", &TrainingState::epoch)
      .def_readwrite("iteration", &TrainingState::iteration)
      .def_readwrite("epoch_end", &TrainingState::epoch_end)
      .def_readwrite("loss", &TrainingState::loss)
      .def_readwrite("score", &TrainingState::score)
      .def("__repr__", [](const TrainingState& s) {
        return detail::str_cat("TrainingState(epoch=", s.epoch, ", iteration=", s.iteration,
                               ", epoch_end=", s.epoch_end ? "True" : "False", ", loss=", s.loss, ", score=",
                               s.score ? std::to_string(*s.score) : std::string("None"), ")");
      });

  py::class_<Trigger> trig(m, "Trigger",
                           "When to validate, checkpoint, write a summary or stop (BigDL: Trigger). Build with "
                           "every_epoch(), several_iteration(n), max_epoch(n), max_iteration(n), max_score(x), "
                           "min_loss(x), combine with `|` / `&` (or or_/and_), call on a TrainingState (or keywords) "
                           "to test it.\n\nExample: end = max_epoch(10) | min_loss(0.01)");
  trig.def(py::init([](std::string repr, py::function predicate) {
             auto fn = hold(std::move(predicate));
             return Trigger(std::move(repr), [fn](const TrainingState& s) {
               py::gil_scoped_acquire gil;
               return py::bool_((*fn)(s)).cast<bool>();
             });
           }),
           py::arg("name"), py::arg("predicate"),
           "A custom trigger: predicate(state: TrainingState) -> bool, called with the GIL held.")
      .def("__call__", [](const Trigger& t, const TrainingState& s) { return t(s); }, py::arg("state"))
      .def(
          "__call__",
          [](const Trigger& t, int64_t epoch, int64_t iteration, bool epoch_end, double loss,
             std::optional<double> score) { return t(TrainingState{epoch, iteration, epoch_end, loss, score}); },
          py::kw_only(), py::arg("epoch") = 1, py::arg("iteration") = 0, py::arg("epoch_end") = false,
          py::arg("loss") = std::numeric_limits<double>::quiet_NaN(), py::arg("score") = py::none(),
          "Whether the trigger fires for this state, e.g. max_epoch(2)(epoch=3) -> True.")
      .def("__or__", [](const Trigger& a, const Trigger& b) { return a || b; })
      .def("__and__", [](const Trigger& a, const Trigger& b) { return a && b; })
      .def("__or__", [](const Trigger&, py::handle b) -> Trigger { return to_trigger(b, "optim.Trigger", "operand of |"); })
      .def("__and__", [](const Trigger&, py::handle b) -> Trigger { return to_trigger(b, "optim.Trigger", "operand of &"); })
      .def_property_readonly("name", &Trigger::repr)
      .def("__repr__", &Trigger::repr);

  auto all_triggers = [](const py::args& args, const char* where) {
    std::vector<Trigger> ts;
    for (py::handle a : args) ts.push_back(to_trigger(a, where));
    return ts;
  };
  m.def("every_epoch", &Trigger::every_epoch, "Fires at the end of every epoch (BigDL: EveryEpoch).");
  m.def("several_iteration", &Trigger::several_iteration, py::arg("n"),
        "Fires every n iterations (BigDL: SeveralIteration).");
  m.def("max_epoch", &Trigger::max_epoch, py::arg("n"), "End condition: n epochs done (BigDL: MaxEpoch).");
  m.def("max_iteration", &Trigger::max_iteration, py::arg("n"), "End condition: n iterations done (BigDL: MaxIteration).");
  m.def("max_score", &Trigger::max_score, py::arg("score"), "Fires once the validation score > score (BigDL: MaxScore).");
  m.def("min_loss", &Trigger::min_loss, py::arg("loss"), "Fires once the training loss < loss (BigDL: MinLoss).");
  m.def("and_", [all_triggers](const py::args& a) { return Trigger::and_(all_triggers(a, "optim.and_")); },
        "Fires when every trigger fires (BigDL: TriggerAnd).");
  m.def("or_", [all_triggers](const py::args& a) { return Trigger::or_(all_triggers(a, "optim.or_")); },
        "Fires when any trigger fires (BigDL: TriggerOr).");
}

void bind_schedules(py::module_& m) {
  py::classh<LearningRateSchedule>(m, "LearningRateSchedule",
                                   "Base class of the learning-rate schedules; set one with "
                                   "method.set_schedule(s) or method.schedule = s.")
      .def("rate", &LearningRateSchedule::rate, py::arg("base_lr"), py::arg("iteration"), py::arg("epoch") = 1,
           "The rate of the step at 0-based `iteration` in 1-based `epoch` (stateful schedules may advance).")
      .def("record", &LearningRateSchedule::record, py::arg("metric"), py::arg("value"),
           "Reports a monitored value ('loss', 'score'); only Plateau uses it.")
      .def("config", [](const LearningRateSchedule& s) { return config_to_dict(s.config()); })
      .def("clone", [](const LearningRateSchedule& s) { return s.clone(); }, "A fresh copy without state.")
      .def_property_readonly("type_name", [](const LearningRateSchedule& s) { return std::string(s.type_name()); })
      .def("__getattr__", [](py::object self, const std::string& name) {
        return config_attr(self.cast<const LearningRateSchedule&>().config(), name, self);
      })
      .def("__repr__", &LearningRateSchedule::repr);

  bind_schedule<optim::Step>(m, "Step", "lr * gamma^floor(iteration / step_size) (BigDL: SGD.Step).");
  bind_schedule<optim::MultiStep>(m, "MultiStep", "lr * gamma^(milestones <= iteration) (BigDL: SGD.MultiStep).");
  bind_schedule<optim::EpochStep>(m, "EpochStep",
                                  "lr * gamma^floor((epoch - 1) / step_size) (BigDL: SGD.EpochStep, one epoch later).");
  bind_schedule<optim::Poly>(m, "Poly", "lr * (1 - iteration / max_iteration)^power, 0 after (BigDL: SGD.Poly).");
  bind_schedule<optim::Exponential>(m, "Exponential",
                                    "lr * decay_rate^(iteration / decay_step), floored when stair_case "
                                    "(BigDL: SGD.Exponential).");
  bind_schedule<optim::NaturalExp>(m, "NaturalExp",
                                   "lr * exp(-gamma * floor(iteration / decay_step)) (BigDL: SGD.NaturalExp).");
  bind_schedule<optim::Plateau>(m, "Plateau",
                                "Reduces the rate by `factor` when the monitored value ('score' or 'loss') has not "
                                "improved for `patience` epochs (BigDL: SGD.Plateau).");
  bind_schedule<optim::Warmup>(m, "Warmup", "lr + delta * iteration (BigDL: SGD.Warmup).");
  bind_schedule<optim::SequentialSchedule>(
      m, "SequentialSchedule",
      "Runs schedules one after another, each for max_iteration iterations (BigDL: SGD.SequentialSchedule).\n\n"
      "Example: SequentialSchedule(100).add(Warmup(0.01), 500).add(Poly(0.5, 9500), 9500)")
      .def(
          "add",
          [](py::object self, std::shared_ptr<LearningRateSchedule> s, int64_t max_iteration) {
            EMBER_CHECK(s != nullptr, "[optim.SequentialSchedule] add: schedule is None");
            self.cast<optim::SequentialSchedule&>().add(std::move(s), max_iteration);
            return self;
          },
          py::arg("schedule"), py::arg("max_iteration"), "Appends a phase; returns self.")
      .def_property_readonly("phases", [](const optim::SequentialSchedule& s) {
        py::list out;
        for (const auto& [sched, n] : s.phases()) out.append(py::make_tuple(sched, n));
        return out;
      });
  m.def(
      "make_schedule",
      [](const std::string& name, const py::kwargs& kw) {
        // Typed by the schedule's own defaults: make one with no options first.
        const auto specs = option_specs_from_config(optim::make_schedule(name)->config());
        return optim::make_schedule(name, config_from_args("make_schedule", specs, py::args(), kw));
      },
      py::arg("name"), "A schedule by name ('step', 'optim.Step', 'plateau', ...) and keyword options.");
}

void bind_methods(py::module_& m) {
  py::classh<OptimMethod>(m, "OptimMethod",
                          "Base class of the optim methods (BigDL: OptimMethod): an update rule on flat weights.\n\n"
                          "Example: w = np.zeros(3, np.float32); SGD(learning_rate=0.1).optimize(lambda w: (loss, grad), w)")
      .def(
          "optimize",
          [](OptimMethod& self, const py::function& feval, py::handle weights) {
            Tensor w = to_tensor(weights, "weights");
            const std::string where = std::string(self.type_name()) + ".optimize";
            if (w.defined() && !w.storage()->writable())
              throw ValueError(detail::str_cat("[", where, "] weights are read-only: pass a writable array (they are updated in place)"));
            if (w.dtype() != DType::Float32 && w.dtype() != DType::Float64)
              throw TypeError(detail::str_cat("[", where, "] weights must be float32 or float64, got ", w.dtype()));
            if (!w.is_contiguous())
              throw ValueError(detail::str_cat("[", where, "] weights must be contiguous (they are updated in place): ",
                                               "use np.ascontiguousarray and pass that array"));
            optim::Feval f = [&feval, &where](const Tensor& wt) -> std::pair<double, Tensor> {
              py::gil_scoped_acquire gil;
              py::object r = feval(to_numpy(wt));
              if (!(py::isinstance<py::tuple>(r) || py::isinstance<py::list>(r)) || py::len(r) != 2)
                throw TypeError(detail::str_cat("[", where, "] feval must return (loss, gradient), got ", py_type_name(r)));
              py::sequence seq = py::reinterpret_borrow<py::sequence>(r);
              if (!is_number(seq[0]))
                throw TypeError(detail::str_cat("[", where, "] feval's loss must be a number, got ", py_type_name(seq[0])));
              const double loss = py::float_(seq[0]).cast<double>();
              return {loss, to_tensor(seq[1], "gradient")};
            };
            py::gil_scoped_release release;
            return self.optimize(f, w);
          },
          py::arg("feval"), py::arg("weights"),
          "One step: feval(w) -> (loss, gradient) is called (LBFGS: several times) with a NumPy view of the "
          "weights; `weights` (a writable contiguous float32/float64 array or ember.Tensor) is updated in place. "
          "Returns the loss before the update. The GIL is released between feval calls.")
      .def("learning_rate", &OptimMethod::learning_rate, "The learning rate the next step uses (after the schedule).")
      .def("base_learning_rate", &OptimMethod::base_learning_rate, "The learning rate given in the options.")
      .def("get_learning_rate", &OptimMethod::learning_rate, "Same as learning_rate() (BigDL naming).")
      .def(
          "set_schedule",
          [](py::object self, std::shared_ptr<LearningRateSchedule> s) {
            self.cast<OptimMethod&>().set_schedule(std::move(s));
            return self;
          },
          py::arg("schedule"), "Sets (None: removes) the learning-rate schedule; returns self.")
      .def_property(
          "schedule", [](const OptimMethod& s) { return s.schedule(); },
          [](OptimMethod& s, std::shared_ptr<LearningRateSchedule> sch) { s.set_schedule(std::move(sch)); })
      .def_property_readonly("iteration", &OptimMethod::iteration, "Steps taken so far.")
      .def_property("epoch", &OptimMethod::epoch, &OptimMethod::set_epoch, "The current epoch (1-based).")
      .def("record", [](OptimMethod& s, const std::string& metric, double v) { s.record(metric, v); },
           py::arg("metric"), py::arg("value"), "Reports 'loss' or 'score' to the schedule (Plateau).")
      .def("state_dict", [](const OptimMethod& s) { return state_to_dict(s.state_dict()); },
           "Counters, schedule state and buffers as {name: ndarray | int | float | str} (copies).")
      .def(
          "load_state_dict",
          [](OptimMethod& s, py::handle d) { s.load_state_dict(state_from_dict(d, std::string(s.type_name()) + ".load_state_dict")); },
          py::arg("state"), "Restores what state_dict() returned.")
      .def("config", [](const OptimMethod& s) { return config_to_dict(s.config()); }, "The hyper-parameters as a dict.")
      .def("clone", [](const OptimMethod& s) { return std::shared_ptr<OptimMethod>(s.clone()); },
           "A fresh method with the same hyper-parameters and schedule, without state.")
      .def_property_readonly("type_name", [](const OptimMethod& s) { return std::string(s.type_name()); })
      .def("__getattr__", [](py::object self, const std::string& name) {
        return config_attr(self.cast<const OptimMethod&>().config(), name, self);
      })
      .def("__repr__", &OptimMethod::repr);

  bind_method<optim::SGD>(m, "SGD",
                          "Stochastic gradient descent with momentum / Nesterov (PyTorch's update; BigDL: SGD).\n"
                          "Example: SGD(learning_rate=0.05, momentum=0.9, weight_decay=5e-4)");
  bind_method<optim::Adam>(m, "Adam", "Adam with bias correction and optional AMSGrad (BigDL: Adam).");
  bind_method<optim::AdamW>(m, "AdamW", "Adam with decoupled weight decay (PyTorch's AdamW).");
  bind_method<optim::Adamax>(m, "Adamax", "Adamax, Adam's infinity-norm variant (BigDL: Adamax).");
  bind_method<optim::Adagrad>(m, "Adagrad", "Adagrad (BigDL: Adagrad).");
  bind_method<optim::Adadelta>(m, "Adadelta", "Adadelta (BigDL: Adadelta).");
  bind_method<optim::RMSprop>(m, "RMSprop", "RMSprop, optionally centered and with momentum (BigDL: RMSprop).");
  bind_method<optim::Ftrl>(m, "Ftrl", "FTRL-Proximal (BigDL: Ftrl).");
  bind_method<optim::LBFGS>(m, "LBFGS",
                            "Limited-memory BFGS (PyTorch's LBFGS; BigDL: LBFGS); one optimize() runs up to max_iter "
                            "iterations and calls feval several times.")
      .def_property_readonly("num_inner_iterations", &optim::LBFGS::num_inner_iterations, "Inner iterations so far.")
      .def_property_readonly("num_evaluations", &optim::LBFGS::num_evaluations, "Function evaluations so far.");

  m.def(
      "make_optim_method",
      [](const std::string& name, const py::kwargs& kw) -> std::shared_ptr<OptimMethod> {
        const auto specs = option_specs_from_config(optim::make_optim_method(name)->config());
        return optim::make_optim_method(name, config_from_args("make_optim_method", specs, py::args(), kw));
      },
      py::arg("name"), "An optim method by name ('sgd', 'adam', 'optim.SGD', ...) and keyword options.");
}

void bind_validation(py::module_& m) {
  using optim::ValidationMethod;
  using optim::ValidationResult;
  py::class_<ValidationResult>(m, "ValidationResult",
                               "A mergeable result: value = total / count (BigDL: ValidationResult).")
      .def(py::init([](std::string name, double total, int64_t count) { return ValidationResult{std::move(name), total, count}; }),
           py::arg("name") = "", py::arg("total") = 0.0, py::arg("count") = 0)
      .def_readwrite("name", &ValidationResult::name)
      .def_readwrite("total", &ValidationResult::total)
      .def_readwrite("count", &ValidationResult::count)
      .def_property_readonly("value", &ValidationResult::value, "total / count (NaN when count is 0).")
      .def("merge", [](py::object self, const ValidationResult& o) {
        self.cast<ValidationResult&>().merge(o);
        return self;
      }, py::arg("other"), "Adds other's total and count in place; returns self.")
      .def("__add__", [](const ValidationResult& a, const ValidationResult& b) {
        ValidationResult r = a;
        r.merge(b);
        return r;
      })
      .def("__float__", &ValidationResult::value)
      .def("__eq__", [](const ValidationResult& a, const ValidationResult& b) {
        return a.name == b.name && a.total == b.total && a.count == b.count;
      })
      .def("__repr__", &ValidationResult::repr);

  auto evaluate = [](ValidationMethod& v, py::handle output, py::handle target) {
    const nn::Activity o = to_activity(output, "output"), t = to_activity(target, "target");
    return nogil([&] { return v.evaluate(o, t); });
  };
  py::classh<ValidationMethod>(m, "ValidationMethod",
                               "Scores model outputs against targets (BigDL: ValidationMethod). Call it on "
                               "(output, target) arrays: Top1Accuracy()(scores[N, C], labels[N]) -> ValidationResult.")
      .def_property_readonly("name", &ValidationMethod::name)
      .def_property_readonly("higher_is_better", &ValidationMethod::higher_is_better)
      .def("evaluate", evaluate, py::arg("output"), py::arg("target"))
      .def("__call__", evaluate, py::arg("output"), py::arg("target"))
      .def("__repr__", [](const ValidationMethod& v) { return v.name() + "()"; });
  py::classh<optim::TopKAccuracy, ValidationMethod>(
      m, "TopKAccuracy",
      "Fraction of samples whose target class (0-based) is among the k highest scores; ties rank the lower "
      "index first. Output [N, C], target [N] or [N, 1]. Out-of-range targets raise IndexError.")
      .def(py::init<int64_t>(), py::arg("k"))
      .def_property_readonly("k", &optim::TopKAccuracy::k);
  py::classh<optim::Top1Accuracy, ValidationMethod>(m, "Top1Accuracy", "TopKAccuracy(1) (BigDL: Top1Accuracy).")
      .def(py::init<>());
  py::classh<optim::Top5Accuracy, ValidationMethod>(m, "Top5Accuracy", "TopKAccuracy(5) (BigDL: Top5Accuracy).")
      .def(py::init<>());
  py::classh<optim::Loss, ValidationMethod>(
      m, "Loss", "The criterion's loss averaged over samples (BigDL: Loss; default criterion ClassNLLCriterion).")
      .def(py::init([](nn::CriterionPtr c) {
             if (!c) c = nn::Registry::global().create_criterion("nn.ClassNLLCriterion");
             return std::make_shared<optim::Loss>(std::move(c));
           }),
           py::arg("criterion") = py::none())
      .def_property_readonly("criterion", &optim::Loss::criterion);
  py::classh<optim::MAE, ValidationMethod>(m, "MAE", "Mean absolute error over elements (BigDL: MAE).")
      .def(py::init<>());
  m.def("make_validation_method", &optim::make_validation_method, py::arg("name"), py::arg("criterion") = py::none(),
        "A validation method by name: 'top1', 'top5', 'top<k>', 'loss' (needs criterion), 'mae' (case-insensitive).");
}

void bind_clipping(py::module_& m) {
  auto writable = [](py::handle obj, const char* op) {
    Tensor t = to_tensor(obj, "grad");
    if (!t.storage()->writable())
      throw ValueError(detail::str_cat("[optim.", op, "] grad is read-only: it is clipped in place, pass a writable array"));
    if (!py::isinstance<py::array>(obj) && !py::isinstance<Tensor>(obj))
      throw TypeError(detail::str_cat("[optim.", op, "] grad: expected a NumPy array or ember.Tensor (clipped in place), got ",
                                      py_type_name(obj)));
    return t;
  };
  m.def(
      "clip_by_value",
      [writable](py::handle grad, double min, double max) {
        Tensor t = writable(grad, "clip_by_value");
        py::gil_scoped_release release;
        optim::clip_by_value(t, min, max);
      },
      py::arg("grad"), py::arg("min"), py::arg("max"),
      "Clamps every element of grad (float32/float64) into [min, max] in place (BigDL: constant clipping).");
  m.def(
      "squared_norm", [](py::handle grad) { Tensor t = to_tensor(grad, "grad"); py::gil_scoped_release r; return optim::squared_norm(t); },
      py::arg("grad"), "Sum of squares of grad, in double.");
  m.def(
      "clip_by_global_norm",
      [writable](py::handle grad, double max_norm, std::optional<double> squared_norm) {
        Tensor t = writable(grad, "clip_by_global_norm");
        py::gil_scoped_release release;
        return squared_norm ? optim::clip_by_global_norm(t, max_norm, *squared_norm) : optim::clip_by_global_norm(t, max_norm);
      },
      py::arg("grad"), py::arg("max_norm"), py::arg("squared_norm") = py::none(),
      "Scales grad in place by max_norm / (norm + 1e-6) when its 2-norm exceeds max_norm; returns the norm "
      "before clipping (BigDL: L2-norm clipping).");
  m.def(
      "apply_regularization", [](nn::Module& model) { py::gil_scoped_release r; optim::apply_regularization(model); },
      py::arg("model"), "Adds the layers' L1/L2 penalties to their gradients.");
  m.def(
      "regularization_loss", [](nn::Module& model) { py::gil_scoped_release r; return optim::regularization_loss(model); },
      py::arg("model"), "The L1/L2 penalty of the regularized parameters.");
}

}  // namespace

void bind_optim(py::module_& m) {
  bind_triggers(m);
  bind_schedules(m);
  bind_methods(m);
  bind_validation(m);
  bind_clipping(m);
}

}  // namespace ember::python
