#pragma once
/// Graph: a model whose modules form a directed acyclic graph of nodes (BigDL: Graph/StaticGraph).
///
/// Build the nodes with `Input()` (a graph input placeholder) and `apply(module, {nodes...})`
/// (the module applied to the outputs of those nodes), then wrap inputs and outputs in a Graph:
///
///   auto x  = Input();
///   auto a  = apply(std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 8}), {x});
///   auto b  = apply(std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 8}), {x});
///   auto c  = apply(std::make_shared<CAddTable>(), {a, b});       // gets Table{a's output, b's output}
///   auto model = std::make_shared<Graph>(std::vector<NodePtr>{x}, std::vector<NodePtr>{c});
///   const Tensor& y = model->forward(input).tensor();
///
/// (BigDL writes `Linear(...).inputs(x)`; the DESIGN's `Linear(...)(x)` becomes `apply(linear, {x})`.)

#include <memory>
#include <string>
#include <vector>

#include "ember/nn/container.h"

namespace ember::nn {

class Node;
using NodePtr = std::shared_ptr<Node>;

/// A vertex of a Graph: a module applied to the outputs of its input nodes, or a graph input
/// placeholder (no module). A node is immutable once created and only points at nodes that existed
/// before it, so nodes can never form a cycle.
class Node {
 public:
  /// A node applying `module` to the outputs of `inputs` (at least one; the module gets a Table
  /// of their outputs, in this order, when there are several). ValueError for a null module,
  /// a null input or no inputs.
  static NodePtr create(ModulePtr module, std::vector<NodePtr> inputs);
  /// A graph input placeholder; `name` only appears in messages.
  static NodePtr input(std::string name = "");

  /// True for a graph input placeholder (made by Input()).
  bool is_input() const { return module_ == nullptr; }
  /// The module (nullptr for an input placeholder).
  const ModulePtr& module() const { return module_; }
  /// The nodes whose outputs this node consumes, in order (empty for an input placeholder).
  const std::vector<NodePtr>& inputs() const { return inputs_; }
  /// The placeholder's name given to Input() (may be empty).
  const std::string& name() const { return name_; }
  /// "Input 'x'", "Input", or "nn.Linear 'fc1'" for messages.
  std::string describe() const;

 private:
  Node(ModulePtr module, std::vector<NodePtr> inputs, std::string name)
      : module_(std::move(module)), inputs_(std::move(inputs)), name_(std::move(name)) {}
  ModulePtr module_;
  std::vector<NodePtr> inputs_;
  std::string name_;
};

/// A graph input placeholder (BigDL: Input()).
NodePtr Input(std::string name = "");
/// A node applying `module` to the outputs of `inputs` (BigDL: module.inputs(...)); same as Node::create.
NodePtr apply(ModulePtr module, std::vector<NodePtr> inputs);

/// A DAG of modules, run in a topological order fixed at construction.
///
/// Input: a Tensor (or any activity) when the graph has one input node, else a Table with one
/// element per input node, in the order given. Output: the output node's activity when there is one
/// output node, else a Table in the order given. A node with several input nodes receives a Table of
/// their outputs. Backward runs in reverse topological order; where a node feeds several consumers
/// (or is listed as an output more than once) the gradients reaching it are summed into a buffer
/// the graph owns and reuses. Each module node is a child with key = the module's name() when set,
/// else its index among the module nodes in topological order ("0", "1", ...), so
/// named_parameters() reads "fc1.weight" and errors read `[nn.Linear 'fc1'] ...`.
///
/// Construction raises ValueError when a graph input is not an Input() node or is listed twice,
/// when an output depends on an Input() that is not a graph input, when a graph input is not used
/// by any output, and when a module appears in two nodes (weights are not shared between nodes:
/// create a second module). BigDL: Graph (StaticGraph).
class Graph final : public Container {
 public:
  static constexpr std::string_view kTypeName = "nn.Graph";
  Graph(std::vector<NodePtr> inputs, std::vector<NodePtr> outputs);
  std::string_view type_name() const override { return kTypeName; }

  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  void acc_grad_parameters(const Activity& input, const Activity& grad_output) override;
  /// Each module node's backward once, in reverse topological order.
  const Activity& backward(const Activity& input, const Activity& grad_output) override;
  /// Passes the flag to the nodes whose inputs are all graph inputs.
  Module& set_propagate_back(bool propagate) override;

  /// Every node of the graph in topological order (inputs before their consumers).
  const std::vector<NodePtr>& nodes() const { return nodes_; }
  const std::vector<NodePtr>& input_nodes() const { return inputs_; }
  const std::vector<NodePtr>& output_nodes() const { return outputs_; }
  /// The child key of a node's module ("fc1", "3"); empty for an input node. ValueError when the
  /// node is not part of this graph.
  std::string key_of(const NodePtr& node) const;

 private:
  // Where a node's gradient comes from: element `slot` of consumer node `consumer`'s grad_input,
  // or (consumer < 0) element `slot` of the graph's grad_output.
  struct GradSource {
    int consumer;
    int slot;
  };
  struct Info {
    int child = -1;        // index among the children (module nodes)
    int input_index = -1;  // position among the graph inputs (input nodes)
    std::vector<int> preds;             // topological indices of the input nodes
    std::vector<GradSource> sources;    // who sends this node a gradient
    const Activity* out = nullptr;      // this node's output in the current pass
    Activity in_table;                  // Table of the inputs' outputs (nodes with several inputs)
    Activity grad_sum;                  // summed gradient (nodes with several sources)
  };

  using Container::add;  // children come from the nodes only

  void bind_inputs(const Activity& input);
  const Activity& node_input(size_t n);
  void check_grad_output(const Activity& grad_output) const;
  const Activity& source_grad(const GradSource& s, const Activity& grad_output) const;
  /// The gradient w.r.t. node n's output (summing its sources when there are several).
  const Activity& node_grad(size_t n, const Activity& grad_output);
  const Activity& collect_grad_input(const Activity& grad_output);

  std::vector<NodePtr> inputs_, outputs_, nodes_;
  std::vector<int> output_index_;  // topological index of each output node
  std::vector<int> input_at_;      // topological index of each graph input
  std::vector<Info> info_;
};

}  // namespace ember::nn
