#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/nn/all.h"
#include "ember/nn/registry.h"
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

// ---- ParallelTable -----------------------------------------------------------------------------
TEST(ParallelTableTest, AppliesChildIToElementI) {
  auto a = linear(4, 2), b = linear(3, 5);
  ParallelTable pt({a, b});
  const Tensor x = random_tensor({2, 4}, 1), z = random_tensor({2, 3}, 2);
  const Activity y = deep_clone(pt.forward(Table{x, z}));
  EXPECT_EQ(activity_diff(y.table()[0], a->forward(x)), 0.0);
  EXPECT_EQ(activity_diff(y.table()[1], b->forward(z)), 0.0);
}

TEST(ParallelTableTest, GradientsMatchFiniteDifferences) {
  auto branch = std::make_shared<Sequential>(std::vector<ModulePtr>{linear(3, 3), std::make_shared<CachedSquare>()});
  ParallelTable pt({linear(4, 2), branch});
  EXPECT_TRUE(check_module_gradients(pt, Table{random_tensor({2, 4}, 3), random_tensor({2, 3}, 4)}));
}

TEST(ParallelTableTest, SeparateStepsMatchFusedBackward) {
  ParallelTable pt({linear(4, 2), linear(3, 5)});
  const Table in{random_tensor({2, 4}, 5), random_tensor({2, 3}, 6)};
  const Table gy{random_tensor({2, 2}, 7), random_tensor({2, 5}, 8)};
  pt.zero_grad_parameters();
  pt.forward(in);
  const Activity fused = deep_clone(pt.backward(in, gy));
  const Tensor gw = pt.gradients()[2].clone();
  pt.zero_grad_parameters();
  const Activity gi = deep_clone(pt.update_grad_input(in, gy));
  pt.acc_grad_parameters(in, gy);
  EXPECT_LT(activity_diff(gi, fused), 1e-12);
  EXPECT_LT(max_abs_diff(pt.gradients()[2], gw), 1e-12);
}

TEST(ParallelTableTest, WrongTableSizeNamesBothSizes) {
  ParallelTable pt({linear(4, 2), linear(3, 5)});
  const Tensor x = random_tensor({2, 4}, 9);
  EXPECT_THROW_WITH(pt.forward(Table{x, x, x}), ShapeError,
                    "[nn.ParallelTable] input table size mismatch: expected 2 elements (one per child), got 3");
  EXPECT_THROW_WITH(pt.forward(x), TypeError,
                    "[nn.ParallelTable] input must be a Table with one element per child: expected a Table of 2, got "
                    "Tensor[2, 4]:float64");
  const Table in{x, random_tensor({2, 3}, 10)};
  pt.forward(in);
  EXPECT_THROW_WITH(pt.backward(in, Table{random_tensor({2, 2}, 11)}), ShapeError,
                    "grad_output table size mismatch: expected 2 elements (one per child), got 1");
  EXPECT_THROW_WITH(pt.forward(Table{x, x}), ShapeError, "[nn.Linear '1'] input feature size mismatch");
}

// ---- MapTable ----------------------------------------------------------------------------------
TEST(MapTableTest, AppliesTheModuleToEveryElementAndKeepsEachOutput) {
  auto fc = linear(3, 2);
  MapTable mt(fc);
  const Tensor x0 = random_tensor({2, 3}, 20), x1 = random_tensor({2, 3}, 21), x2 = random_tensor({1, 3}, 22);
  const Table& ys = mt.forward(Table{x0, x1, x2}).table();
  ASSERT_EQ(ys.size(), 3u);
  // Each element keeps its own values although the module's buffer holds the last one only.
  EXPECT_LT(max_abs_diff(ys[0].tensor(), fc->forward(x0).tensor()), 1e-15);
  EXPECT_LT(max_abs_diff(ys[1].tensor(), fc->forward(x1).tensor()), 1e-15);
  EXPECT_LT(max_abs_diff(ys[2].tensor(), fc->forward(x2).tensor()), 1e-15);
  EXPECT_EQ(mt.named_parameters().size(), 2u);
  EXPECT_EQ(mt.named_parameters()[0].name, "0.weight");
}

TEST(MapTableTest, GradientsMatchFiniteDifferencesWithStatefulModules) {
  // CachedSquare and Tanh use state saved by forward: backward must restore each element's state.
  auto body = std::make_shared<Sequential>(
      std::vector<ModulePtr>{linear(3, 4), std::make_shared<CachedSquare>(), std::make_shared<testmods::Tanh>()});
  MapTable mt(body);
  EXPECT_TRUE(check_module_gradients(mt, Table{random_tensor({2, 3}, 23), random_tensor({2, 3}, 24),
                                               random_tensor({3, 3}, 25)}));
}

TEST(MapTableTest, ParameterGradientsAccumulateOverElements) {
  auto fc = std::static_pointer_cast<Linear>(linear(3, 2));
  MapTable mt(fc);
  const Tensor x0 = random_tensor({2, 3}, 26), x1 = random_tensor({2, 3}, 27);
  const Tensor g0 = random_tensor({2, 2}, 28), g1 = random_tensor({2, 2}, 29);
  mt.zero_grad_parameters();
  mt.forward(Table{x0, x1});
  mt.backward(Table{x0, x1}, Table{g0, g1});
  // dW = g0^T x0 + g1^T x1
  const Tensor expected = add(matmul(g0.t(), x0), matmul(g1.t(), x1));
  EXPECT_LT(max_abs_diff(fc->grad_weight(), expected), 1e-12);
}

TEST(MapTableTest, SeparateStepsMatchFusedBackward) {
  auto body = std::make_shared<Sequential>(std::vector<ModulePtr>{linear(3, 4), std::make_shared<CachedSquare>()});
  MapTable mt(body);
  const Table in{random_tensor({2, 3}, 30), random_tensor({2, 3}, 31)};
  const Table gy{random_tensor({2, 4}, 32), random_tensor({2, 4}, 33)};
  mt.zero_grad_parameters();
  mt.forward(in);
  const Activity fused = deep_clone(mt.backward(in, gy));
  const Tensor gw = mt.gradients()[0].clone();
  mt.zero_grad_parameters();
  mt.forward(in);
  const Activity gi = deep_clone(mt.update_grad_input(in, gy));
  mt.acc_grad_parameters(in, gy);
  EXPECT_LT(activity_diff(gi, fused), 1e-12);
  EXPECT_LT(max_abs_diff(mt.gradients()[0], gw), 1e-12);
  EXPECT_GT(norm(gw), 0.0);
}

TEST(MapTableTest, ErrorsNameTheProblem) {
  MapTable empty;
  const Tensor x = random_tensor({2, 3}, 34);
  EXPECT_THROW_WITH(empty.forward(Table{x}), ValueError,
                    "[nn.MapTable] maps exactly one module: expected 1 child, got 0. Hint: pass the module");
  MapTable mt(linear(3, 2));
  EXPECT_THROW_WITH(mt.add(linear(3, 2)), ValueError, "[nn.MapTable.add] holds a module already (nn.Linear)");
  EXPECT_THROW_WITH(mt.forward(x), TypeError, "[nn.MapTable] input must be a Table (the module is applied to each "
                                              "element), got Tensor[2, 3]:float64");
  mt.forward(Table{x, x});
  EXPECT_THROW_WITH(mt.backward(Table{x, x}, Table{random_tensor({2, 2}, 35)}), ShapeError,
                    "grad_output table size mismatch: expected one gradient per input element (2), got 1");
  EXPECT_THROW_WITH(mt.forward(Table{x, random_tensor({2, 4}, 36)}), ShapeError, "[nn.Linear '0'] input feature size");
  auto made = Registry::global().create_module("nn.MapTable");
  EXPECT_EQ(made->type_name(), "nn.MapTable");
}

}  // namespace
}  // namespace ember::nn
