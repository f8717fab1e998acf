#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/nn/all.h"
#include "ember/tensor/ops.h"
#include "nn/containers/test_modules.h"

namespace ember::nn {
namespace {

using test::check_module_gradients;
using test::random_tensor;
using testmods::activity_diff;
using testmods::CachedSquare;
using testmods::deep_clone;
using testmods::linear;
using testmods::SumTable;
using testmods::Tanh;

ModulePtr named(ModulePtr m, std::string name) {
  m->set_name(std::move(name));
  return m;
}

// x -> a, x -> b, c = a + b, y = tanh(c)
std::shared_ptr<Graph> diamond() {
  auto x = Input("x");
  auto a = apply(named(linear(3, 4), "a"), {x});
  auto b = apply(named(linear(3, 4), "b"), {x});
  auto c = apply(std::make_shared<SumTable>(), {a, b});
  return std::make_shared<Graph>(std::vector<NodePtr>{x}, std::vector<NodePtr>{apply(std::make_shared<Tanh>(), {c})});
}

TEST(GraphTest, DiamondForwardMatchesHandComputed) {
  auto g = diamond();
  const Tensor x = random_tensor({2, 3}, 1);
  auto a = std::static_pointer_cast<Linear>(g->find("a")), b = std::static_pointer_cast<Linear>(g->find("b"));
  const Tensor expected = tanh(add(addmm(a->bias(), x, a->weight().t()), addmm(b->bias(), x, b->weight().t())));
  EXPECT_LT(max_abs_diff(g->forward(x).tensor(), expected), 1e-14);
}

TEST(GraphTest, DiamondGradientsMatchFiniteDifferences) {
  auto g = diamond();
  EXPECT_TRUE(check_module_gradients(*g, random_tensor({2, 3}, 2)));
}

TEST(GraphTest, TwoInputsTwoOutputsGradients) {
  // x1 [N, 3], x2 [N, 2]; s = fc(x1) + fc(x2); outputs {tanh(s), fc(x2), s}: s feeds a node and is
  // itself an output, so its gradient sums a consumer's grad_input and a grad_output element.
  auto x1 = Input("x1"), x2 = Input("x2");
  auto s = apply(std::make_shared<SumTable>(), {apply(linear(3, 4), {x1}), apply(linear(2, 4), {x2})});
  auto o1 = apply(std::make_shared<Tanh>(), {s});
  auto o2 = apply(linear(2, 3), {x2});
  Graph g({x1, x2}, {o1, o2, s});
  const Table in{random_tensor({2, 3}, 3), random_tensor({2, 2}, 4)};
  const Table& out = g.forward(in).table();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].tensor().shape(), Shape({2, 3}));
  EXPECT_LT(max_abs_diff(out[0].tensor(), tanh(out[2].tensor())), 1e-15);
  EXPECT_TRUE(check_module_gradients(g, in));
}

TEST(GraphTest, NodeFeedingThreeConsumersSumsTheirGradients) {
  auto x = Input();
  auto h = apply(linear(3, 4), {x});
  auto p1 = apply(linear(4, 2), {h});
  auto p2 = apply(linear(4, 2), {apply(std::make_shared<CachedSquare>(), {h})});
  auto p3 = apply(linear(4, 2), {h});
  Graph g({x}, {apply(std::make_shared<SumTable>(), {p1, p2, p3})});
  EXPECT_TRUE(check_module_gradients(g, random_tensor({3, 3}, 5)));
}

TEST(GraphTest, SameNodeTwiceInOneConsumerAndInputAsOutput) {
  auto x = Input();
  auto a = apply(linear(3, 3), {x});
  auto doubled = apply(std::make_shared<SumTable>(), {a, a, x});
  Graph g({x}, {doubled, x});
  const Tensor in = random_tensor({2, 3}, 6);
  const Table& out = g.forward(in).table();
  EXPECT_EQ(max_abs_diff(out[1].tensor(), in), 0.0);
  EXPECT_TRUE(check_module_gradients(g, in));
}

TEST(GraphTest, TableOutputFeedingTwoConsumersSumsTableGradients) {
  // t = {fc(x), fc(x)} feeds a SumTable directly and a ParallelTable: its gradient is a Table sum.
  auto x = Input();
  auto t = apply(std::make_shared<ConcatTable>(std::vector<ModulePtr>{linear(3, 2), linear(3, 2)}), {x});
  auto s1 = apply(std::make_shared<SumTable>(), {t});
  auto p = apply(std::make_shared<ParallelTable>(
                     std::vector<ModulePtr>{std::make_shared<CachedSquare>(), std::make_shared<Tanh>()}),
                 {t});
  auto s2 = apply(std::make_shared<SumTable>(), {p});
  Graph g({x}, {s1, s2});
  EXPECT_TRUE(check_module_gradients(g, random_tensor({2, 3}, 16)));
}

TEST(GraphTest, GraphAsANodeOfAnotherGraph) {
  auto u = Input(), v = Input();
  auto inner = std::make_shared<Graph>(
      std::vector<NodePtr>{u, v},
      std::vector<NodePtr>{apply(std::make_shared<SumTable>(), {apply(linear(3, 2), {u}), apply(linear(4, 2), {v})})});
  inner->set_name("inner");
  auto x = Input(), z = Input();
  auto y = apply(std::make_shared<Tanh>(), {apply(inner, {apply(linear(2, 3), {x}), z})});
  Graph g({x, z}, {y});
  EXPECT_TRUE(check_module_gradients(g, Table{random_tensor({2, 2}, 17), random_tensor({2, 4}, 18)}));
  EXPECT_EQ(g.named_parameters()[2].name, "inner.0.weight");
}

TEST(GraphTest, FrozenNodesKeepZeroGradients) {
  auto g = diamond();
  g->freeze({"a"});
  const Tensor x = random_tensor({2, 3}, 19), gy = random_tensor({2, 4}, 20);
  g->zero_grad_parameters();
  g->forward(x);
  g->backward(x, gy);
  auto a = std::static_pointer_cast<Linear>(g->find("a")), b = std::static_pointer_cast<Linear>(g->find("b"));
  EXPECT_EQ(norm(a->grad_weight()), 0.0);
  EXPECT_GT(norm(b->grad_weight()), 0.0);
}

TEST(GraphTest, KeysFollowTopologicalOrderOrModuleNames) {
  auto x = Input();
  auto h = apply(named(linear(3, 4), "encoder"), {x});
  auto y = apply(linear(4, 2), {apply(std::make_shared<Tanh>(), {h})});
  Graph g({x}, {y});
  ASSERT_EQ(g.nodes().size(), 4u);
  EXPECT_TRUE(g.nodes()[0]->is_input());
  EXPECT_EQ(g.key_of(h), "encoder");
  EXPECT_EQ(g.key_of(y), "2");
  EXPECT_EQ(g.key_of(x), "");
  auto names = g.named_parameters();
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[0].name, "encoder.weight");
  EXPECT_EQ(names[2].name, "2.weight");
  EXPECT_THROW_WITH(g.key_of(Input()), ValueError, "[nn.Graph.key_of] the node (Input) is not part of this graph");
}

TEST(GraphTest, SeparateStepsMatchFusedBackward) {
  auto g = diamond();
  const Tensor x = random_tensor({2, 3}, 7), gy = random_tensor({2, 4}, 8);
  g->zero_grad_parameters();
  g->forward(x);
  const Activity fused = deep_clone(g->backward(x, gy));
  const Tensor gw = g->gradients()[2].clone();
  g->zero_grad_parameters();
  g->forward(x);
  const Activity gi = deep_clone(g->update_grad_input(x, gy));
  g->acc_grad_parameters(x, gy);
  EXPECT_LT(activity_diff(gi, fused), 1e-12);
  EXPECT_LT(max_abs_diff(g->gradients()[2], gw), 1e-12);
  EXPECT_GT(norm(gw), 0.0);
}

TEST(GraphTest, SummedGradientBufferIsReused) {
  auto g = diamond();
  const Tensor x = random_tensor({2, 3}, 9), gy = random_tensor({2, 4}, 10);
  g->forward(x);
  const Tensor first = g->backward(x, gy).tensor().clone();
  const void* buf = g->grad_input().tensor().raw_data();
  g->forward(x);
  EXPECT_EQ(g->backward(x, gy).tensor().raw_data(), buf);
  EXPECT_EQ(max_abs_diff(g->grad_input().tensor(), first), 0.0);
}

TEST(GraphTest, NestedGraphErrorsCarryTheFullPath) {
  auto x = Input();
  auto y = apply(named(linear(5, 2), "head"), {apply(linear(3, 4), {x})});
  auto g = std::make_shared<Graph>(std::vector<NodePtr>{x}, std::vector<NodePtr>{y});
  g->set_name("body");
  Sequential seq({g});
  EXPECT_THROW_WITH(seq.forward(random_tensor({2, 3}, 11)), ShapeError,
                    "[nn.Linear 'body.head'] input feature size mismatch: expected last dimension in_features=5, got "
                    "input of shape [2, 4]");
  EXPECT_EQ(seq.named_parameters()[0].name, "body.0.weight");
}

TEST(GraphTest, WrongNumberOfInputsOrGradients) {
  auto x1 = Input(), x2 = Input();
  Graph g({x1, x2}, {apply(std::make_shared<SumTable>(), {x1, x2}), apply(linear(3, 1), {x2})});
  const Tensor t = random_tensor({2, 3}, 12);
  EXPECT_THROW_WITH(g.forward(Table{t, t, t}), ShapeError,
                    "[nn.Graph] input table size mismatch: expected 2 elements (one per input node), got 3");
  EXPECT_THROW_WITH(g.forward(t), TypeError,
                    "[nn.Graph] the graph has 2 input nodes: expected a Table of 2 inputs, got Tensor[2, 3]:float64");
  g.forward(Table{t, t});
  EXPECT_THROW_WITH(g.backward(Table{t, t}, Table{t}), ShapeError,
                    "[nn.Graph] grad_output table size mismatch: expected 2 gradients (one per output node), got 1");
  EXPECT_THROW_WITH(g.backward(Table{t, t}, t), TypeError, "expected grad_output to be a Table of 2 gradients");
}

TEST(GraphTest, MismatchedGradientsNameTheNodes) {
  auto x = Input();
  auto a = apply(named(linear(3, 4), "a"), {x});
  Graph g({x}, {a, a});
  const Tensor t = random_tensor({2, 3}, 13);
  g.forward(t);
  EXPECT_THROW_WITH(g.backward(t, Table{random_tensor({2, 4}, 14), random_tensor({2, 5}, 15)}), ShapeError,
                    "[nn.Graph] grad_output 1 (for node nn.Linear 'a') cannot be summed with the others: expected "
                    "shape [2, 4], got [2, 5]");
}

TEST(GraphTest, InvalidGraphsAreRejected) {
  auto x = Input("x"), z = Input("z");
  auto y = apply(linear(3, 2), {x});
  auto uses_z = apply(std::make_shared<SumTable>(), {y, z});
  EXPECT_THROW_WITH(Graph({x}, {uses_z}), ValueError,
                    "[nn.Graph] output 0 (test.SumTable) is not reachable from the graph inputs: it depends on an "
                    "Input() node that is not among them (Input 'z')");
  EXPECT_THROW_WITH(Graph({x, z}, {y}), ValueError,
                    "[nn.Graph] graph input 1 (Input 'z') is not used by any output");
  EXPECT_THROW_WITH(Graph({y}, {y}), ValueError,
                    "[nn.Graph] graph input 0 is a module node (nn.Linear): expected a node made by Input()");
  EXPECT_THROW_WITH(Graph({x, x}, {y}), ValueError, "graph input 1 is the same node as graph input 0");
  EXPECT_THROW_WITH(Graph({}, {y}), ValueError, "[nn.Graph] needs at least one input node, got none");
  EXPECT_THROW_WITH(Graph({x}, {}), ValueError, "[nn.Graph] needs at least one output node, got none");
}

TEST(GraphTest, ModuleInTwoNodesIsRejected) {
  auto x = Input();
  auto fc = linear(3, 3);
  auto twice = apply(fc, {apply(fc, {x})});
  EXPECT_THROW_WITH(Graph({x}, {twice}), ValueError,
                    "[nn.Graph] module nn.Linear is used by two nodes (child keys '0' and '1'): expected each module "
                    "in one node only");
  auto a = apply(named(linear(3, 3), "same"), {x}), b = apply(named(linear(3, 3), "same"), {x});
  EXPECT_THROW_WITH(Graph({x}, {a, b}), ValueError, "[nn.Graph] a child named 'same' exists already");
}

TEST(GraphTest, BadNodesAreRejected) {
  auto x = Input();
  EXPECT_THROW_WITH(apply(nullptr, {x}), ValueError, "[nn.Graph] cannot create a node: the module is null");
  EXPECT_THROW_WITH(apply(linear(3, 3), {}), ValueError,
                    "[nn.Graph] the node for nn.Linear needs at least one input node, got none");
  EXPECT_THROW_WITH(Node::create(linear(3, 3), {x, nullptr}), ValueError, "input 1 of the node for nn.Linear is null");
}

TEST(GraphTest, TrainingModeAndDtypeReachEveryNode) {
  auto g = diamond();
  g->evaluate();
  EXPECT_FALSE(g->find("a")->is_training());
  g->training();
  EXPECT_TRUE(g->find("b")->is_training());
  g->to(DType::Float32);
  EXPECT_EQ(g->forward(Tensor::ones({1, 3})).tensor().dtype(), DType::Float32);
}

}  // namespace
}  // namespace ember::nn
