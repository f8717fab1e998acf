// Bindings for ember/train (see bindings.h): the local Optimizer, evaluate(), and Module.evaluate.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>

#include "ember/core/error.h"
#include "ember/data/transformer.h"
#include "ember/optim/all.h"
#include "ember/summary/summary.h"
#include "ember/train/optimizer.h"
#include "optim_util.h"
#include "train_util.h"

namespace ember::python {

namespace {

py::array read_only(const Tensor& t) {
  py::array a = to_numpy(t);
  a.attr("setflags")(py::arg("write") = false);
  return a;
}

// A transformer from None, an ember.data.Transformer, or a Python callable
// fn(features, label, seed) -> features | (features, label).
data::TransformerPtr to_transform(py::handle obj, const char* where) {
  if (obj.is_none()) return nullptr;
  try {
    if (auto t = obj.cast<std::shared_ptr<data::Transformer>>()) return t;
  } catch (const py::cast_error&) {
  }
  if (!PyCallable_Check(obj.ptr()))
    throw TypeError(detail::str_cat("[", where, "] transform: expected None, an ember.data.Transformer or a callable ",
                                    "fn(features, label, seed) -> features | (features, label), got ", py_type_name(obj)));
  auto fn = hold(py::reinterpret_borrow<py::object>(obj));
  std::string name = py::hasattr(obj, "__name__") ? py::str(obj.attr("__name__")).cast<std::string>() : py_type_name(obj);
  return std::make_shared<data::Lambda>("PythonTransform(" + name + ")", [fn](data::Sample s, Generator& rng) {
    const uint64_t seed = rng.next_u64();
    py::gil_scoped_acquire gil;
    py::object features;
    if (s.features.size() == 1) {
      features = read_only(s.features[0]);
    } else {
      py::list l;
      for (const Tensor& f : s.features) l.append(read_only(f));
      features = l;
    }
    py::object label = s.labels.empty() ? py::object(py::none()) : py::object(read_only(s.labels[0]));
    py::object r;
    try {
      r = (*fn)(features, label, seed);
    } catch (py::error_already_set& e) {
      // The data loader carries Ember's exception types across its threads (others become RuntimeError).
      const std::string msg = detail::str_cat("[Python transform] ", py::str(e.value()).cast<std::string>());
      if (e.matches(PyExc_TypeError)) throw TypeError(msg);
      if (e.matches(PyExc_IndexError)) throw IndexError(msg);
      if (e.matches(PyExc_ValueError)) throw ValueError(msg);
      throw;
    }
    py::object new_features = r, new_label = py::none();
    bool has_label = false;
    if (py::isinstance<py::tuple>(r)) {
      if (py::len(r) != 2)
        throw TypeError(detail::str_cat("[Optimizer] a Python transform must return features or (features, label), got a tuple of ",
                                        py::len(r)));
      new_features = r[py::int_(0)];
      new_label = r[py::int_(1)];
      has_label = true;
    }
    if (py::isinstance<py::list>(new_features)) {
      s.features.clear();
      for (py::handle f : new_features) s.features.push_back(to_tensor(f, "transformed features"));
    } else {
      s.features = {to_tensor(new_features, "transformed features")};
    }
    if (has_label) {
      if (new_label.is_none()) s.labels.clear();
      else s.labels = {to_tensor(new_label, "transformed label")};
    }
    return s;
  });
}

// A FILE* whose output goes to a Python file object (sys.stderr in a notebook, an io.StringIO), so the
// training log shows wherever Python's own output does. glibc's fopencookie; line buffered; every
// write takes the GIL (the log is written from the training thread, which runs without it). A failing
// write is dropped: the log never stops training.
struct PythonStream {
  py::object file;
};

ssize_t python_stream_write(void* cookie, const char* buf, size_t n) {
  if (!Py_IsInitialized()) return static_cast<ssize_t>(n);
  py::gil_scoped_acquire gil;
  try {
    auto& file = static_cast<PythonStream*>(cookie)->file;
    py::object text = py::reinterpret_steal<py::object>(PyUnicode_DecodeUTF8(buf, static_cast<Py_ssize_t>(n), "replace"));
    if (!text) throw py::error_already_set();
    file.attr("write")(text);
    if (py::hasattr(file, "flush")) file.attr("flush")();
  } catch (py::error_already_set&) {
  }
  return static_cast<ssize_t>(n);
}

int python_stream_close(void* cookie) {
  auto* s = static_cast<PythonStream*>(cookie);
  if (!Py_IsInitialized()) {
    s->file.release();  // leaked after interpreter shutdown, never touched without the GIL
  } else {
    py::gil_scoped_acquire gil;
    s->file = py::object();
  }
  delete s;
  return 0;
}

FilePtr python_stream(py::object file) {
  cookie_io_functions_t io{nullptr, &python_stream_write, nullptr, &python_stream_close};
  std::FILE* f = fopencookie(new PythonStream{std::move(file)}, "w", io);
  if (!f) throw RuntimeError("[Optimizer.set_log] could not open a stream over the Python file object");
  std::setvbuf(f, nullptr, _IOLBF, 4096);
  return FilePtr(f, &std::fclose);
}

// A log stream from Python: None (silent), "stderr"/"stdout" (the C-level streams: a progress bar on a
// terminal), or any object with a write() method (Python-level: sys.stderr, a file, io.StringIO).
std::FILE* to_stream(py::handle obj, FilePtr& owned) {
  if (obj.is_none()) return nullptr;
  if (py::isinstance<py::str>(obj)) {
    const std::string s = obj.cast<std::string>();
    if (s == "stderr") return stderr;
    if (s == "stdout") return stdout;
  } else if (py::hasattr(obj, "write")) {
    owned = python_stream(py::reinterpret_borrow<py::object>(obj));
    return owned.get();
  }
  throw ValueError(detail::str_cat("[Optimizer.set_log] stream: expected 'stderr', 'stdout', None or a file object ",
                                   "with write(), got ", py::repr(obj).cast<std::string>()));
}

py::list history_list(const train::Optimizer& o) {
  py::list out;
  for (const auto& r : o.history()) {
    py::dict d;
    d["epoch"] = r.epoch;
    d["iteration"] = r.iteration;
    d["loss"] = r.loss;
    d["throughput"] = r.throughput;
    d["learning_rate"] = r.learning_rate;
    out.append(d);
  }
  return out;
}

py::list validation_list(const train::Optimizer& o) {
  py::list out;
  for (const auto& r : o.validation_history()) {
    py::dict d;
    d["epoch"] = r.epoch;
    d["iteration"] = r.iteration;
    d["results"] = py::cast(r.results);
    out.append(d);
  }
  return out;
}

// The end trigger optimize() runs with: the user's, or-ed with a check for pending Python signals (Ctrl-C).
// The C++ Optimizer has no stop hook; its end trigger is checked after every iteration on the thread that
// called optimize(), so the check runs there: at most every 50 ms it takes the GIL and runs the Python signal
// handlers. A KeyboardInterrupt (or any exception a handler raises) ends training after the current
// iteration - optimize() returns normally, the data loader stops - and is re-raised once the GIL is back.
struct InterruptState {
  std::exception_ptr error;
  std::chrono::steady_clock::time_point last_check = std::chrono::steady_clock::now();
};

optim::Trigger interruptible(const optim::Trigger& user, const std::shared_ptr<InterruptState>& st) {
  return optim::Trigger(user.repr(), [user, st](const optim::TrainingState& s) {
    if (user(s)) return true;
    if (st->error) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now - st->last_check < std::chrono::milliseconds(50)) return false;
    st->last_check = now;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      try {
        throw py::error_already_set();
      } catch (...) {
        st->error = std::current_exception();
      }
      return true;
    }
    return false;
  });
}

py::object evaluate_impl(const nn::ModulePtr& model, py::handle x, py::handle y, py::handle methods, int64_t batch_size,
                         py::handle transform) {
  constexpr const char* where = "optim.evaluate";
  require(model, where, "model", "an ember.nn.Module");
  std::shared_ptr<const data::DataSet> ds;
  if (y.is_none()) {
    ds = to_dataset(x, where, "data");
  } else {
    ds = std::make_shared<data::ArrayDataSet>(to_tensor(x, "features"), to_tensor(y, "labels"));
  }
  std::vector<optim::ValidationMethodPtr> ms =
      methods.is_none() ? std::vector<optim::ValidationMethodPtr>{std::make_shared<optim::Top1Accuracy>()}
                        : to_validation_methods(methods, where);
  if (batch_size < 1) throw ValueError(detail::str_cat("[optim.evaluate] batch_size must be >= 1, got ", batch_size));
  data::TransformerPtr t = to_transform(transform, where);
  const std::vector<optim::ValidationResult> results =
      nogil([&] { return train::Optimizer::evaluate(*model, ds, ms, batch_size, t); });
  return py::cast(results);
}

}  // namespace

void bind_train(py::module_& m) {
  py::classh<PyOptimizer>(
      m, "Optimizer",
      "Trains a model on one machine (BigDL: Optimizer / LocalOptimizer).\n\n"
      "Optimizer(model, training_set, criterion, batch_size=32, optim_method=None, end_trigger=None): training_set "
      "is a (features [N, ...], labels [N]) pair of NumPy arrays (used without copying; labels are 0-based int64 "
      "class indices for ClassNLLCriterion) or an ember.data.DataSet. Setters return self for chaining; "
      "optimize() releases the GIL, trains until the end trigger fires (default max_epoch(10)) and returns the "
      "model. Ctrl-C stops training after the current iteration and raises KeyboardInterrupt.\n\n"
      "Example:\n"
      "  opt = Optimizer(model, (x, y), nn.create_criterion('nn.ClassNLLCriterion'), 64)\n"
      "  opt.set_optim_method(SGD(learning_rate=0.1)).set_end_when(max_epoch(5)).optimize()")
      .def(py::init([](nn::ModulePtr model, py::handle training_set, nn::CriterionPtr criterion, int64_t batch_size,
                       py::handle optim_method, py::handle end_trigger) {
             require(model, "Optimizer", "model", "an ember.nn.Module");
             require(criterion, "Optimizer", "criterion", "an ember.nn.Criterion");
             auto p = std::make_shared<PyOptimizer>();
             p->model = model;
             p->criterion = criterion;
             p->opt = std::make_unique<train::Optimizer>(model, to_dataset(training_set, "Optimizer", "training_set"),
                                                         criterion, batch_size);
             if (!optim_method.is_none()) {
               if (!py::isinstance<optim::OptimMethod>(optim_method))
                 throw TypeError(detail::str_cat("[Optimizer] optim_method: expected an ember.optim.OptimMethod (SGD(...), ",
                                                 "Adam(...)), got ", py_type_name(optim_method)));
               p->method = optim_method.cast<std::shared_ptr<optim::OptimMethod>>();
               p->opt->set_optim_method(p->method);
             }
             if (!end_trigger.is_none()) p->end_when = to_trigger(end_trigger, "Optimizer", "end_trigger");
             p->log_options.log_every = 0;
             p->opt->set_log(p->log_options);
             return p;
           }),
           py::arg("model"), py::arg("training_set"), py::arg("criterion"), py::arg("batch_size") = 32,
           py::arg("optim_method") = py::none(), py::arg("end_trigger") = py::none())
      .def(
          "set_optim_method",
          [](py::object self, py::handle method) {
            if (!py::isinstance<optim::OptimMethod>(method))
              throw TypeError(detail::str_cat("[Optimizer.set_optim_method] expected an ember.optim.OptimMethod ",
                                              "(SGD(...), Adam(...)), got ", py_type_name(method)));
            auto& p = self_of(self);
            p.method = method.cast<std::shared_ptr<optim::OptimMethod>>();
            p.opt->set_optim_method(p.method);
            return self;
          },
          py::arg("method"), "The update rule (default: SGD(learning_rate=0.01)).")
      .def(
          "set_end_when",
          [](py::object self, py::handle trigger) {
            self_of(self).end_when = to_trigger(trigger, "Optimizer.set_end_when");
            return self;
          },
          py::arg("trigger"), "When to stop (default: max_epoch(10)).")
      .def(
          "set_validation",
          [](py::object self, py::handle trigger, py::handle val_set, py::handle methods, int64_t batch_size) {
            auto& p = self_of(self);
            constexpr const char* where = "Optimizer.set_validation";
            std::vector<optim::ValidationMethodPtr> ms =
                methods.is_none() ? std::vector<optim::ValidationMethodPtr>{std::make_shared<optim::Top1Accuracy>()}
                                  : to_validation_methods(methods, where, p.criterion);
            p.opt->set_validation(to_trigger(trigger, where), to_dataset(val_set, where, "val_set"), std::move(ms),
                                  batch_size);
            return self;
          },
          py::arg("trigger"), py::arg("val_set"), py::arg("methods") = py::none(), py::arg("batch_size") = 0,
          "Validates on val_set ((x, y) arrays or a DataSet) with `methods` (ValidationMethod objects or names; "
          "default [Top1Accuracy()]; the name 'loss' uses the training criterion) when `trigger` fires; batch_size 0: the training batch size.")
      .def(
          "set_checkpoint",
          [](py::object self, py::handle path, py::handle trigger, int keep_last) {
            const std::string dir = path_arg(path, "Optimizer.set_checkpoint");
            self_of(self).opt->set_checkpoint(dir,
                                              trigger.is_none() ? optim::Trigger::every_epoch()
                                                                : to_trigger(trigger, "Optimizer.set_checkpoint"),
                                              keep_last);
            return self;
          },
          py::arg("path"), py::arg("trigger") = py::none(), py::arg("keep_last") = 3,
          "Writes a checkpoint (model, optim state, RNG, position) into `path` when `trigger` fires (default "
          "every_epoch()), keeping the newest `keep_last`.")
      .def(
          "set_train_summary",
          [](py::object self, std::shared_ptr<summary::TrainSummary> s) {
            auto& p = self_of(self);
            p.train_summary = s;
            p.opt->set_train_summary(std::move(s));
            return self;
          },
          py::arg("summary"), "Writes Loss, Throughput, LearningRate (and histograms if asked) to a TrainSummary.")
      .def(
          "set_validation_summary",
          [](py::object self, std::shared_ptr<summary::ValidationSummary> s) {
            auto& p = self_of(self);
            p.validation_summary = s;
            p.opt->set_validation_summary(std::move(s));
            return self;
          },
          py::arg("summary"), "Writes one scalar per validation method to a ValidationSummary.")
      .def(
          "set_constant_gradient_clipping",
          [](py::object self, double min, double max) {
            self_of(self).opt->set_constant_gradient_clipping(min, max);
            return self;
          },
          py::arg("min"), py::arg("max"), "Clamps every gradient element into [min, max] before the update.")
      .def(
          "set_gradient_clipping_by_l2_norm",
          [](py::object self, double max_norm) {
            self_of(self).opt->set_gradient_clipping_by_l2_norm(max_norm);
            return self;
          },
          py::arg("max_norm"), "Scales the gradient down when its L2 norm exceeds max_norm.")
      .def(
          "disable_gradient_clipping",
          [](py::object self) {
            self_of(self).opt->disable_gradient_clipping();
            return self;
          })
      .def(
          "set_train_transform",
          [](py::object self, py::handle t) {
            self_of(self).opt->set_train_transform(to_transform(t, "Optimizer.set_train_transform"));
            return self;
          },
          py::arg("transform"),
          "Per-sample transform of the training data: None, an ember.data.Transformer, or a Python callable "
          "fn(features, label, seed) -> features | (features, label) (read-only arrays in; called with the GIL "
          "from the loader's threads; seed is a per-sample 64-bit seed for reproducible randomness).")
      .def(
          "set_validation_transform",
          [](py::object self, py::handle t) {
            self_of(self).opt->set_validation_transform(to_transform(t, "Optimizer.set_validation_transform"));
            return self;
          },
          py::arg("transform"), "Per-sample transform of the validation data (as set_train_transform).")
      .def(
          "set_data_options",
          [](py::object self, std::optional<uint64_t> seed, std::optional<int> num_workers, std::optional<int> prefetch,
             std::optional<bool> shuffle) {
            auto& p = self_of(self);
            train::DataOptions o = p.data_options;
            if (seed) o.seed = *seed;
            if (num_workers) o.num_workers = *num_workers;
            if (prefetch) o.prefetch = *prefetch;
            if (shuffle) o.shuffle = *shuffle;
            p.opt->set_data_options(o);
            p.data_options = o;
            return self;
          },
          py::kw_only(), py::arg("seed") = py::none(), py::arg("num_workers") = py::none(),
          py::arg("prefetch") = py::none(), py::arg("shuffle") = py::none(),
          "Data loading: seed (shuffling and random transforms, default 1), num_workers (default 1; 0: on the "
          "training thread), prefetch (batches, default 4), shuffle (default True). Options not given keep "
          "their values.")
      .def(
          "set_log",
          [](py::object self, py::handle stream, std::optional<int64_t> log_every, std::optional<std::string> bar,
             std::optional<bool> timing) {
            auto& p = self_of(self);
            train::LogOptions o = p.log_options;
            FilePtr owned{nullptr, &std::fclose};
            if (!stream.is(py::ellipsis())) {
              o.stream = to_stream(stream, owned);
              p.log_stream_set = true;
            }
            if (log_every) {
              if (*log_every < 0) throw ValueError(detail::str_cat("[Optimizer.set_log] log_every must be >= 0, got ", *log_every));
              o.log_every = *log_every;
            }
            if (bar) {
              if (*bar == "auto") o.progress_bar = train::LogOptions::Bar::Auto;
              else if (*bar == "on") o.progress_bar = train::LogOptions::Bar::On;
              else if (*bar == "off") o.progress_bar = train::LogOptions::Bar::Off;
              else throw ValueError("[Optimizer.set_log] progress_bar: expected 'auto', 'on' or 'off', got '" + *bar + "'");
            }
            if (timing) o.timing_breakdown = *timing;
            p.opt->set_log(o);
            p.log_options = o;
            if (!stream.is(py::ellipsis())) p.log_file = std::move(owned);  // the old stream is no longer used
            return self;
          },
          py::kw_only(), py::arg("stream") = py::ellipsis(), py::arg("log_every") = py::none(),
          py::arg("progress_bar") = py::none(), py::arg("timing_breakdown") = py::none(),
          "The training log: stream = a file object (default: Python's sys.stderr at optimize() time, so the log "
          "shows in notebooks; on a terminal the C-level stderr with a progress bar), 'stderr'/'stdout' (the C-level "
          "streams) or None (silent); "
          "log_every N iterations (default 0: epoch summaries and validation lines only); progress_bar "
          "'auto' (on a terminal), 'on', 'off'; timing_breakdown adds the data/forward/backward/update split.")
      .def(
          "resume_from",
          [](py::object self, py::handle path) {
            self_of(self).opt->resume_from(path_arg(path, "Optimizer.resume_from", "checkpoint"));
            return self;
          },
          py::arg("checkpoint"),
          "Continues from a checkpoint (a checkpoint directory or a root with a `latest` pointer) when optimize() "
          "starts; the model, optim method and batch size must match.")
      .def(
          "optimize",
          [](PyOptimizer& p) -> nn::ModulePtr {
            if (!p.log_stream_set) {
              // Where Python's own output goes: the C-level stderr when that is a terminal (progress bar),
              // else sys.stderr as it is now (a notebook, a redirected or captured stream).
              py::object err = py::module_::import("sys").attr("stderr");
              const bool terminal = !err.is_none() && err.is(py::module_::import("sys").attr("__stderr__")) &&
                                    py::hasattr(err, "isatty") && err.attr("isatty")().cast<bool>();
              FilePtr f{nullptr, &std::fclose};
              if (!terminal && !err.is_none()) f = python_stream(err);
              p.log_options.stream = f ? f.get() : stderr;
              p.opt->set_log(p.log_options);
              p.log_file = std::move(f);
            }
            auto st = std::make_shared<InterruptState>();
            p.opt->set_end_when(interruptible(p.end_when.value_or(optim::Trigger::max_epoch(10)), st));
            nogil([&] { p.opt->optimize(); });
            if (st->error) {
              p.interrupted = true;
              std::rethrow_exception(st->error);
            }
            return p.model;
          },
          "Trains until the end trigger fires (GIL released) and returns the model, trained in place.")
      .def("history", [](const PyOptimizer& p) { return history_list(*p.opt); },
           "One dict per iteration: epoch, iteration, loss, throughput (records/s), learning_rate.")
      .def("validation_history", [](const PyOptimizer& p) { return validation_list(*p.opt); },
           "One dict per validation run: epoch, iteration, results (a list of ValidationResult).")
      .def_property_readonly("state", [](const PyOptimizer& p) { return p.opt->state(); },
                             "Where training stands (a TrainingState: epoch, iteration, loss, score).")
      .def_property_readonly(
          "timing",
          [](const PyOptimizer& p) {
            const auto& t = p.opt->timing();
            py::dict d;
            d["data"] = t.data;
            d["forward"] = t.forward;
            d["backward"] = t.backward;
            d["update"] = t.update;
            d["reduce_scatter"] = t.reduce_scatter;
            d["all_gather"] = t.all_gather;
            d["total"] = t.total();
            d["iterations"] = t.iterations;
            return d;
          },
          "Cumulative seconds per phase of the training step (reduce_scatter and all_gather: distributed training).")
      .def_property_readonly("last_checkpoint", [](const PyOptimizer& p) { return p.opt->last_checkpoint(); },
                             "The path of the last checkpoint written ('' when none).")
      .def_property_readonly("model", [](const PyOptimizer& p) { return p.model; })
      .def_property_readonly("optim_method", [](const PyOptimizer& p) { return p.method; },
                             "The optim method set (None: the default SGD).")
      .def_property_readonly("end_when", [](const PyOptimizer& p) { return p.end_when; })
      .def_property_readonly("train_summary", [](const PyOptimizer& p) { return p.train_summary; })
      .def_property_readonly("validation_summary", [](const PyOptimizer& p) { return p.validation_summary; })
      .def_property_readonly("interrupted", [](const PyOptimizer& p) { return p.interrupted; },
                             "True when the last optimize() was stopped by Ctrl-C (or another signal handler).");

  m.def(
      "evaluate",
      [](nn::ModulePtr model, py::handle x, py::handle y, py::handle methods, int64_t batch_size, py::handle transform) {
        return evaluate_impl(model, x, y, methods, batch_size, transform);
      },
      py::arg("model"), py::arg("x"), py::arg("y") = py::none(), py::arg("methods") = py::none(),
      py::arg("batch_size") = 32, py::arg("transform") = py::none(),
      "Runs validation methods (default [Top1Accuracy()]) over x, y (arrays; or x = (features, labels) or a "
      "DataSet with y None) in evaluation mode, GIL released; returns the merged ValidationResult list.\n\n"
      "Example: [top1] = evaluate(model, x_test, y_test, [Top1Accuracy()], batch_size=256)");

  // Module.evaluate: with no arguments, BigDL's model.evaluate() (evaluation mode, returns the module); with
  // data, ember.optim.evaluate(self, ...). BigDL's positional order evaluate(data, batch_size, methods) is
  // recognised by an int in second place.
  py::handle module_type = py::type::of<nn::Module>();
  py::object evaluate_fn = m.attr("evaluate");
  py::setattr(
      module_type, "evaluate",
      py::cpp_function(
          [evaluate_fn](py::object self, const py::args& args, const py::kwargs& kwargs) -> py::object {
            if (args.empty() && kwargs.empty()) {
              self.cast<nn::Module&>().evaluate();
              return self;
            }
            if (args.size() >= 2 && is_int(args[1])) {
              py::handle methods = args.size() >= 3 ? args[2] : py::handle(py::none());
              return evaluate_fn(self, args[0], py::none(), methods, args[1], **kwargs);
            }
            return evaluate_fn(self, *args, **kwargs);
          },
          py::is_method(module_type), py::name("evaluate"),
          py::doc("evaluate() -> self: evaluation mode (BigDL). evaluate(x, y=None, methods=None, batch_size=32) -> "
                  "[ValidationResult]: see ember.optim.evaluate; also BigDL's evaluate(data, batch_size, methods).")));
}

}  // namespace ember::python
