#include "ember/io/model_file.h"

#include <cmath>
#include <cstring>
#include <sstream>
#include <unordered_map>

#include "ember/io/container_format.h"
#include "ember/io/model_tree.h"
#include "ember/nn/containers/graph.h"
#include "ember/nn/containers/map_table.h"
#include "ember/nn/registry.h"

namespace ember::io {

using namespace detail;  // NOLINT: the file's internals

namespace {

// ---- saving ----------------------------------------------------------------------------------------
Json encode_config(const nn::Config& config) {
  Json out = Json::array();
  for (const auto& [name, value] : config) {
    Json e = {{"name", name}};
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) e["type"] = "bool", e["value"] = v;
          else if constexpr (std::is_same_v<T, int64_t>) e["type"] = "int", e["value"] = v;
          else if constexpr (std::is_same_v<T, double>) e["type"] = "float", e["value"] = detail::real_to_json(v);
          else if constexpr (std::is_same_v<T, std::string>) e["type"] = "string", e["value"] = v;
          else if constexpr (std::is_same_v<T, std::vector<int64_t>>) e["type"] = "ints", e["value"] = v;
          else {
            Json xs = Json::array();
            for (double x : v) xs.push_back(detail::real_to_json(x));
            e["type"] = "floats", e["value"] = std::move(xs);
          }
        },
        value);
    out.push_back(std::move(e));
  }
  return out;
}

std::string join(const std::string& prefix, const std::string& name) { return prefix.empty() ? name : prefix + "." + name; }

Json encode_module(nn::Module& m, const std::string& path, TensorTable& tensors) {
  const auto* graph = dynamic_cast<const nn::Graph*>(&m);
  const std::string type(m.type_name());
  if (!graph) {
    const auto known = nn::Registry::global().module_types();
    EMBER_CHECK(std::find(known.begin(), known.end(), type) != known.end(), "[io] cannot save module '",
                path.empty() ? "(root)" : path, "' of type '", type,
                "': the type is not in nn::Registry, so a loader could not rebuild it. Hint: register it with "
                "nn::Registry::global().add_module()");
  }
  Json j = {{"type", type},
            {"name", m.name()},
            {"training", m.is_training()},
            {"propagate_back", m.propagate_back()},
            {"config", encode_config(m.config())}};
  const OwnTensors own = own_tensors(m);
  Json params = Json::array(), buffers = Json::array();
  for (const nn::NamedParameter& p : own.parameters) {
    const std::string full = join(path, p.name);
    Json entry = {{"name", p.name},
                  {"tensor", p.value->defined() ? Json(tensors.add(full, *p.value)) : Json(nullptr)},
                  {"frozen", p.frozen}};
    // Only when set, so files of models without regularizers stay as they were.
    if (const nn::Regularizer reg = m.regularizer(p.name); reg.active()) entry["regularizer"] = Json::array({reg.l1, reg.l2});
    params.push_back(std::move(entry));
  }
  for (const auto& [name, t] : own.buffers)
    buffers.push_back({{"name", name}, {"tensor", t->defined() ? Json(tensors.add(join(path, name), *t)) : Json(nullptr)}});
  j["parameters"] = std::move(params);
  j["buffers"] = std::move(buffers);
  Json children = Json::array();
  for (const auto& [key, child] : m.named_children())
    children.push_back({{"key", key}, {"module", encode_module(*child, join(path, key), tensors)}});
  j["children"] = std::move(children);
  if (graph) {
    std::unordered_map<const nn::Node*, size_t> index;
    std::unordered_map<const nn::Module*, size_t> child_index;
    for (size_t c = 0; c < m.named_children().size(); ++c) child_index[m.named_children()[c].second.get()] = c;
    Json nodes = Json::array(), ins = Json::array(), outs = Json::array();
    for (const nn::NodePtr& n : graph->nodes()) {
      index[n.get()] = index.size();
      if (n->is_input()) {
        nodes.push_back({{"op", "input"}, {"name", n->name()}});
        continue;
      }
      Json preds = Json::array();
      for (const nn::NodePtr& p : n->inputs()) preds.push_back(index.at(p.get()));
      nodes.push_back({{"op", "module"}, {"child", child_index.at(n->module().get())}, {"inputs", std::move(preds)}});
    }
    for (const nn::NodePtr& n : graph->input_nodes()) ins.push_back(index.at(n.get()));
    for (const nn::NodePtr& n : graph->output_nodes()) outs.push_back(index.at(n.get()));
    j["graph"] = {{"nodes", std::move(nodes)}, {"inputs", std::move(ins)}, {"outputs", std::move(outs)}};
  }
  return j;
}


}  // namespace

void detail::write_model(const nn::Module& model, FileWriter& out) {
  auto& m = const_cast<nn::Module&>(model);  // the parameter accessors are non-const but do not mutate
  TensorTable tensors;
  Json header = {{"kind", "model"}, {"model", encode_module(m, "", tensors)}};
  detail::write_container(std::move(header), tensors, out);
}

void save_module(const nn::Module& model, const std::string& path) {
  atomic_write_file(path, [&](FileWriter& w) { write_model(model, w); });
}

std::string save_module_to_bytes(const nn::Module& model) {
  std::string out;
  StringWriter w(out);
  write_model(model, w);
  return out;
}

// ---- loading ---------------------------------------------------------------------------------------
nn::ModulePtr load_module(const std::string& path) {
  auto src = ByteSource::open_file(path);
  ContainerReader r(*src);
  return build_model(r);
}

nn::ModulePtr load_module_from_bytes(std::string_view bytes, std::string_view name_for_errors) {
  auto src = ByteSource::from_bytes(bytes, std::string(name_for_errors));
  ContainerReader r(*src);
  return build_model(r);
}

ModelInfo read_model_info(const std::string& path) {
  auto src = ByteSource::open_file(path);
  ContainerReader r(*src, /*check_padding=*/false);
  ModelInfo info;
  info.path = path;
  info.format_version = r.version();
  info.file_bytes = src->size();
  for (const detail::TensorEntry& e : r.entries()) {
    info.tensors.push_back({e.name, e.dtype, e.shape, e.nbytes});
    info.tensor_bytes += e.nbytes;
  }
  info.kind = detail::get_string(r, detail::field(r, r.header(), "kind", "the header"), "the header's 'kind'");
  if (info.kind == "model") {
    const ModuleSpec spec = parse_model_spec(r);
    info.tree = spec_tree(spec);
    spec_parameter_totals(r, spec, info.num_parameters, info.parameter_bytes);
  } else {
    EMBER_CHECK_FORMAT(info.kind == "state", r.where(), "unknown file kind '", info.kind,
                       "': expected \"model\" or \"state\"");
  }
  return info;
}

}  // namespace ember::io
