#include "ember/io/model_tree.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <set>
#include <sstream>

#include "ember/nn/containers/graph.h"
#include "ember/nn/containers/map_table.h"
#include "ember/nn/registry.h"

namespace ember::io::detail {

namespace {

constexpr int kMaxModuleDepth = 150;

std::string join(const std::string& prefix, const std::string& name) { return prefix.empty() ? name : prefix + "." + name; }
std::string describe(const std::string& path) { return "module '" + (path.empty() ? std::string("(root)") : path) + "'"; }

std::string shape_str(const Shape& s) { return ember::detail::str_cat(s); }

// ---- parsing ---------------------------------------------------------------------------------------
struct Parser {
  const ContainerReader& r;
  std::vector<bool> used;

  nn::Config parse_config(const Json& list, const std::string& w) {
    nn::Config out;
    std::set<std::string> seen;
    for (const Json& e : get_array(r, list, w + " 'config'")) {
      const std::string name = get_string(r, field(r, e, "name", w + " option"), w + " option 'name'");
      const std::string ow = w + " option '" + name + "'";
      EMBER_CHECK_FORMAT(seen.insert(name).second, r.where(), w, " lists option '", name, "' twice");
      const std::string kind = get_string(r, field(r, e, "type", ow), ow + " 'type'");
      const Json& v = field(r, e, "value", ow);
      if (kind == "bool") {
        out.emplace_back(name, get_bool(r, v, ow));
      } else if (kind == "int") {
        out.emplace_back(name, get_int(r, v, ow));
      } else if (kind == "float") {
        out.emplace_back(name, get_real(r, v, ow));
      } else if (kind == "string") {
        out.emplace_back(name, get_string(r, v, ow));
      } else if (kind == "ints") {
        std::vector<int64_t> xs;
        for (const Json& x : get_array(r, v, ow)) xs.push_back(get_int(r, x, ow + " element"));
        out.emplace_back(name, std::move(xs));
      } else if (kind == "floats") {
        std::vector<double> xs;
        for (const Json& x : get_array(r, v, ow)) xs.push_back(get_real(r, x, ow + " element"));
        out.emplace_back(name, std::move(xs));
      } else {
        throw FormatError(ember::detail::str_cat(r.where(), ow, " has unknown type '", kind,
                                                 "': expected bool, int, float, string, ints or floats"));
      }
    }
    return out;
  }

  TensorRef parse_ref(const Json& e, const std::string& path, const std::string& w, bool parameter) {
    TensorRef ref;
    ref.name = get_string(r, field(r, e, "name", w), w + " 'name'");
    const std::string full = join(path, ref.name);
    const std::string what = (parameter ? "parameter '" : "buffer '") + full + "'";
    const Json& t = field(r, e, "tensor", what);
    if (!t.is_null()) {
      const uint64_t i = get_uint(r, t, what + " 'tensor'");
      EMBER_CHECK_FORMAT(i < r.entries().size(), r.where(), what, " refers to tensor ", i, ", but the file lists ",
                         r.entries().size(), " tensors");
      EMBER_CHECK_FORMAT(!used[i], r.where(), "tensor '", r.entries()[i].name, "' is used twice (again by ", what,
                         ")");
      EMBER_CHECK_FORMAT(r.entries()[i].name == full, r.where(), what, " refers to tensor '", r.entries()[i].name,
                         "': expected the tensor named '", full, "'");
      used[i] = true;
      ref.tensor = static_cast<int64_t>(i);
    }
    if (parameter) ref.frozen = get_bool(r, field(r, e, "frozen", what), what + " 'frozen'");
    if (parameter && e.contains("regularizer")) {
      const std::string rw = what + " 'regularizer'";
      const Json& reg = get_array(r, e["regularizer"], rw);
      EMBER_CHECK_FORMAT(reg.size() == 2, r.where(), rw, " must be [l1, l2], got ", reg.size(), " values");
      ref.regularizer = {get_real(r, reg[0], rw + " l1"), get_real(r, reg[1], rw + " l2")};
      EMBER_CHECK_FORMAT(ref.regularizer.l1 >= 0 && ref.regularizer.l2 >= 0 && std::isfinite(ref.regularizer.l1) &&
                             std::isfinite(ref.regularizer.l2),
                         r.where(), rw, " must hold two finite numbers >= 0, got [", ref.regularizer.l1, ", ",
                         ref.regularizer.l2, "]");
    }
    return ref;
  }

  std::vector<size_t> parse_indices(const Json& v, size_t limit, const std::string& what) {
    std::vector<size_t> out;
    for (const Json& x : get_array(r, v, what)) {
      const uint64_t i = get_uint(r, x, what);
      EMBER_CHECK_FORMAT(i < limit, r.where(), what, " refers to node ", i, ": expected an index below ", limit);
      out.push_back(static_cast<size_t>(i));
    }
    return out;
  }

  std::shared_ptr<GraphSpec> parse_graph(const Json& g, const std::string& w, size_t num_children) {
    auto spec = std::make_shared<GraphSpec>();
    const Json& nodes = get_array(r, field(r, g, "nodes", w + " graph"), w + " graph 'nodes'");
    std::vector<bool> child_used(num_children, false);
    for (size_t i = 0; i < nodes.size(); ++i) {
      const std::string nw = w + " graph node " + std::to_string(i);
      const Json& n = nodes[i];
      GraphNodeSpec node;
      const std::string op = get_string(r, field(r, n, "op", nw), nw + " 'op'");
      if (op == "input") {
        node.input = true;
        node.name = get_string(r, field(r, n, "name", nw), nw + " 'name'");
      } else if (op == "module") {
        const uint64_t c = get_uint(r, field(r, n, "child", nw), nw + " 'child'");
        EMBER_CHECK_FORMAT(c < num_children, r.where(), nw, " refers to child ", c, ", but the graph has ",
                           num_children, " children");
        EMBER_CHECK_FORMAT(!child_used[c], r.where(), nw, " uses child ", c, ", which an earlier node uses already");
        child_used[c] = true;
        node.child = static_cast<size_t>(c);
        // Inputs must come earlier in the list: the nodes then cannot form a cycle.
        node.inputs = parse_indices(field(r, n, "inputs", nw), i, nw + " 'inputs'");
        EMBER_CHECK_FORMAT(!node.inputs.empty(), r.where(), nw, " has no input nodes");
      } else {
        throw FormatError(ember::detail::str_cat(r.where(), nw, " has unknown op '", op,
                                                 "': expected \"input\" or \"module\""));
      }
      spec->nodes.push_back(std::move(node));
    }
    spec->inputs = parse_indices(field(r, g, "inputs", w + " graph"), nodes.size(), w + " graph 'inputs'");
    spec->outputs = parse_indices(field(r, g, "outputs", w + " graph"), nodes.size(), w + " graph 'outputs'");
    for (size_t i : spec->inputs)
      EMBER_CHECK_FORMAT(spec->nodes[i].input, r.where(), w, " graph input refers to node ", i,
                         ", which is a module node: expected an input node");
    return spec;
  }

  ModuleSpec parse_module(const Json& j, const std::string& key, const std::string& path, int depth) {
    const std::string w = describe(path);
    EMBER_CHECK_FORMAT(depth <= kMaxModuleDepth, r.where(), w, " is nested deeper than ", kMaxModuleDepth,
                       " levels");
    ModuleSpec s;
    s.key = key;
    s.path = path;
    s.type = get_string(r, field(r, j, "type", w), w + " 'type'");
    s.name = get_string(r, field(r, j, "name", w), w + " 'name'");
    s.training = get_bool(r, field(r, j, "training", w), w + " 'training'");
    s.propagate_back = get_bool(r, field(r, j, "propagate_back", w), w + " 'propagate_back'");
    s.config = parse_config(field(r, j, "config", w), w);
    for (const Json& e : get_array(r, field(r, j, "parameters", w), w + " 'parameters'"))
      s.parameters.push_back(parse_ref(e, path, w + " parameter", true));
    for (const Json& e : get_array(r, field(r, j, "buffers", w), w + " 'buffers'"))
      s.buffers.push_back(parse_ref(e, path, w + " buffer", false));
    std::set<std::string> keys;
    for (const Json& c : get_array(r, field(r, j, "children", w), w + " 'children'")) {
      const std::string ck = get_string(r, field(r, c, "key", w + " child"), w + " child 'key'");
      EMBER_CHECK_FORMAT(!ck.empty() && ck.find('.') == std::string::npos, r.where(), w, " has a child key '", ck,
                         "': expected a non-empty key without '.'");
      EMBER_CHECK_FORMAT(keys.insert(ck).second, r.where(), w, " has two children with key '", ck, "'");
      s.children.push_back(parse_module(field(r, c, "module", w + " child '" + ck + "'"), ck, join(path, ck), depth + 1));
    }
    const bool is_graph = s.type == nn::Graph::kTypeName;
    EMBER_CHECK_FORMAT(is_graph == j.contains("graph"), r.where(), w, " (", s.type, ") ",
                       is_graph ? "has no 'graph' field" : "has a 'graph' field, which only nn.Graph may have");
    if (is_graph) s.graph = parse_graph(j["graph"], w, s.children.size());
    return s;
  }
};

// ---- building --------------------------------------------------------------------------------------
bool same_value(const nn::ConfigValue& a, const nn::ConfigValue& b) {
  if (a.index() != b.index()) return false;
  auto eq = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  if (const double* x = std::get_if<double>(&a)) return eq(*x, std::get<double>(b));
  if (const auto* xs = std::get_if<std::vector<double>>(&a)) {
    const auto& ys = std::get<std::vector<double>>(b);
    if (xs->size() != ys.size()) return false;
    for (size_t i = 0; i < xs->size(); ++i)
      if (!eq((*xs)[i], ys[i])) return false;
    return true;
  }
  return a == b;
}

const char* kind_name(const nn::ConfigValue& v) {
  static const char* kNames[] = {"bool", "int", "float", "string", "ints", "floats"};
  return kNames[v.index()];
}

struct Builder {
  const ContainerReader& r;

  [[noreturn]] void fail(const ModuleSpec& s, const std::string& msg) {
    throw FormatError(ember::detail::str_cat(r.where(), describe(s.path), " (", s.type, "): ", msg));
  }

  nn::ModulePtr create(const ModuleSpec& s) {
    const auto& reg = nn::Registry::global();
    const auto known = reg.module_types();
    if (std::find(known.begin(), known.end(), s.type) == known.end()) {
      std::string list;
      for (const auto& t : known) list += (list.empty() ? "" : ", ") + t;
      throw FormatError(ember::detail::str_cat(
          r.where(), describe(s.path), " has unknown type '", s.type, "' (this build knows nn.Graph, ", list,
          "). Hint: the file comes from a newer Ember, or the type is a custom module: register it with "
          "nn::Registry::global().add_module() before loading"));
    }
    nn::ModulePtr m;
    try {
      m = reg.create_module(s.type, s.config);
    } catch (const std::exception& e) {
      fail(s, std::string("cannot be built from the options in the file: ") + e.what());
    }
    const nn::Config actual = m->config();
    for (const auto& [k, v] : s.config) {
      auto it = std::find_if(actual.begin(), actual.end(), [&](const auto& kv) { return kv.first == k; });
      if (it == actual.end()) fail(s, "unknown option '" + k + "'");
      if (!same_value(it->second, v))
        fail(s, ember::detail::str_cat("option '", k, "' is ", config_value_str(v), " (", kind_name(v),
                                       ") in the file but the module built from it reports ",
                                       config_value_str(it->second), " (", kind_name(it->second), ")"));
    }
    if (!m->named_children().empty()) fail(s, "the module built from its options has children of its own");
    return m;
  }

  void add_child(const ModuleSpec& s, nn::Module& parent, const ModuleSpec& cs, nn::ModulePtr child) {
    try {
      if (auto* mt = dynamic_cast<nn::MapTable*>(&parent)) mt->add(std::move(child));
      else if (auto* c = dynamic_cast<nn::Container*>(&parent)) c->add(std::move(child));
      else fail(s, "has children in the file, but this type holds none");
    } catch (const FormatError&) {
      throw;
    } catch (const std::exception& e) {
      fail(s, std::string("cannot add child '") + cs.key + "': " + e.what());
    }
    if (parent.named_children().back().first != cs.key)
      fail(s, "child '" + cs.key + "' gets the key '" + parent.named_children().back().first +
                  "' when added (its name is '" + cs.name + "')");
  }

  nn::ModulePtr build_graph(const ModuleSpec& s, const std::vector<nn::ModulePtr>& children) {
    const GraphSpec& g = *s.graph;
    std::vector<nn::NodePtr> nodes, ins, outs;
    nn::ModulePtr graph;
    try {
      for (const GraphNodeSpec& n : g.nodes) {
        if (n.input) {
          nodes.push_back(nn::Input(n.name));
          continue;
        }
        std::vector<nn::NodePtr> preds;
        for (size_t i : n.inputs) preds.push_back(nodes[i]);
        nodes.push_back(nn::apply(children[n.child], std::move(preds)));
      }
      for (size_t i : g.inputs) ins.push_back(nodes[i]);
      for (size_t i : g.outputs) outs.push_back(nodes[i]);
      graph = std::make_shared<nn::Graph>(ins, outs);
    } catch (const std::exception& e) {
      fail(s, std::string("the graph cannot be built: ") + e.what());
    }
    const auto& order = static_cast<nn::Graph&>(*graph).nodes();
    if (order.size() != nodes.size()) fail(s, "the graph lists nodes that no output depends on");
    for (size_t i = 0; i < nodes.size(); ++i)
      if (order[i] != nodes[i]) fail(s, "graph node " + std::to_string(i) + " is not in the graph's visiting order");
    const auto& kids = graph->named_children();
    if (kids.size() != children.size()) fail(s, "the graph uses fewer modules than its children list");
    for (size_t c = 0; c < kids.size(); ++c)
      if (kids[c].second != children[c] || kids[c].first != s.children[c].key)
        fail(s, "child " + std::to_string(c) + " ('" + s.children[c].key + "') is not the graph's child " +
                    std::to_string(c) + " ('" + kids[c].first + "')");
    return graph;
  }

  void load_tensor(const ModuleSpec& s, const TensorRef& ref, Tensor* value, Tensor* grad, bool parameter) {
    const std::string what = (parameter ? "parameter '" : "buffer '") + join(s.path, ref.name) + "'";
    if (ref.tensor < 0) {
      if (value->defined())
        fail(s, what + " is absent in the file, but the module built from its options has it with shape " +
                    shape_str(value->shape()));
      return;
    }
    Tensor t = r.tensor(static_cast<size_t>(ref.tensor));
    if (!value->defined()) fail(s, what + " is in the file, but the module built from its options has none");
    if (t.shape() != value->shape())
      fail(s, what + " has shape " + shape_str(t.shape()) + " in the file, but the module built from its options has " +
                  shape_str(value->shape()));
    if (parameter && t.dtype() != DType::Float32 && t.dtype() != DType::Float64)
      fail(s, what + " has dtype " + std::string(dtype_name(t.dtype())) + ": expected float32 or float64");
    if (t.dtype() == value->dtype()) {
      value->copy_(t);
      return;
    }
    *value = t;
    if (grad) *grad = Tensor::zeros(t.shape(), t.dtype());
  }

  nn::ModulePtr build(const ModuleSpec& s) {
    std::vector<nn::ModulePtr> children;
    for (const ModuleSpec& cs : s.children) children.push_back(build(cs));
    nn::ModulePtr m;
    if (s.graph) {
      if (!s.config.empty()) fail(s, "a graph has no options, but the file lists some");
      for (size_t c = 0; c < children.size(); ++c) children[c]->set_name(s.children[c].name);
      m = build_graph(s, children);
    } else {
      m = create(s);
      for (size_t c = 0; c < children.size(); ++c) {
        children[c]->set_name(s.children[c].name);
        add_child(s, *m, s.children[c], children[c]);
      }
    }
    OwnTensors own = own_tensors(*m);
    auto names = [](const auto& xs) {
      std::string out;
      for (const auto& x : xs) out += (out.empty() ? "" : ", ") + x.name;
      return "[" + out + "]";
    };
    std::vector<TensorRef> have_p, have_b;
    for (const auto& p : own.parameters) have_p.push_back({p.name, 0, false});
    for (const auto& b : own.buffers) have_b.push_back({b.first, 0, false});
    if (names(have_p) != names(s.parameters))
      fail(s, "the file lists parameters " + names(s.parameters) + ", but the module built from its options has " +
                  names(have_p));
    if (names(have_b) != names(s.buffers))
      fail(s, "the file lists buffers " + names(s.buffers) + ", but the module built from its options has " +
                  names(have_b));
    for (size_t i = 0; i < own.parameters.size(); ++i)
      load_tensor(s, s.parameters[i], own.parameters[i].value, own.parameters[i].grad, true);
    for (size_t i = 0; i < own.buffers.size(); ++i) load_tensor(s, s.buffers[i], own.buffers[i].second, nullptr, false);
    for (const TensorRef& ref : s.parameters) {
      if (ref.frozen) m->freeze({ref.name});
      if (ref.regularizer.active()) m->set_regularizer(ref.name, ref.regularizer);
    }
    return m;
  }

  // Pre-order, so that a container's recursive training()/set_propagate_back() is overridden by
  // each descendant's own saved value.
  void apply_flags(const ModuleSpec& s, nn::Module& m) {
    if (s.training) m.training();
    else m.evaluate();
    m.set_propagate_back(s.propagate_back);
    for (size_t c = 0; c < s.children.size(); ++c) apply_flags(s.children[c], *m.named_children()[c].second);
  }
};

void tree_into(const ModuleSpec& s, std::string& out, int indent) {
  out += s.type + "(";
  bool first = true;
  for (const auto& [k, v] : s.config) {
    out += (first ? "" : ", ") + k + "=" + config_value_str(v);
    first = false;
  }
  if (s.children.empty()) {
    out += ")";
    return;
  }
  out += "\n";
  for (const ModuleSpec& c : s.children) {
    out += std::string(indent + 2, ' ') + "(" + c.key + "): ";
    tree_into(c, out, indent + 2);
    out += "\n";
  }
  out += std::string(indent, ' ') + ")";
}

}  // namespace

OwnTensors own_tensors(nn::Module& m) {
  OwnTensors out;
  out.parameters = m.named_parameters();
  out.buffers = m.named_buffers();
  // named_parameters()/named_buffers() list the module's own entries first, then its children's.
  size_t np = 0, nb = 0;
  for (const auto& [k, c] : m.named_children()) {
    np += c->named_parameters().size();
    nb += c->named_buffers().size();
  }
  out.parameters.resize(out.parameters.size() - np);
  out.buffers.resize(out.buffers.size() - nb);
  return out;
}

ModuleSpec parse_model_spec(const ContainerReader& r) {
  Parser p{r, std::vector<bool>(r.entries().size(), false)};
  ModuleSpec spec = p.parse_module(field(r, r.header(), "model", "the header"), "", "", 0);
  for (size_t i = 0; i < p.used.size(); ++i)
    EMBER_CHECK_FORMAT(p.used[i], r.where(), "tensor '", r.entries()[i].name,
                       "' is not referred to by any parameter or buffer");
  return spec;
}

nn::ModulePtr build_model(const ContainerReader& r) {
  const std::string kind = get_string(r, field(r, r.header(), "kind", "the header"), "the header's 'kind'");
  EMBER_CHECK_FORMAT(kind == "model", r.where(), "the file holds '", kind,
                     "', not a model. Hint: read state files with io::load_state");
  const ModuleSpec spec = parse_model_spec(r);
  Builder b{r};
  nn::ModulePtr m = b.build(spec);
  m->set_name(spec.name);
  b.apply_flags(spec, *m);
  return m;
}

std::string spec_tree(const ModuleSpec& spec) {
  std::string out;
  tree_into(spec, out, 0);
  return out;
}

void spec_parameter_totals(const ContainerReader& r, const ModuleSpec& spec, int64_t& count, uint64_t& bytes) {
  for (const TensorRef& p : spec.parameters) {
    if (p.tensor < 0) continue;
    const TensorEntry& e = r.entries()[static_cast<size_t>(p.tensor)];
    count += e.shape.numel();
    bytes += e.nbytes;
  }
  for (const ModuleSpec& c : spec.children) spec_parameter_totals(r, c, count, bytes);
}

std::string config_value_str(const nn::ConfigValue& v) {
  std::ostringstream os;
  // Shortest text that reads back to the same double.
  auto real = [](double x) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof(buf), x);
    return std::string(buf, res.ptr);
  };
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) os << (x ? "true" : "false");
        else if constexpr (std::is_same_v<T, std::string>) os << "'" << x << "'";
        else if constexpr (std::is_same_v<T, int64_t>) os << x;
        else if constexpr (std::is_same_v<T, double>) os << real(x);
        else {
          os << '[';
          for (size_t i = 0; i < x.size(); ++i) {
            os << (i ? ", " : "");
            if constexpr (std::is_same_v<T, std::vector<double>>) os << real(x[i]);
            else os << x[i];
          }
          os << ']';
        }
      },
      v);
  return os.str();
}

}  // namespace ember::io::detail
