// Concat, ConcatTable and Graph against PyTorch on the network of tools/fixtures/gen_containers.py:
//   a = fa(x); b = fb(x); c = fc(tanh(a + b)); d = fd(x); output = cat([c, d], dim=1)
#include <gtest/gtest.h>

#include <map>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/all.h"
#include "ember/tensor/ops.h"
#include "nn/containers/test_modules.h"

namespace ember::nn {
namespace {

using testmods::SumTable;
using testmods::Tanh;

struct Layers {
  std::map<std::string, std::shared_ptr<Linear>> fc;
  explicit Layers(const test::Fixture& f) {
    const std::map<std::string, std::pair<int64_t, int64_t>> sizes{{"fa", {4, 5}}, {"fb", {4, 5}}, {"fc", {5, 2}},
                                                                   {"fd", {4, 3}}};
    for (const auto& [name, io] : sizes) {
      auto m = std::make_shared<Linear>(LinearOptions{.in_features = io.first, .out_features = io.second});
      m->to(DType::Float64);
      m->weight().copy_(f.get(name + ".weight"));
      m->bias().copy_(f.get(name + ".bias"));
      m->set_name(name);
      fc[name] = m;
    }
  }
  void expect_grads_match(const test::Fixture& f) {
    for (auto& [name, m] : fc) {
      EXPECT_LT(max_abs_diff(m->grad_weight(), f.get(name + ".grad_weight")), 1e-12) << name;
      EXPECT_LT(max_abs_diff(m->grad_bias(), f.get(name + ".grad_bias")), 1e-12) << name;
    }
  }
};

TEST(TwoBranchNetworkTest, NestedContainersMatchPyTorch) {
  const auto f = test::load_fixture("nn/containers_two_branch");
  Layers l(f);
  auto sum_branch = std::make_shared<Sequential>(std::vector<ModulePtr>{
      std::make_shared<ConcatTable>(std::vector<ModulePtr>{l.fc["fa"], l.fc["fb"]}), std::make_shared<SumTable>(),
      std::make_shared<Tanh>(), l.fc["fc"]});
  Concat net(ConcatOptions{.dim = 1}, {sum_branch, l.fc["fd"]});
  EXPECT_LT(max_abs_diff(net.forward(f.get("input")).tensor(), f.get("output")), 1e-12);
  net.zero_grad_parameters();
  EXPECT_LT(max_abs_diff(net.backward(f.get("input"), f.get("grad_output")).tensor(), f.get("grad_input")), 1e-12);
  l.expect_grads_match(f);
  EXPECT_EQ(net.named_parameters()[0].name, "0.0.fa.weight");
}

TEST(TwoBranchNetworkTest, GraphMatchesPyTorch) {
  const auto f = test::load_fixture("nn/containers_two_branch");
  Layers l(f);
  auto x = Input("x");
  auto a = apply(l.fc["fa"], {x});
  auto b = apply(l.fc["fb"], {x});
  auto s = apply(std::make_shared<SumTable>(), {a, b});
  auto c = apply(l.fc["fc"], {apply(std::make_shared<Tanh>(), {s})});
  auto d = apply(l.fc["fd"], {x});
  Graph net({x}, {c, d});
  const Tensor& y = f.get("output");
  const Table& out = net.forward(f.get("input")).table();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_LT(max_abs_diff(out[0].tensor(), y.narrow(1, 0, 2)), 1e-12);
  EXPECT_LT(max_abs_diff(out[1].tensor(), y.narrow(1, 2, 3)), 1e-12);
  const Tensor& gy = f.get("grad_output");
  net.zero_grad_parameters();
  const Activity& gx = net.backward(f.get("input"), Table{gy.narrow(1, 0, 2).contiguous(), gy.narrow(1, 2, 3).contiguous()});
  EXPECT_LT(max_abs_diff(gx.tensor(), f.get("grad_input")), 1e-12);
  l.expect_grads_match(f);
}

}  // namespace
}  // namespace ember::nn
