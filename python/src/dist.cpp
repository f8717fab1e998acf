// Bindings for ember/dist (see bindings.h): Listener, Collective, CollectiveError and the
// DistributedOptimizer (a subclass of the local Optimizer's Python class, sharing its setters).
#include <optional>

#include "ember/core/error.h"
#include "ember/dist/collective.h"
#include "ember/dist/distributed_optimizer.h"
#include "optim_util.h"
#include "train_util.h"
#include "util.h"

namespace ember::python {

namespace {

// A Listener until a Collective takes it over.
struct PyListener {
  std::optional<dist::Listener> listener;
  std::string host;
  int port = 0;
};

struct PyDistributedOptimizer : PyOptimizer {
  std::shared_ptr<dist::Collective> collective;
};

std::vector<uint8_t> bytes_arg(py::handle obj, const char* where) {
  if (!py::isinstance<py::bytes>(obj) && !py::isinstance<py::bytearray>(obj) && !py::isinstance<py::memoryview>(obj))
    throw TypeError(detail::str_cat("[", where, "] expected bytes, got ", py_type_name(obj)));
  py::buffer_info info = py::reinterpret_borrow<py::buffer>(obj).request();
  const auto* p = static_cast<const uint8_t*>(info.ptr);
  return std::vector<uint8_t>(p, p + info.size * info.itemsize);
}

py::bytes to_bytes(const std::vector<uint8_t>& v) { return py::bytes(reinterpret_cast<const char*>(v.data()), v.size()); }

py::list to_bytes_list(const std::vector<std::vector<uint8_t>>& vs) {
  py::list out;
  for (const auto& v : vs) out.append(to_bytes(v));
  return out;
}

// A writable contiguous float32/bfloat16/float64 buffer, updated in place.
Tensor buffer_arg(py::handle obj, const char* op) {
  Tensor t = to_tensor(obj, "buffer");
  if (!t.storage()->writable())
    throw ValueError(detail::str_cat("[dist.Collective.", op, "] buffer is read-only: it is updated in place"));
  if (!t.is_contiguous())
    throw ValueError(detail::str_cat("[dist.Collective.", op, "] buffer must be contiguous (it is updated in place)"));
  return t;
}

}  // namespace

void bind_dist(py::module_& m) {
  // CollectiveError(RuntimeError) with failed_rank and cause attributes.
  static py::handle error_type =
      PyErr_NewExceptionWithDoc("ember._ember.dist.CollectiveError",
                                "A collective operation failed: failed_rank is the rank where the failure started (-1: "
                                "unknown), cause what happened there. Every rank raises it within the timeout.",
                                PyExc_RuntimeError, nullptr);
  m.attr("CollectiveError") = error_type;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const dist::CollectiveError& e) {
      py::object err = py::reinterpret_borrow<py::object>(error_type)(e.what());
      err.attr("failed_rank") = e.failed_rank();
      err.attr("cause") = e.cause();
      PyErr_SetObject(error_type.ptr(), err.ptr());
    }
  });

  py::classh<PyListener>(m, "Listener",
                         "A listening TCP socket for the collective, bound to `host` (port 0: any free port). Bind it "
                         "before the rendezvous: its port goes to the other ranks.")
      .def(py::init([](const std::string& host, int port) {
             auto p = std::make_shared<PyListener>();
             p->listener.emplace(host, port);
             p->host = host;
             p->port = p->listener->port();
             return p;
           }),
           py::arg("host"), py::arg("port") = 0)
      .def_readonly("host", &PyListener::host)
      .def_readonly("port", &PyListener::port)
      .def("__repr__", [](const PyListener& l) {
        return detail::str_cat("dist.Listener(", l.host, ":", l.port, l.listener ? "" : ", taken by a Collective", ")");
      });

  py::classh<dist::Collective>(
      m, "Collective",
      "Ember's collective over authenticated TCP: a full mesh of connections, ring reduce-scatter / all-gather / "
      "all-reduce, broadcast, barrier, and byte gathers. Every operation has a deadline; a failure on any rank "
      "raises CollectiveError on every rank, naming the rank that failed first. Operations release the GIL.\n\n"
      "Example:\n"
      "  c = Collective(listener, rank=r, world_size=n, peers=['10.0.0.5:4711', ...], secret=key)\n"
      "  c.all_reduce(grads)   # a float32/float64 array, summed in place")
      .def(py::init([](PyListener& l, int rank, int world_size, std::vector<std::string> peers, py::handle secret,
                       double timeout, size_t small_bytes, size_t segment_bytes) {
             if (!l.listener)
               throw ValueError("[dist.Collective] the listener was already taken by another Collective");
             dist::CollectiveOptions o;
             o.rank = rank;
             o.world_size = world_size;
             o.peers = std::move(peers);
             o.secret = bytes_arg(secret, "dist.Collective secret");
             o.timeout = timeout;
             o.small_bytes = small_bytes;
             o.segment_bytes = segment_bytes;
             dist::Listener listener = std::move(*l.listener);
             l.listener.reset();
             py::gil_scoped_release release;
             return std::make_shared<dist::Collective>(std::move(listener), std::move(o));
           }),
           py::arg("listener"), py::kw_only(), py::arg("rank"), py::arg("world_size"), py::arg("peers"),
           py::arg("secret"), py::arg("timeout") = 300.0, py::arg("small_bytes") = size_t{64 * 1024},
           py::arg("segment_bytes") = size_t{1 << 20},
           "Connects to every peer (peers[i] = 'host:port' of rank i) and authenticates with `secret` (bytes, >= 16).")
      .def_property_readonly("rank", &dist::Collective::rank)
      .def_property_readonly("world_size", &dist::Collective::world_size)
      .def("shard_range", py::overload_cast<int64_t>(&dist::Collective::shard_range, py::const_), py::arg("n"),
           "(begin, end) of this rank's shard of an n-element buffer.")
      .def(
          "all_reduce",
          [](dist::Collective& c, py::handle buffer) {
            if (py::isinstance<py::list>(buffer) || py::isinstance<py::tuple>(buffer)) {
              std::vector<double> v = buffer.cast<std::vector<double>>();
              nogil([&] { c.all_reduce(std::span<double>(v)); });
              return py::object(py::cast(v));
            }
            Tensor t = buffer_arg(buffer, "all_reduce");
            nogil([&] { c.all_reduce(t); });
            return py::reinterpret_borrow<py::object>(buffer);
          },
          py::arg("buffer"),
          "Sums a buffer over ranks in place (a float32/bfloat16/float64 array or Tensor; returns it), or a list of "
          "numbers (returns the summed list).")
      .def(
          "reduce_scatter",
          [](dist::Collective& c, py::handle buffer, bool bf16) {
            Tensor t = buffer_arg(buffer, "reduce_scatter");
            nogil([&] { c.reduce_scatter(t, bf16 ? dist::Wire::BFloat16 : dist::Wire::Native); });
          },
          py::arg("buffer"), py::kw_only(), py::arg("bfloat16_wire") = false,
          "This rank's shard (shard_range(n)) becomes the sum over ranks; bfloat16_wire sends float32 data as "
          "bfloat16 (float32 accumulation).")
      .def(
          "all_gather",
          [](dist::Collective& c, py::handle buffer) {
            Tensor t = buffer_arg(buffer, "all_gather");
            nogil([&] { c.all_gather(t); });
          },
          py::arg("buffer"), "Every rank's shard is copied into every rank's buffer.")
      .def(
          "broadcast",
          [](dist::Collective& c, py::handle buffer, int root) {
            Tensor t = buffer_arg(buffer, "broadcast");
            nogil([&] { c.broadcast(t, root); });
          },
          py::arg("buffer"), py::arg("root") = 0, "root's buffer is copied to every rank.")
      .def("barrier", [](dist::Collective& c) { nogil([&] { c.barrier(); }); })
      .def(
          "broadcast_bytes",
          [](dist::Collective& c, py::handle data, int root) {
            std::vector<uint8_t> v = data.is_none() ? std::vector<uint8_t>{} : bytes_arg(data, "dist.Collective.broadcast_bytes");
            v = nogil([&] { return c.broadcast_bytes(std::move(v), root); });
            return to_bytes(v);
          },
          py::arg("data"), py::arg("root") = 0, "root's bytes on every rank (other ranks may pass None).")
      .def(
          "gather_bytes",
          [](dist::Collective& c, py::handle data, int root) {
            const std::vector<uint8_t> v = bytes_arg(data, "dist.Collective.gather_bytes");
            return to_bytes_list(nogil([&] { return c.gather_bytes(v, root); }));
          },
          py::arg("data"), py::arg("root") = 0, "On root, every rank's bytes by rank; elsewhere [].")
      .def(
          "all_gather_bytes",
          [](dist::Collective& c, py::handle data) {
            const std::vector<uint8_t> v = bytes_arg(data, "dist.Collective.all_gather_bytes");
            return to_bytes_list(nogil([&] { return c.all_gather_bytes(v); }));
          },
          py::arg("data"), "Every rank's bytes on every rank, by rank.")
      .def(
          "scatter_bytes",
          [](dist::Collective& c, py::handle parts, int root) {
            std::vector<std::vector<uint8_t>> ps;
            if (!parts.is_none())
              for (py::handle p : parts) ps.push_back(bytes_arg(p, "dist.Collective.scatter_bytes"));
            return to_bytes(nogil([&] { return c.scatter_bytes(ps, root); }));
          },
          py::arg("parts"), py::arg("root") = 0, "root passes one bytes object per rank; each rank gets its own.")
      .def("abort", [](dist::Collective& c, const std::string& cause) { nogil([&] { c.abort(cause); }); },
           py::arg("cause"), "Tells every peer this rank failed with `cause`, then closes.")
      .def_property_readonly("ok", &dist::Collective::ok, "False after an error or abort().")
      .def_property_readonly("stats", [](const dist::Collective& c) {
        py::dict d;
        d["bytes_sent"] = c.stats().bytes_sent;
        d["bytes_received"] = c.stats().bytes_received;
        return d;
      });

  py::classh<PyDistributedOptimizer, PyOptimizer>(
      m, "DistributedOptimizer",
      "Synchronous data-parallel training over a Collective, with the local Optimizer's setters (BigDL: "
      "DistriOptimizer). Every rank constructs one with its own shard of the data and the same global batch_size; "
      "each iteration reduce-scatters the gradients, updates this rank's shard of the weights and all-gathers them. "
      "Rank 0 writes the log, summaries and checkpoints.\n\n"
      "DistributedOptimizer(collective, model, training_set, criterion, batch_size=32)")
      .def(py::init([](std::shared_ptr<dist::Collective> collective, nn::ModulePtr model, py::handle training_set,
                       nn::CriterionPtr criterion, int64_t batch_size) {
             constexpr const char* where = "dist.DistributedOptimizer";
             require(collective, where, "collective", "an ember.dist.Collective");
             require(model, where, "model", "an ember.nn.Module");
             require(criterion, where, "criterion", "an ember.nn.Criterion");
             auto p = std::make_shared<PyDistributedOptimizer>();
             p->model = model;
             p->criterion = criterion;
             p->collective = collective;
             p->opt = std::make_unique<dist::DistributedOptimizer>(collective, model,
                                                                   to_dataset(training_set, where, "training_set"),
                                                                   criterion, batch_size);
             p->log_options.log_every = 0;
             p->opt->set_log(p->log_options);
             return p;
           }),
           py::arg("collective"), py::arg("model"), py::arg("training_set"), py::arg("criterion"),
           py::arg("batch_size") = 32)
      .def(
          "set_gradient_compression",
          [](py::object self, bool bf16) {
            auto& p = self.cast<PyDistributedOptimizer&>();
            static_cast<dist::DistributedOptimizer&>(*p.opt).set_gradient_compression(bf16);
            return self;
          },
          py::arg("bfloat16") = true, "Sends gradients as bfloat16 in the reduce-scatter (float32 accumulation).")
      .def_property_readonly("collective", [](const PyDistributedOptimizer& p) { return p.collective; });
}

}  // namespace ember::python
