// A save/load round trip for every module type in nn::Registry: the loaded module gives the same
// output in evaluate mode and re-saves byte-identically. A type added to the registry without a
// case here fails RegistryRoundTrip.EveryRegisteredTypeHasACase.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "ember/io/model_file.h"
#include "ember/nn/all.h"
#include "ember/nn/registry.h"
#include "io/io_test_util.h"

namespace ember {
namespace {

using nn::Activity;
using nn::Config;
using nn::ModulePtr;
using nn::Table;

struct Case {
  std::function<ModulePtr()> make;
  std::function<Activity()> input;
};

int64_t I(int64_t v) { return v; }
std::vector<int64_t> V(std::initializer_list<int64_t> v) { return v; }

Tensor randn(const Shape& s, uint64_t seed = 7) {
  Generator g(seed);
  return Tensor::randn(s, DType::Float32, &g);
}

ModulePtr make(const std::string& type, const Config& c = {}) { return nn::Registry::global().create_module(type, c); }

// Layers are built through the registry from a Config, as the loader does.
Case layer(const std::string& type, Config c, std::function<Activity()> input) {
  return {[type, c] { return make(type, c); }, std::move(input)};
}
std::function<Activity()> T(Shape s) {
  return [s] { return Activity(randn(s)); };
}
std::function<Activity()> pair_of(Shape a, Shape b) {
  return [a, b] { return Activity(Table{randn(a, 1), randn(b, 2)}); };
}

ModulePtr linear(int64_t in, int64_t out) {
  return make("nn.Linear", {{"in_features", I(in)}, {"out_features", I(out)}});
}

std::map<std::string, Case> cases() {
  std::map<std::string, Case> m;
  m["nn.Linear"] = layer("nn.Linear", {{"in_features", I(4)}, {"out_features", I(3)}, {"bias", true}}, T({2, 4}));
  m["nn.Identity"] = layer("nn.Identity", {}, T({2, 3}));
  m["nn.Reshape"] = layer("nn.Reshape", {{"size", V({3, 2})}}, T({2, 6}));
  m["nn.View"] = layer("nn.View", {{"sizes", V({-1, 12})}}, T({2, 3, 4}));
  m["nn.Flatten"] = layer("nn.Flatten", {{"start_dim", I(1)}}, T({2, 3, 4}));
  m["nn.Transpose"] = layer("nn.Transpose", {{"dim0", I(1)}, {"dim1", I(2)}}, T({2, 3, 4}));
  m["nn.Squeeze"] = layer("nn.Squeeze", {{"dim", V({1})}}, T({2, 1, 3}));
  m["nn.Unsqueeze"] = layer("nn.Unsqueeze", {{"dim", I(1)}}, T({2, 3}));
  m["nn.Narrow"] = layer("nn.Narrow", {{"dim", I(1)}, {"start", I(1)}, {"length", I(2)}}, T({2, 4}));
  m["nn.Padding"] = layer("nn.Padding", {{"dim", I(1)}, {"pad_before", I(1)}, {"pad_after", I(2)}, {"value", 0.5}}, T({2, 3}));
  m["nn.Select"] = layer("nn.Select", {{"dim", I(1)}, {"index", I(2)}}, T({2, 4}));
  m["nn.SpatialZeroPadding"] = layer(
      "nn.SpatialZeroPadding", {{"pad_left", I(1)}, {"pad_right", I(2)}, {"pad_top", I(0)}, {"pad_bottom", I(1)}},
      T({1, 2, 3, 3}));
  m["nn.UpSampling2d"] = layer("nn.UpSampling2d", {{"size", V({2, 3})}}, T({1, 2, 2, 2}));
  m["nn.JoinTable"] = layer("nn.JoinTable", {{"dim", I(1)}}, pair_of({2, 3}, {2, 2}));
  m["nn.SplitTable"] = layer("nn.SplitTable", {{"dim", I(1)}}, T({2, 3}));
  m["nn.SelectTable"] = layer("nn.SelectTable", {{"index", I(1)}}, pair_of({2, 3}, {2, 2}));
  m["nn.CAddTable"] = layer("nn.CAddTable", {}, pair_of({2, 3}, {2, 3}));
  m["nn.CMulTable"] = layer("nn.CMulTable", {}, pair_of({2, 3}, {2, 3}));
  m["nn.FlattenTable"] = layer("nn.FlattenTable", {}, [] {
    return Activity(Table{randn({2}), Activity(Table{randn({3}, 3), randn({1}, 4)})});
  });
  m["nn.Embedding"] = layer("nn.Embedding", {{"num_embeddings", I(10)}, {"embedding_dim", I(4)}, {"padding_idx", I(0)}},
                            [] { return Activity(Tensor::from_vector<int64_t>({1, 0, 9, 3, 3, 7}, {2, 3})); });
  m["nn.MaxPool2d"] = layer("nn.MaxPool2d", {{"kernel_size", V({2, 2})}}, T({1, 2, 4, 4}));
  m["nn.AvgPool2d"] = layer("nn.AvgPool2d", {{"kernel_size", V({2, 2})}, {"stride", V({1, 1})}, {"padding", V({1, 1})}},
                            T({1, 2, 4, 4}));
  m["nn.AdaptiveAvgPool2d"] = layer("nn.AdaptiveAvgPool2d", {{"output_size", V({2, 3})}}, T({1, 2, 5, 7}));
  m["nn.GlobalAvgPool2d"] = layer("nn.GlobalAvgPool2d", {}, T({1, 2, 3, 3}));
  m["nn.BatchNorm1d"] = layer("nn.BatchNorm1d", {{"num_features", I(3)}, {"eps", 1e-3}}, T({4, 3}));
  m["nn.BatchNorm2d"] = layer("nn.BatchNorm2d", {{"num_features", I(2)}, {"momentum", 0.2}}, T({2, 2, 3, 3}));
  m["nn.LayerNorm"] = layer("nn.LayerNorm", {{"normalized_shape", V({4})}}, T({2, 4}));
  m["nn.SpatialCrossMapLRN"] = layer("nn.SpatialCrossMapLRN", {{"size", I(3)}, {"alpha", 1e-2}}, T({1, 4, 3, 3}));
  m["nn.Conv1d"] = layer("nn.Conv1d", {{"in_channels", I(2)}, {"out_channels", I(3)}, {"kernel_size", I(3)}, {"padding", I(1)}},
                         T({2, 2, 5}));
  m["nn.Conv2d"] = layer("nn.Conv2d", {{"in_channels", I(2)}, {"out_channels", I(3)}, {"kernel_size", V({3, 2})},
                                       {"padding", V({1, 1})}},
                         T({1, 2, 5, 5}));
  m["nn.ConvTranspose2d"] = layer(
      "nn.ConvTranspose2d", {{"in_channels", I(2)}, {"out_channels", I(3)}, {"kernel_size", V({3, 3})}, {"stride", V({2, 2})}},
      T({1, 2, 3, 3}));
  m["nn.ReLU"] = layer("nn.ReLU", {}, T({2, 3}));
  m["nn.ReLU6"] = layer("nn.ReLU6", {}, T({2, 3}));
  m["nn.LeakyReLU"] = layer("nn.LeakyReLU", {{"negative_slope", 0.2}}, T({2, 3}));
  m["nn.PReLU"] = layer("nn.PReLU", {{"num_parameters", I(3)}, {"init", 0.1}}, T({2, 3}));
  m["nn.ELU"] = layer("nn.ELU", {{"alpha", 0.5}}, T({2, 3}));
  m["nn.Tanh"] = layer("nn.Tanh", {}, T({2, 3}));
  m["nn.Sigmoid"] = layer("nn.Sigmoid", {}, T({2, 3}));
  m["nn.HardTanh"] = layer("nn.HardTanh", {{"min_val", -0.5}, {"max_val", 0.5}}, T({2, 3}));
  m["nn.SoftPlus"] = layer("nn.SoftPlus", {{"beta", 2.0}}, T({2, 3}));
  m["nn.SoftSign"] = layer("nn.SoftSign", {}, T({2, 3}));
  m["nn.SoftMax"] = layer("nn.SoftMax", {{"dim", I(1)}}, T({2, 3}));
  m["nn.LogSoftMax"] = layer("nn.LogSoftMax", {{"dim", I(1)}}, T({2, 3}));
  m["nn.Dropout"] = layer("nn.Dropout", {{"p", 0.3}}, T({2, 3}));
  m["nn.Add"] = layer("nn.Add", {{"input_size", I(3)}}, T({2, 3}));
  m["nn.Mul"] = layer("nn.Mul", {}, T({2, 3}));
  m["nn.AddConstant"] = layer("nn.AddConstant", {{"constant_scalar", 1.5}}, T({2, 3}));
  m["nn.MulConstant"] = layer("nn.MulConstant", {{"scalar", 2.5}}, T({2, 3}));
  m["nn.CAdd"] = layer("nn.CAdd", {{"size", V({1, 3})}}, T({2, 3}));
  m["nn.CMul"] = layer("nn.CMul", {{"size", V({1, 3})}}, T({2, 3}));
  // Containers, with children.
  m["nn.Sequential"] = {[] {
                          auto s = std::make_shared<nn::Sequential>();
                          s->add(linear(4, 3)).add(make("nn.ReLU"));
                          return ModulePtr(s);
                        },
                        T({2, 4})};
  m["nn.Concat"] = {[] {
                      auto c = std::make_shared<nn::Concat>(nn::ConcatOptions{.dim = 1});
                      c->add(linear(4, 3)).add(linear(4, 2));
                      return ModulePtr(c);
                    },
                    T({2, 4})};
  m["nn.ConcatTable"] = {[] {
                           auto c = std::make_shared<nn::ConcatTable>();
                           c->add(linear(4, 3)).add(make("nn.Identity"));
                           return ModulePtr(c);
                         },
                         T({2, 4})};
  m["nn.ParallelTable"] = {[] {
                             auto p = std::make_shared<nn::ParallelTable>();
                             p->add(linear(3, 2)).add(make("nn.Tanh"));
                             return ModulePtr(p);
                           },
                           pair_of({2, 3}, {2, 2})};
  m["nn.MapTable"] = {[] { return ModulePtr(std::make_shared<nn::MapTable>(linear(3, 2))); }, pair_of({2, 3}, {4, 3})};
  return m;
}

TEST(RegistryRoundTrip, EveryRegisteredTypeHasACase) {
  const auto table = cases();
  for (const std::string& type : nn::Registry::global().module_types())
    EXPECT_TRUE(table.count(type)) << "no round-trip case for the registered type '" << type
                                   << "': add one to cases() in " << __FILE__;
  const auto known = nn::Registry::global().module_types();
  for (const auto& [type, c] : table)
    EXPECT_TRUE(std::find(known.begin(), known.end(), type) != known.end()) << "case for unregistered type " << type;
}

TEST(RegistryRoundTrip, EveryTypeGivesTheSameOutputAndTheSameBytes) {
  uint64_t seed = 1;
  for (const auto& [type, c] : cases()) {
    ModulePtr m = c.make();
    ASSERT_EQ(m->type_name(), type);
    test::randomize(*m, seed++);
    test::expect_round_trip(*m, c.input(), type);
  }
}

TEST(RegistryRoundTrip, EveryTypeInFloat64) {
  uint64_t seed = 100;
  for (const auto& [type, c] : cases()) {
    if (type == "nn.Embedding") continue;  // its input is indices, not float64 data
    ModulePtr m = c.make();
    m->to(DType::Float64);
    test::randomize(*m, seed++);
    std::function<Activity(const Activity&)> to64 = [&](const Activity& a) -> Activity {
      if (a.is_tensor()) return Activity(a.tensor().to(DType::Float64));
      std::vector<Activity> items;
      for (size_t i = 0; i < a.table().size(); ++i) items.push_back(to64(a.table()[i]));
      return Activity(Table(std::move(items)));
    };
    ModulePtr loaded = test::expect_round_trip(*m, to64(c.input()), type + " float64");
    for (auto& p : loaded->named_parameters()) EXPECT_EQ(p.value->dtype(), DType::Float64) << type << " " << p.name;
  }
}

}  // namespace
}  // namespace ember
