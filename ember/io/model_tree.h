#pragma once
/// Internal: the module tree of a model file as plain data (ModuleSpec), parsed and validated from
/// the header before any module is built, and the builder that turns it into modules through
/// nn::Registry. Only ember/io's .cpp files include this.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ember/io/container_format.h"
#include "ember/nn/module.h"
#include "ember/nn/regularizer.h"

namespace ember::io::detail {

/// A module's own parameters and buffers (not its children's), in registration order.
struct OwnTensors {
  std::vector<nn::NamedParameter> parameters;
  std::vector<std::pair<std::string, Tensor*>> buffers;
};
OwnTensors own_tensors(nn::Module& m);

/// A parameter or buffer entry: its name in the module and its index in the tensor table (-1: the
/// module has this parameter undefined).
struct TensorRef {
  std::string name;
  int64_t tensor = -1;
  bool frozen = false;
  nn::Regularizer regularizer;  // parameters only; the header's optional "regularizer": [l1, l2]
};

struct GraphNodeSpec {
  bool input = false;
  std::string name;                 // input placeholders
  size_t child = 0;                 // module nodes: index into the graph's children
  std::vector<size_t> inputs;       // module nodes: indices of earlier nodes
};

struct GraphSpec {
  std::vector<GraphNodeSpec> nodes;  // topological order
  std::vector<size_t> inputs, outputs;
};

struct ModuleSpec {
  std::string key;   // the key in the parent ("" at the root)
  std::string path;  // dotted path from the root ("" at the root)
  std::string type, name;
  nn::Config config;
  bool training = true, propagate_back = true;
  std::vector<TensorRef> parameters, buffers;
  std::vector<ModuleSpec> children;
  std::shared_ptr<GraphSpec> graph;  // nn.Graph only
};

/// Parses and validates the header's "model" (structure, kinds, tensor references, each tensor
/// used once under the name its path gives). FormatError naming the file and the module path.
ModuleSpec parse_model_spec(const ContainerReader& r);
/// Parses, builds the modules, loads and checks every tensor, restores the flags.
nn::ModulePtr build_model(const ContainerReader& r);
/// The tree as text, one module per line ("  (0): nn.Linear(in_features=4, ...)").
std::string spec_tree(const ModuleSpec& spec);
/// Parameter elements and bytes over the tree.
void spec_parameter_totals(const ContainerReader& r, const ModuleSpec& spec, int64_t& count, uint64_t& bytes);
/// A config value as repr prints it ("true", "3", "[2, 2]", "'same'").
std::string config_value_str(const nn::ConfigValue& v);

}  // namespace ember::io::detail
