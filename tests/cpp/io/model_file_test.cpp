// Model files: nested containers, a multi-input multi-output Graph with a fan-out node, flags that
// survive a round trip, files on disk, header-only info and save errors.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/gradient_check.h"
#include "ember/io/model_file.h"
#include "ember/nn/all.h"
#include "ember/nn/registry.h"
#include "io/io_test_util.h"

namespace ember {
namespace {

using nn::Activity;
using nn::ModulePtr;
using nn::Table;

ModulePtr linear(int64_t in, int64_t out) {
  return std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = in, .out_features = out});
}

template <class M>
ModulePtr named(std::shared_ptr<M> m, const std::string& name) {
  m->set_name(name);
  return m;
}

// Sequential(Concat(Linear, Sequential(Linear, Tanh)), ConcatTable(...), ParallelTable(...),
// MapTable(Linear), CAddTable, Graph(Linear -> ReLU)): [N, 4] -> [N, 2].
ModulePtr nested_model() {
  auto inner = std::make_shared<nn::Sequential>();
  inner->add(linear(4, 2)).add(std::make_shared<nn::Tanh>());
  auto concat = std::make_shared<nn::Concat>(nn::ConcatOptions{.dim = 1});
  concat->add(linear(4, 3)).add(inner);
  auto proj = std::make_shared<nn::Sequential>();
  proj->add(named(std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 5, .out_features = 3}), "proj"))
      .add(std::make_shared<nn::Sigmoid>());
  auto table = std::make_shared<nn::ConcatTable>();
  table->add(linear(5, 3)).add(proj);
  auto parallel = std::make_shared<nn::ParallelTable>();
  parallel->add(std::make_shared<nn::ReLU>()).add(std::make_shared<nn::BatchNorm1d>(nn::BatchNormOptions{.num_features = 3}));
  auto x = nn::Input("x");
  auto g = std::make_shared<nn::Graph>(std::vector<nn::NodePtr>{x},
                                       std::vector<nn::NodePtr>{nn::apply(std::make_shared<nn::ReLU>(),
                                                                          {nn::apply(linear(2, 2), {x})})});
  auto model = std::make_shared<nn::Sequential>();
  model->add(named(concat, "features"))
      .add(table)
      .add(parallel)
      .add(std::make_shared<nn::MapTable>(linear(3, 2)))
      .add(std::make_shared<nn::CAddTable>())
      .add(named(g, "head"));
  return model;
}

// Two inputs, three outputs; node "shared" feeds three consumers and is itself an output.
ModulePtr graph_model() {
  auto a = nn::Input("a"), b = nn::Input("b");
  auto shared = nn::apply(named(std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 4, .out_features = 3}), "shared"), {a});
  auto r = nn::apply(std::make_shared<nn::ReLU>(), {shared});
  auto t = nn::apply(std::make_shared<nn::Tanh>(), {shared});
  auto sum = nn::apply(std::make_shared<nn::CAddTable>(), {r, t});
  auto joined = nn::apply(std::make_shared<nn::JoinTable>(nn::JoinTableOptions{.dim = 1}), {sum, b});
  auto out = nn::apply(linear(5, 2), {joined});
  return std::make_shared<nn::Graph>(std::vector<nn::NodePtr>{a, b}, std::vector<nn::NodePtr>{sum, out, shared});
}

Tensor randn(const Shape& s, uint64_t seed) {
  Generator g(seed);
  return Tensor::randn(s, DType::Float32, &g);
}

TEST(ModelFile, NestedContainersRoundTrip) {
  ModulePtr m = nested_model();
  test::randomize(*m, 3);
  ModulePtr loaded = test::expect_round_trip(*m, Activity(randn({4, 4}, 1)), "nested");
  EXPECT_NE(loaded->find("features.1.0"), nullptr);
  EXPECT_NE(loaded->find("1.1.proj"), nullptr);
  EXPECT_EQ(loaded->find("head")->type_name(), "nn.Graph");
  EXPECT_EQ(loaded->named_buffers().size(), 2u);  // the BatchNorm's running statistics
}

TEST(ModelFile, GraphWithTwoInputsThreeOutputsAndAFanOutNode) {
  ModulePtr m = graph_model();
  test::randomize(*m, 4);
  ModulePtr loaded = test::expect_round_trip(*m, Activity(Table{randn({2, 4}, 1), randn({2, 2}, 2)}), "graph");
  auto& g = dynamic_cast<nn::Graph&>(*loaded);
  ASSERT_EQ(g.input_nodes().size(), 2u);
  EXPECT_EQ(g.input_nodes()[0]->name(), "a");
  EXPECT_EQ(g.input_nodes()[1]->name(), "b");
  ASSERT_EQ(g.output_nodes().size(), 3u);
  EXPECT_EQ(g.output_nodes()[2]->module()->name(), "shared");
  EXPECT_EQ(g.nodes().size(), dynamic_cast<nn::Graph&>(*m).nodes().size());
  // The fan-out node keeps its three consumers: ReLU, Tanh and the graph output.
  int consumers = 0;
  for (const auto& n : g.nodes())
    for (const auto& p : n->inputs()) consumers += p == g.output_nodes()[2];
  EXPECT_EQ(consumers, 2);
}

TEST(ModelFile, FlagsSurvive) {
  ModulePtr m = nested_model();
  m->training();
  m->find("2")->evaluate();            // the ParallelTable (and its BatchNorm) in evaluate mode
  m->freeze({"features.0", "1.1.proj.bias"});
  m->set_propagate_back(false);        // reaches the first layer only
  m->find("head")->set_propagate_back(false);
  ModulePtr loaded = io::load_module_from_bytes(io::save_module_to_bytes(*m), "flags.ember");
  std::function<void(nn::Module&, nn::Module&, const std::string&)> same = [&](nn::Module& a, nn::Module& b,
                                                                               const std::string& path) {
    SCOPED_TRACE(path);
    EXPECT_EQ(a.is_training(), b.is_training());
    EXPECT_EQ(a.propagate_back(), b.propagate_back());
    EXPECT_EQ(a.name(), b.name());
    ASSERT_EQ(a.named_children().size(), b.named_children().size());
    for (size_t i = 0; i < a.named_children().size(); ++i)
      same(*a.named_children()[i].second, *b.named_children()[i].second, path + "." + a.named_children()[i].first);
  };
  same(*m, *loaded, "");
  EXPECT_FALSE(loaded->find("2.1")->is_training());
  EXPECT_TRUE(loaded->find("1")->is_training());
  EXPECT_FALSE(loaded->find("features.0")->propagate_back());
  auto pa = m->named_parameters(), pb = loaded->named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  int frozen = 0;
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(pa[i].name, pb[i].name);
    EXPECT_EQ(pa[i].frozen, pb[i].frozen) << pa[i].name;
    frozen += pb[i].frozen;
  }
  EXPECT_EQ(frozen, 3);  // features.0.weight, features.0.bias, 1.1.proj.bias
}

TEST(ModelFile, RegularizersSurvive) {
  ModulePtr m = nested_model();
  m->find("features.0")->set_regularizer("weight", {.l1 = 0.001, .l2 = 0.0005});
  m->find("features.0")->set_regularizer("bias", {.l2 = 0.25});
  const std::string bytes = io::save_module_to_bytes(*m);
  ModulePtr loaded = io::load_module_from_bytes(bytes, "reg.ember");
  EXPECT_EQ(loaded->find("features.0")->regularizer("weight"), (nn::Regularizer{0.001, 0.0005}));
  EXPECT_EQ(loaded->find("features.0")->regularizer("bias"), (nn::Regularizer{0.0, 0.25}));
  EXPECT_FALSE(loaded->find("features.1.0")->regularizer("weight").active());
  EXPECT_EQ(io::save_module_to_bytes(*loaded), bytes);
  // A model without regularizers writes no "regularizer" entry at all.
  EXPECT_EQ(io::save_module_to_bytes(*nested_model()).find("regularizer"), std::string::npos);
}

TEST(ModelFile, SaveAndLoadAFile) {
  test::TempDir dir;
  ModulePtr m = graph_model();
  const std::string path = dir.file("graph.ember");
  io::save_module(*m, path);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp." + std::to_string(::getpid())));
  ModulePtr loaded = io::load_module(path);
  EXPECT_EQ(loaded->num_parameters(), m->num_parameters());
  std::ifstream f(path, std::ios::binary);
  const std::string on_disk((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(on_disk == io::save_module_to_bytes(*m));
  // Saving over an existing file replaces it.
  io::save_module(*nested_model(), path);
  EXPECT_EQ(io::load_module(path)->type_name(), "nn.Sequential");
}

TEST(ModelFile, LayoutIsAlignedAndDeterministic) {
  ModulePtr m = nested_model();
  const std::string a = io::save_module_to_bytes(*m), b = io::save_module_to_bytes(*m);
  EXPECT_TRUE(a == b);
  EXPECT_EQ(a.substr(0, 8), "EMBERMDL");
  const auto header = test::read_header(a);
  const uint64_t data_start = (32 + header.dump().size() + 63) / 64 * 64;
  for (const auto& t : header["tensors"]) {
    EXPECT_EQ(t["offset"].get<uint64_t>() % 64, 0u) << t["name"];
    EXPECT_LE(data_start + t["offset"].get<uint64_t>() + t["nbytes"].get<uint64_t>(), a.size());
  }
}

TEST(ModelFile, InfoReadsTheHeaderOnly) {
  test::TempDir dir;
  ModulePtr m = nested_model();
  const std::string path = dir.file("m.ember");
  io::save_module(*m, path);
  const io::ModelInfo info = io::read_model_info(path);
  EXPECT_EQ(info.kind, "model");
  EXPECT_EQ(info.format_version, 1u);
  EXPECT_EQ(info.num_parameters, m->num_parameters());
  EXPECT_EQ(info.parameter_bytes, static_cast<uint64_t>(m->num_parameters()) * 4);
  EXPECT_EQ(info.file_bytes, std::filesystem::file_size(path));
  EXPECT_EQ(info.tensors.size(), m->named_parameters().size() + m->named_buffers().size());
  EXPECT_EQ(info.tensors[0].name, "features.0.weight");
  EXPECT_EQ(info.tensors[0].shape, Shape({3, 4}));
  EXPECT_NE(info.tree.find("(features): nn.Concat(dim=1\n"), std::string::npos) << info.tree;
  EXPECT_NE(info.tree.find("nn.Linear(in_features=4, out_features=3, bias=true)"), std::string::npos) << info.tree;
  EXPECT_NE(info.tree.find("nn.BatchNorm1d(num_features=3, eps=1e-05, momentum=0.1"), std::string::npos) << info.tree;
}

TEST(ModelFile, SpecialFloatOptionsRoundTrip) {
  auto m = std::make_shared<nn::HardTanh>(nn::HardTanhOptions{.min_val = -std::numeric_limits<double>::infinity(),
                                                              .max_val = 0.1});
  ModulePtr loaded = test::expect_round_trip(*m, Activity(randn({2, 3}, 1)), "inf option");
  EXPECT_EQ(std::get<double>(loaded->config()[0].second), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(std::get<double>(loaded->config()[1].second), 0.1);
}

TEST(ModelFile, SaveErrors) {
  test::TempDir dir;
  EXPECT_THROW_WITH(io::save_module(*graph_model(), dir.file("missing/sub/m.ember")), IOError,
                    dir.file("missing/sub/m.ember.tmp."));
  auto bad_name = linear(2, 2);
  bad_name->set_name("\xff\xfe");
  auto seq = std::make_shared<nn::Sequential>();
  seq->add(bad_name);
  EXPECT_THROW_WITH(io::save_module_to_bytes(*seq), ValueError, "UTF-8");
}

TEST(ModelFile, UnregisteredTypeCannotBeSaved) {
  struct Custom final : nn::TensorModule {
    std::string_view type_name() const override { return "test.Custom"; }
    const Tensor& update_output(const Tensor& x) override { return output_ = x; }
    const Tensor& update_grad_input(const Tensor&, const Tensor& g) override { return grad_input_ = g; }
  };
  auto seq = std::make_shared<nn::Sequential>();
  seq->add(linear(2, 2)).add(std::make_shared<Custom>());
  EXPECT_THROW_WITH(io::save_module_to_bytes(*seq), ValueError,
                    "cannot save module '1' of type 'test.Custom': the type is not in nn::Registry");
}

}  // namespace
}  // namespace ember
