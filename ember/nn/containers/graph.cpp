#include "ember/nn/containers/graph.h"

#include <unordered_map>
#include <unordered_set>

#include "ember/nn/containers/activity_ops.h"

namespace ember::nn {

// ---- nodes -------------------------------------------------------------------------------------
NodePtr Node::create(ModulePtr module, std::vector<NodePtr> inputs) {
  EMBER_CHECK(module != nullptr, "[", Graph::kTypeName, "] cannot create a node: the module is null");
  EMBER_CHECK(!inputs.empty(), "[", Graph::kTypeName, "] the node for ", module->type_name(),
              " needs at least one input node, got none. Hint: start the graph with Input()");
  for (size_t i = 0; i < inputs.size(); ++i)
    EMBER_CHECK(inputs[i] != nullptr, "[", Graph::kTypeName, "] input ", i, " of the node for ", module->type_name(),
                " is null");
  return NodePtr(new Node(std::move(module), std::move(inputs), ""));
}

NodePtr Node::input(std::string name) { return NodePtr(new Node(nullptr, {}, std::move(name))); }

std::string Node::describe() const {
  if (is_input()) return name_.empty() ? "Input" : "Input '" + name_ + "'";
  std::string s(module_->type_name());
  if (!module_->name().empty()) s += " '" + module_->name() + "'";
  return s;
}

NodePtr Input(std::string name) { return Node::input(std::move(name)); }
NodePtr apply(ModulePtr module, std::vector<NodePtr> inputs) { return Node::create(std::move(module), std::move(inputs)); }

// ---- construction: validate, sort topologically once --------------------------------------------
Graph::Graph(std::vector<NodePtr> inputs, std::vector<NodePtr> outputs)
    : inputs_(std::move(inputs)), outputs_(std::move(outputs)) {
  EMBER_CHECK(!inputs_.empty(), "[", kTypeName, "] needs at least one input node, got none");
  EMBER_CHECK(!outputs_.empty(), "[", kTypeName, "] needs at least one output node, got none");
  std::unordered_map<const Node*, int> input_pos;
  for (size_t j = 0; j < inputs_.size(); ++j) {
    EMBER_CHECK(inputs_[j] != nullptr, "[", kTypeName, "] graph input ", j, " is null");
    EMBER_CHECK(inputs_[j]->is_input(), "[", kTypeName, "] graph input ", j, " is a module node (",
                inputs_[j]->describe(), "): expected a node made by Input()");
    auto [it, fresh] = input_pos.emplace(inputs_[j].get(), static_cast<int>(j));
    EMBER_CHECK(fresh, "[", kTypeName, "] graph input ", j, " is the same node as graph input ", it->second,
                ": expected each Input() once");
  }

  // Depth-first post-order from the outputs (iterative: deep graphs must not exhaust the stack).
  std::unordered_map<const Node*, int> index;
  std::unordered_set<const Node*> on_path;
  for (size_t k = 0; k < outputs_.size(); ++k) {
    EMBER_CHECK(outputs_[k] != nullptr, "[", kTypeName, "] output ", k, " is null");
    if (index.count(outputs_[k].get())) continue;
    std::vector<std::pair<NodePtr, size_t>> stack{{outputs_[k], 0}};
    on_path.insert(outputs_[k].get());
    while (!stack.empty()) {
      const NodePtr node = stack.back().first;
      const size_t next = stack.back().second;
      if (next < node->inputs().size()) {
        ++stack.back().second;
        const NodePtr& p = node->inputs()[next];
        if (index.count(p.get())) continue;
        EMBER_INTERNAL_ASSERT(!on_path.count(p.get()), "nodes form a cycle, which Node::create cannot build");
        on_path.insert(p.get());
        stack.emplace_back(p, 0);
        continue;
      }
      if (node->is_input()) {
        EMBER_CHECK(input_pos.count(node.get()), "[", kTypeName, "] output ", k, " (", outputs_[k]->describe(),
                    ") is not reachable from the graph inputs: it depends on an Input() node that is not among "
                    "them (", node->describe(), "). Hint: list every Input() the outputs use in the graph inputs");
      }
      index[node.get()] = static_cast<int>(nodes_.size());
      nodes_.push_back(node);
      on_path.erase(node.get());
      stack.pop_back();
    }
  }
  for (size_t j = 0; j < inputs_.size(); ++j)
    EMBER_CHECK(index.count(inputs_[j].get()), "[", kTypeName, "] graph input ", j, " (", inputs_[j]->describe(),
                ") is not used by any output: expected every graph input to feed at least one output node");

  // Children in topological order; each module may appear in one node only.
  info_.resize(nodes_.size());
  input_at_.resize(inputs_.size());
  std::unordered_map<const Module*, std::string> module_key;
  int child = 0;
  for (size_t n = 0; n < nodes_.size(); ++n) {
    const Node& node = *nodes_[n];
    Info& info = info_[n];
    for (const NodePtr& p : node.inputs()) info.preds.push_back(index.at(p.get()));
    if (node.is_input()) {
      info.input_index = input_pos.at(&node);
      input_at_[static_cast<size_t>(info.input_index)] = static_cast<int>(n);
      continue;
    }
    const ModulePtr& m = node.module();
    const std::string key = m->name().empty() ? std::to_string(child) : m->name();
    auto [it, fresh] = module_key.emplace(m.get(), key);
    EMBER_CHECK(fresh, "[", kTypeName, "] module ", m->type_name(), " is used by two nodes (child keys '", it->second,
                "' and '", key, "'): expected each module in one node only. Hint: weights are not shared between "
                "nodes; create a second module");
    register_module(key, m);
    info.child = child++;
  }
  for (size_t n = 0; n < nodes_.size(); ++n)
    for (size_t s = 0; s < info_[n].preds.size(); ++s)
      info_[info_[n].preds[s]].sources.push_back({static_cast<int>(n), static_cast<int>(s)});
  for (size_t k = 0; k < outputs_.size(); ++k) {
    const int n = index.at(outputs_[k].get());
    output_index_.push_back(n);
    info_[n].sources.push_back({-1, static_cast<int>(k)});
  }
}

std::string Graph::key_of(const NodePtr& node) const {
  for (size_t n = 0; n < nodes_.size(); ++n)
    if (nodes_[n] == node) return info_[n].child < 0 ? "" : named_children()[info_[n].child].first;
  throw ValueError(ember::detail::str_cat("[", kTypeName, ".key_of] the node (", node ? node->describe() : "null",
                                          ") is not part of this graph"));
}

// ---- forward -----------------------------------------------------------------------------------
void Graph::bind_inputs(const Activity& input) {
  if (inputs_.size() == 1) {
    info_[static_cast<size_t>(input_at_[0])].out = &input;
    return;
  }
  const size_t k = inputs_.size();
  EMBER_CHECK_TYPE(input.is_table(), "the graph has ", k, " input nodes: expected a Table of ", k,
                   " inputs, got ", input.describe());
  EMBER_CHECK_SHAPE(input.table().size() == k, "input table size mismatch: expected ", k,
                    " elements (one per input node), got ", input.table().size());
  for (size_t j = 0; j < k; ++j) info_[static_cast<size_t>(input_at_[j])].out = &input.table()[j];
}

const Activity& Graph::node_input(size_t n) {
  Info& info = info_[n];
  if (info.preds.size() == 1) return *info_[info.preds[0]].out;
  if (!info.in_table.is_table()) info.in_table = Table();
  Table& t = info.in_table.table();
  if (t.size() != info.preds.size()) t.resize(info.preds.size());
  for (size_t s = 0; s < info.preds.size(); ++s) t[s] = *info_[info.preds[s]].out;
  return info.in_table;
}

const Activity& Graph::update_output(const Activity& input) {
  bind_inputs(input);
  for (size_t n = 0; n < nodes_.size(); ++n) {
    Info& info = info_[n];
    if (info.child < 0) continue;
    const Activity& x = node_input(n);
    in_child(info.child, [&](Module& m) { m.forward(x); });
    // The module's stored output, not forward's return value: backward reads it again after this
    // call's input (which a module might have returned by reference) is gone.
    info.out = &nodes_[n]->module()->output();
  }
  if (outputs_.size() == 1) {
    output_ = *info_[output_index_[0]].out;
  } else {
    if (!output_.is_table()) output_ = Table();
    Table& t = output_.table();
    if (t.size() != outputs_.size()) t.resize(outputs_.size());
    for (size_t k = 0; k < outputs_.size(); ++k) t[k] = *info_[output_index_[k]].out;
  }
  return output_;
}

// ---- backward ----------------------------------------------------------------------------------
void Graph::check_grad_output(const Activity& grad_output) const {
  if (outputs_.size() == 1) return;
  const size_t k = outputs_.size();
  EMBER_CHECK_TYPE(grad_output.is_table(), "the graph has ", k, " output nodes: expected grad_output to be a Table of ",
                   k, " gradients, got ", grad_output.describe());
  EMBER_CHECK_SHAPE(grad_output.table().size() == k, "grad_output table size mismatch: expected ", k,
                    " gradients (one per output node), got ", grad_output.table().size());
}

const Activity& Graph::source_grad(const GradSource& s, const Activity& grad_output) const {
  if (s.consumer < 0) return outputs_.size() == 1 ? grad_output : grad_output.table()[static_cast<size_t>(s.slot)];
  const Info& c = info_[static_cast<size_t>(s.consumer)];
  const Activity& gi = nodes_[static_cast<size_t>(s.consumer)]->module()->grad_input();
  if (c.preds.size() == 1) return gi;
  EMBER_CHECK_TYPE(gi.is_table() && gi.table().size() == c.preds.size(), "node '", named_children()[c.child].first,
                   "' (", nodes_[static_cast<size_t>(s.consumer)]->module()->type_name(), ") has ", c.preds.size(),
                   " input nodes, so its grad_input must be a Table of ", c.preds.size(), " gradients, got ",
                   gi.describe());
  return gi.table()[static_cast<size_t>(s.slot)];
}

const Activity& Graph::node_grad(size_t n, const Activity& grad_output) {
  Info& info = info_[n];
  EMBER_INTERNAL_ASSERT(!info.sources.empty(), "graph node ", n, " receives no gradient");
  if (info.sources.size() == 1) return source_grad(info.sources[0], grad_output);
  detail::copy_activity(info.grad_sum, source_grad(info.sources[0], grad_output));
  for (size_t s = 1; s < info.sources.size(); ++s) {
    const GradSource& src = info.sources[s];
    if (detail::SumMismatch m = detail::add_activity(info.grad_sum, source_grad(src, grad_output)))
      detail::throw_sum_mismatch(
          m, src.consumer < 0 ? ember::detail::str_cat("grad_output ", src.slot, " (for node ", nodes_[n]->describe(), ")")
                              : ember::detail::str_cat("the gradient node '",
                                                       named_children()[info_[src.consumer].child].first,
                                                       "' sends to node ", nodes_[n]->describe()));
  }
  return info.grad_sum;
}

const Activity& Graph::collect_grad_input(const Activity& grad_output) {
  const std::vector<int>& at = input_at_;
  if (inputs_.size() == 1) {
    grad_input_ = node_grad(static_cast<size_t>(at[0]), grad_output);
    return grad_input_;
  }
  if (!grad_input_.is_table()) grad_input_ = Table();
  Table& t = grad_input_.table();
  if (t.size() != inputs_.size()) t.resize(inputs_.size());
  for (size_t j = 0; j < inputs_.size(); ++j) t[j] = node_grad(static_cast<size_t>(at[j]), grad_output);
  return grad_input_;
}

const Activity& Graph::update_grad_input(const Activity& input, const Activity& grad_output) {
  check_grad_output(grad_output);
  bind_inputs(input);
  for (size_t n = nodes_.size(); n-- > 0;) {
    if (info_[n].child < 0) continue;
    const Activity& g = node_grad(n, grad_output);
    const Activity& x = node_input(n);
    in_child(info_[n].child, [&](Module& m) -> const Activity& { return m.update_grad_input(x, g); });
  }
  return collect_grad_input(grad_output);
}

void Graph::acc_grad_parameters(const Activity& input, const Activity& grad_output) {
  check_grad_output(grad_output);
  bind_inputs(input);
  for (size_t n = nodes_.size(); n-- > 0;) {
    if (info_[n].child < 0) continue;
    const Activity& g = node_grad(n, grad_output);
    const Activity& x = node_input(n);
    in_child(info_[n].child, [&](Module& m) { m.acc_grad_parameters(x, g); });
  }
}

const Activity& Graph::backward(const Activity& input, const Activity& grad_output) {
  return with_context([&]() -> const Activity& {
    check_grad_output(grad_output);
    bind_inputs(input);
    for (size_t n = nodes_.size(); n-- > 0;) {
      if (info_[n].child < 0) continue;
      const Activity& g = node_grad(n, grad_output);
      const Activity& x = node_input(n);
      in_child(info_[n].child, [&](Module& m) -> const Activity& { return m.backward(x, g); });
    }
    return propagate_back_ ? collect_grad_input(grad_output) : grad_input_;
  });
}

Module& Graph::set_propagate_back(bool propagate) {
  Module::set_propagate_back(propagate);
  for (const NodePtr& node : nodes_) {
    if (node->is_input()) continue;
    bool fed_by_inputs_only = true;
    for (const NodePtr& in : node->inputs()) fed_by_inputs_only = fed_by_inputs_only && in->is_input();
    if (fed_by_inputs_only) node->module()->set_propagate_back(propagate);
  }
  return *this;
}

}  // namespace ember::nn
