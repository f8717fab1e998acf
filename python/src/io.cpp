// Bindings for ember/io (see bindings.h): model files, state files, checkpoints, and Module.save.
#include "ember/io/checkpoint.h"
#include "ember/io/model_file.h"
#include "ember/io/state_file.h"
#include "util.h"

namespace ember::python {

namespace {

nn::Module& module_of(const nn::ModulePtr& m, const char* where) {
  return require(m, where, "module", "an ember.nn.Module");
}

py::dict info_to_dict(const io::ModelInfo& info) {
  py::dict d;
  d["path"] = info.path;
  d["format_version"] = info.format_version;
  d["kind"] = info.kind;
  d["tree"] = info.tree;
  d["num_parameters"] = info.num_parameters;
  d["parameter_bytes"] = info.parameter_bytes;
  d["tensor_bytes"] = info.tensor_bytes;
  d["file_bytes"] = info.file_bytes;
  py::list tensors;
  for (const auto& t : info.tensors) {
    py::dict e;
    e["name"] = t.name;
    e["dtype"] = std::string(dtype_name(t.dtype));
    py::list shape;
    for (int64_t i = 0; i < t.shape.size(); ++i) shape.append(t.shape[i]);
    e["shape"] = py::tuple(shape);
    e["nbytes"] = t.nbytes;
    tensors.append(e);
  }
  d["tensors"] = tensors;
  return d;
}

}  // namespace

void bind_io(py::module_& m) {
  m.def(
      "save_model",
      [](const nn::ModulePtr& model, py::handle path) {
        nn::Module& mod = module_of(model, "io.save_model");
        const std::string p = path_arg(path, "io.save_model");
        py::gil_scoped_release r;
        io::save_module(mod, p);
      },
      py::arg("module"), py::arg("path"),
      "Writes a module to a .ember file atomically (BigDL: saveModule). Example: save_model(model, 'lenet.ember')");
  m.def(
      "load_model",
      [](py::handle path) {
        const std::string p = path_arg(path, "io.load_model");
        py::gil_scoped_release r;
        return io::load_module(p);
      },
      py::arg("path"),
      "Reads a model written by save_model (BigDL: loadModule). ember.IOError when the file cannot be read, "
      "ember.FormatError when it is malformed; both name the file.");
  m.def(
      "model_to_bytes",
      [](const nn::ModulePtr& model) {
        nn::Module& mod = module_of(model, "io.model_to_bytes");
        std::string b = nogil([&] { return io::save_module_to_bytes(mod); });
        return py::bytes(b);
      },
      py::arg("module"), "The bytes save_model would write.");
  m.def(
      "model_from_bytes",
      [](const py::bytes& data, const std::string& name) {
        std::string_view view = data;  // the bytes object stays alive (held by the caller's frame)
        py::gil_scoped_release r;
        return io::load_module_from_bytes(view, name);
      },
      py::arg("data"), py::arg("name") = "<bytes>", "load_model from bytes; `name` stands for the file in errors.");
  m.def(
      "read_model_info",
      [](py::handle path) {
        const std::string p = path_arg(path, "io.read_model_info");
        io::ModelInfo info = nogil([&] { return io::read_model_info(p); });
        return info_to_dict(info);
      },
      py::arg("path"),
      "A model or state file's header as a dict (path, format_version, kind, tree, num_parameters, "
      "parameter_bytes, tensor_bytes, file_bytes, tensors: [{name, dtype, shape, nbytes}]) without reading tensor "
      "data.");
  m.def(
      "save_state",
      [](py::handle state, py::handle path) {
        StateDict st = state_from_dict(state, "io.save_state");
        const std::string p = path_arg(path, "io.save_state");
        py::gil_scoped_release r;
        io::save_state(st, p);
      },
      py::arg("state"), py::arg("path"),
      "Writes a dict of arrays / ints / floats / strs (e.g. an optim method's state_dict()) atomically.");
  m.def(
      "load_state",
      [](py::handle path) {
        const std::string p = path_arg(path, "io.load_state");
        StateDict st = nogil([&] { return io::load_state(p); });
        return state_to_dict(st);
      },
      py::arg("path"), "Reads a file written by save_state as a dict (insertion order kept).");

  py::classh<io::CheckpointManager>(
      m, "CheckpointManager",
      "Writes checkpoints (<dir>/checkpoint-<iteration>/model.ember + state.ember, a `latest` pointer) and keeps "
      "the newest keep_last.\n\nExample: ckpt = CheckpointManager('runs/ckpt', keep_last=3); "
      "ckpt.save(100, model, opt.state_dict())")
      .def(py::init([](py::handle dir, int keep_last) {
             return std::make_shared<io::CheckpointManager>(path_arg(dir, "io.CheckpointManager", "dir"), keep_last);
           }),
           py::arg("dir"), py::arg("keep_last") = 3)
      .def(
          "save",
          [](io::CheckpointManager& c, int64_t iteration, const nn::ModulePtr& model, py::handle state) {
            nn::Module& mod = module_of(model, "io.CheckpointManager.save");
            StateDict st = state.is_none() ? StateDict{} : state_from_dict(state, "io.CheckpointManager.save");
            py::gil_scoped_release r;
            return c.save(iteration, mod, st);
          },
          py::arg("iteration"), py::arg("model"), py::arg("state") = py::none(),
          "Writes checkpoint-<iteration> (model and state dict) atomically, points `latest` at it, prunes old "
          "ones; returns its path.")
      .def_static(
          "latest",
          [](py::handle dir) {
            const std::string d = path_arg(dir, "io.CheckpointManager.latest", "dir");
            py::gil_scoped_release r;
            return io::CheckpointManager::latest(d);
          },
          py::arg("dir"), "The path of the latest checkpoint in `dir`, or None.")
      .def_static(
          "load",
          [](py::handle path) {
            const std::string p = path_arg(path, "io.CheckpointManager.load");
            io::Checkpoint ck = nogil([&] { return io::CheckpointManager::load(p); });
            return py::make_tuple(ck.model, state_to_dict(ck.state), ck.path);
          },
          py::arg("path"),
          "Loads a checkpoint directory, or the latest of a root: returns (model, state dict, checkpoint path).")
      .def_static(
          "load_into",
          [](py::handle path, const nn::ModulePtr& model) {
            nn::Module& mod = module_of(model, "io.CheckpointManager.load_into");
            const std::string p = path_arg(path, "io.CheckpointManager.load_into");
            StateDict st;
            nogil([&] { io::CheckpointManager::load_into(p, mod, st); });
            return state_to_dict(st);
          },
          py::arg("path"), py::arg("model"),
          "Copies a checkpoint's parameters and buffers into `model` (same structure) and returns its state dict.")
      .def_static("checkpoint_name", &io::CheckpointManager::checkpoint_name, py::arg("iteration"))
      .def_property_readonly("dir", &io::CheckpointManager::dir)
      .def_property_readonly("keep_last", &io::CheckpointManager::keep_last)
      .def("__repr__", [](const io::CheckpointManager& c) {
        return detail::str_cat("CheckpointManager(dir='", c.dir(), "', keep_last=", c.keep_last(), ")");
      });

  // Module.save(path): the module's own method, as BigDL's model.saveModel.
  py::handle module_type = py::type::of<nn::Module>();
  py::setattr(module_type, "save",
              py::cpp_function(
                  [](const nn::ModulePtr& self, py::handle path) {
                    const std::string p = path_arg(path, "Module.save");
                    py::gil_scoped_release r;
                    io::save_module(*self, p);
                  },
                  py::is_method(module_type), py::name("save"), py::arg("path"),
                  py::doc("Writes this module to a .ember file (see ember.io.save_model).")));
}

}  // namespace ember::python
