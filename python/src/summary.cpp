// Bindings for ember/summary (see bindings.h): TrainSummary, ValidationSummary and reading scalars back.
#include "ember/summary/event_reader.h"
#include "ember/summary/summary.h"
#include "optim_util.h"

namespace ember::python {

namespace {

// A NumPy structured array with fields step (int64), value (float32), wall_time (float64).
py::array scalars_to_numpy(const std::vector<summary::ScalarEvent>& events) {
  py::list fields;
  fields.append(py::make_tuple("step", "<i8"));
  fields.append(py::make_tuple("value", "<f4"));
  fields.append(py::make_tuple("wall_time", "<f8"));
  py::array out = numpy_attr("zeros")(events.size(), py::arg("dtype") = numpy_attr("dtype")(fields));
  if (!events.empty()) {
    py::array_t<int64_t> steps(static_cast<py::ssize_t>(events.size()));
    py::array_t<float> values(static_cast<py::ssize_t>(events.size()));
    py::array_t<double> walls(static_cast<py::ssize_t>(events.size()));
    auto s = steps.mutable_unchecked<1>();
    auto v = values.mutable_unchecked<1>();
    auto w = walls.mutable_unchecked<1>();
    for (size_t i = 0; i < events.size(); ++i) {
      s(i) = events[i].step;
      v(i) = events[i].value;
      w(i) = events[i].wall_time;
    }
    out[py::str("step")] = steps;
    out[py::str("value")] = values;
    out[py::str("wall_time")] = walls;
  }
  return out;
}

}  // namespace

void bind_summary(py::module_& m) {
  using summary::Summary;
  py::classh<Summary>(m, "Summary",
                      "Base of TrainSummary and ValidationSummary: one TensorBoard event file in "
                      "<log_dir>/<app_name>/<kind>. Usable as a context manager (closes on exit).")
      .def(
          "add_scalar",
          [](Summary& s, const std::string& tag, float value, int64_t step) {
            py::gil_scoped_release r;
            s.add_scalar(tag, value, step);
          },
          py::arg("tag"), py::arg("value"), py::arg("step"), "Adds a scalar at `step` (BigDL: addScalar).")
      .def(
          "add_histogram",
          [](Summary& s, const std::string& tag, py::handle values, int64_t step) {
            Tensor t = to_tensor(values, "values");
            py::gil_scoped_release r;
            s.add_histogram(tag, t, step);
          },
          py::arg("tag"), py::arg("values"), py::arg("step"), "Adds a histogram of an array's elements at `step`.")
      .def(
          "read_scalar",
          [](Summary& s, const std::string& tag) {
            std::vector<summary::ScalarEvent> events = nogil([&] { return s.read_scalar(tag); });
            return scalars_to_numpy(events);
          },
          py::arg("tag"),
          "The scalar series `tag` written to this folder so far (this and earlier runs), sorted by step, as a "
          "NumPy structured array with fields step (int64), value (float32), wall_time (float64, seconds since "
          "the epoch); empty when the tag never occurs (BigDL: readScalar).\n\n"
          "Example: loss = summary.read_scalar('Loss'); plt.plot(loss['step'], loss['value'])")
      .def("flush", [](Summary& s) { py::gil_scoped_release r; s.flush(); }, "Pushes buffered events to the file.")
      .def("close", [](Summary& s) { py::gil_scoped_release r; s.close(); }, "Flushes and closes the event file.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](Summary& s, py::args) {
        py::gil_scoped_release r;
        s.close();
        return false;
      })
      .def_property_readonly("log_dir", &Summary::log_dir, "The root log directory (BigDL: logDir).")
      .def_property_readonly("app_name", &Summary::app_name, "The application name (BigDL: appName).")
      .def_property_readonly("folder", &Summary::folder, "<log_dir>/<app_name>/train or .../validation.")
      .def_property_readonly("event_file", &Summary::event_file, "The event file being written.")
      .def("__repr__", [](py::object self) {
        const Summary& s = self.cast<const Summary&>();
        return detail::str_cat(py_class_name(self),
                               "(log_dir='", s.log_dir(), "', app_name='", s.app_name(), "')");
      });

  py::classh<summary::TrainSummary, Summary>(
      m, "TrainSummary",
      "Training summary in <log_dir>/<app_name>/train (BigDL: TrainSummary). The Optimizer writes Loss, "
      "Throughput and LearningRate every iteration by default and parameter histograms when a 'Parameters' "
      "trigger is set.\n\nExample: s = TrainSummary('runs', 'lenet'); s.set_summary_trigger('Parameters', "
      "several_iteration(100))")
      .def(py::init([](py::handle log_dir, const std::string& app_name) {
             const std::string dir = path_arg(log_dir, "summary.TrainSummary", "log_dir");
             py::gil_scoped_release r;
             return std::make_shared<summary::TrainSummary>(dir, app_name);
           }),
           py::arg("log_dir"), py::arg("app_name"))
      .def(
          "set_summary_trigger",
          [](py::object self, const std::string& name, py::handle trigger) {
            self.cast<summary::TrainSummary&>().set_summary_trigger(name, to_trigger(trigger, "TrainSummary.set_summary_trigger"));
            return self;
          },
          py::arg("name"), py::arg("trigger"),
          "When `name` ('LearningRate', 'Loss', 'Throughput', 'Parameters') is recorded; returns self.")
      .def("summary_trigger", &summary::TrainSummary::summary_trigger, py::arg("name"),
           "The trigger for `name`, or None when it is never recorded.")
      .def_property_readonly_static("trigger_names",
                                    [](py::handle) { return summary::TrainSummary::trigger_names(); });

  py::classh<summary::ValidationSummary, Summary>(
      m, "ValidationSummary",
      "Validation summary in <log_dir>/<app_name>/validation: one scalar per validation method "
      "(BigDL: ValidationSummary).")
      .def(py::init([](py::handle log_dir, const std::string& app_name) {
             const std::string dir = path_arg(log_dir, "summary.ValidationSummary", "log_dir");
             py::gil_scoped_release r;
             return std::make_shared<summary::ValidationSummary>(dir, app_name);
           }),
           py::arg("log_dir"), py::arg("app_name"));

  m.def(
      "read_scalar",
      [](py::handle log_dir, const std::string& tag) {
        const std::string dir = path_arg(log_dir, "summary.read_scalar", "log_dir");
        std::vector<summary::ScalarEvent> events = nogil([&] { return summary::read_scalar(dir, tag); });
        return scalars_to_numpy(events);
      },
      py::arg("log_dir"), py::arg("tag"),
      "The scalar series `tag` over the event files of one folder (e.g. runs/lenet/train), as Summary.read_scalar.");
  m.def(
      "list_event_files",
      [](py::handle log_dir) {
        const std::string dir = path_arg(log_dir, "summary.list_event_files", "log_dir");
        py::gil_scoped_release r;
        return summary::list_event_files(dir);
      },
      py::arg("log_dir"), "Paths of the event files in a folder, sorted by name.");
}

}  // namespace ember::python
