#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/nn/all.h"
#include "ember/tensor/ops.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::random_tensor;

ModulePtr linear(int64_t in, int64_t out) {
  return std::make_shared<Linear>(LinearOptions{.in_features = in, .out_features = out});
}

TEST(SequentialTest, ForwardChainsChildren) {
  auto a = linear(4, 3), b = linear(3, 2);
  Sequential seq({a, b});
  const Tensor x = random_tensor({5, 4}, 1, -1, 1, DType::Float32);
  const Tensor expected = std::static_pointer_cast<Linear>(b)->forward(std::static_pointer_cast<Linear>(a)->forward(x)).clone();
  EXPECT_LT(max_abs_diff(seq.forward(x).tensor(), expected), 1e-6);
}

TEST(SequentialTest, GradientsMatchFiniteDifferences) {
  Sequential seq({linear(4, 6), linear(6, 3), linear(3, 2)});
  seq.to(DType::Float64);
  EXPECT_TRUE(check_module_gradients(seq, random_tensor({3, 4}, 2)));
}

TEST(SequentialTest, NamedParametersUseChildKeys) {
  auto fc = linear(4, 3);
  fc->set_name("fc1");
  Sequential seq({fc, linear(3, 2)});
  auto ps = seq.named_parameters();
  ASSERT_EQ(ps.size(), 4u);
  EXPECT_EQ(ps[0].name, "fc1.weight");
  EXPECT_EQ(ps[1].name, "fc1.bias");
  EXPECT_EQ(ps[2].name, "1.weight");
  EXPECT_EQ(seq.num_parameters(), 4 * 3 + 3 + 3 * 2 + 2);
}

TEST(SequentialTest, ErrorsCarryTheModulePath) {
  auto inner = std::make_shared<Sequential>(std::vector<ModulePtr>{linear(4, 3), linear(5, 2)});
  inner->set_name("encoder");
  Sequential seq({inner});
  EXPECT_THROW_WITH(seq.forward(Tensor::zeros({2, 4})), ShapeError,
                    "[nn.Linear 'encoder.1'] input feature size mismatch: expected last dimension in_features=5");
}

TEST(SequentialTest, GetParametersCompactsIntoViews) {
  Sequential seq({linear(4, 3), linear(3, 2)});
  auto before = seq.parameters();
  std::vector<Tensor> saved;
  for (auto& p : before) saved.push_back(p.clone());
  auto [w, g] = seq.get_parameters();
  EXPECT_EQ(w.numel(), seq.num_parameters());
  EXPECT_EQ(g.numel(), w.numel());
  auto after = seq.parameters();
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_TRUE(after[i].shares_storage(w));
    EXPECT_EQ(max_abs_diff(after[i], saved[i]), 0.0);
  }
  // Writing through the flat buffer changes the layer's weight; gradients land in the flat grad.
  w.fill_(0.5);
  EXPECT_EQ(seq.parameters()[0].at({0, 0}), 0.5);
  const Tensor x = Tensor::ones({2, 4});
  seq.zero_grad_parameters();
  seq.forward(x);
  seq.backward(x, Tensor::ones({2, 2}));
  EXPECT_GT(norm(g), 0.0);
  auto [w2, g2] = seq.get_parameters();
  EXPECT_TRUE(w2.shares_storage(w));
  EXPECT_TRUE(g2.shares_storage(g));
}

TEST(SequentialTest, FreezeKeepsGradientsZero) {
  auto fc = linear(4, 3);
  fc->set_name("frozen");
  Sequential seq({fc, linear(3, 2)});
  seq.freeze({"frozen"});
  const Tensor x = Tensor::ones({2, 4});
  seq.zero_grad_parameters();
  seq.forward(x);
  seq.backward(x, Tensor::ones({2, 2}));
  auto ps = seq.named_parameters();
  EXPECT_TRUE(ps[0].frozen);
  EXPECT_EQ(norm(*ps[0].grad), 0.0);
  EXPECT_GT(norm(*ps[2].grad), 0.0);
  seq.unfreeze();
  seq.backward(x, Tensor::ones({2, 2}));
  EXPECT_GT(norm(*seq.named_parameters()[0].grad), 0.0);
  EXPECT_THROW_WITH(seq.freeze({"nope"}), ValueError, "no module or parameter named 'nope'");
}

TEST(SequentialTest, ReprShowsTree) {
  Sequential seq({linear(4, 3), linear(3, 2)});
  EXPECT_EQ(seq.repr(),
            "nn.Sequential(\n  (0): nn.Linear(in_features=4, out_features=3, bias=true)\n"
            "  (1): nn.Linear(in_features=3, out_features=2, bias=true)\n)");
}

TEST(SequentialTest, SummaryListsShapesAndParameters) {
  Sequential seq({linear(4, 3), linear(3, 2)});
  const std::string s = seq.summary({7, 4});
  EXPECT_NE(s.find("[7, 3]"), std::string::npos) << s;
  EXPECT_NE(s.find("[7, 2]"), std::string::npos) << s;
  EXPECT_NE(s.find("Total parameters: 23"), std::string::npos) << s;
}

TEST(SequentialTest, TrainingAndEvaluateRecurse) {
  auto fc = linear(2, 2);
  Sequential seq({fc});
  seq.evaluate();
  EXPECT_FALSE(fc->is_training());
  seq.training();
  EXPECT_TRUE(fc->is_training());
}

TEST(SequentialTest, SetInitMethodReinitialises) {
  auto fc = std::make_shared<Linear>(LinearOptions{.in_features = 3, .out_features = 2});
  fc->set_init_method(std::make_shared<Const>(0.25), std::make_shared<Zeros>());
  EXPECT_EQ(fc->weight().at({1, 2}), 0.25);
  EXPECT_EQ(fc->bias().at({1}), 0.0);
}

}  // namespace
}  // namespace ember::nn

namespace ember::nn {
namespace {

TEST(PropagateBackTest, SkipsTheFirstLayersInputGradientOnly) {
  auto make = [] {
    manual_seed(5);
    return std::make_shared<Sequential>(std::vector<ModulePtr>{
        std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 3}),
        std::make_shared<Linear>(LinearOptions{.in_features = 3, .out_features = 2})});
  };
  auto full = make(), lean = make();
  lean->set_propagate_back(false);
  EXPECT_FALSE(lean->get(0)->propagate_back());
  EXPECT_TRUE(lean->get(1)->propagate_back());
  const Tensor x = test::random_tensor({5, 4}, 1, -1, 1, DType::Float32);
  const Tensor gy = test::random_tensor({5, 2}, 2, -1, 1, DType::Float32);
  for (auto& m : {full, lean}) {
    m->zero_grad_parameters();
    m->forward(x);
    m->backward(x, gy);
  }
  EXPECT_TRUE(lean->get(0)->grad_input().empty());
  EXPECT_FALSE(full->get(0)->grad_input().empty());
  auto gf = full->gradients(), gl = lean->gradients();
  for (size_t i = 0; i < gf.size(); ++i) EXPECT_EQ(max_abs_diff(gf[i], gl[i]), 0.0);
}

}  // namespace
}  // namespace ember::nn
