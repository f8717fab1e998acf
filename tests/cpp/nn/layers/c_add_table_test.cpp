#include <gtest/gtest.h>

#include "ember/nn/layers/c_add_table.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(CAddTableTest, MatchesPyTorchWithBroadcasting) {
  const auto f = test::load_fixture("nn/table_layers");
  CAddTable add;
  const Activity in = Table{f.get("add.a"), f.get("add.b"), f.get("add.c")};  // [2, 3], [3], [2, 1]
  EXPECT_LT(max_abs_diff(add.forward(in).tensor(), f.get("add.output")), 1e-15);
  const Table& g = add.backward(in, f.get("add.grad_output")).table();
  ASSERT_EQ(g.size(), 3u);
  EXPECT_LT(max_abs_diff(g[0].tensor(), f.get("add.grad_a")), 1e-15);
  EXPECT_LT(max_abs_diff(g[1].tensor(), f.get("add.grad_b")), 1e-15);
  EXPECT_LT(max_abs_diff(g[2].tensor(), f.get("add.grad_c")), 1e-15);
}

TEST(CAddTableTest, NonContiguousMatchesContiguous) {
  CAddTable add;
  const Tensor a = random_tensor({3, 4}, 1), b = random_tensor({3, 4}, 2), gy = random_tensor({3, 4}, 3);
  const Tensor y0 = add.forward(Table{a, b}).tensor().clone();
  EXPECT_EQ(max_abs_diff(add.forward(Table{test::noncontig(a), b.t().contiguous().t()}).tensor(), y0), 0.0);
  const Tensor g = add.backward(Table{a, b}, test::noncontig(gy)).table()[1].tensor();
  EXPECT_EQ(max_abs_diff(g, gy), 0.0);
}

TEST(CAddTableTest, GradientsMatchFiniteDifferences) {
  CAddTable add;
  EXPECT_TRUE(test::check_module_gradients(
      add, Activity(Table{random_tensor({2, 3}, 4), random_tensor({1, 3}, 5), random_tensor({2, 1}, 6)})));
}

TEST(CAddTableTest, ErrorsNameShapesAndEntries) {
  CAddTable add;
  EXPECT_THROW_WITH(add.forward(Table{Tensor::zeros({2, 3}), Tensor::zeros({4})}), ShapeError,
                    "[nn.CAddTable] input shapes do not broadcast: entry 1 has shape [4], expected a shape "
                    "broadcastable with [2, 3]");
  EXPECT_THROW_WITH(add.forward(Tensor::zeros({2})), TypeError, "[nn.CAddTable] input must be a Table");
  EXPECT_THROW_WITH(add.forward(Table{}), ShapeError, "input table is empty: expected at least 1 tensor");
  EXPECT_THROW_WITH(add.forward(Table{Tensor::zeros({2}), Tensor::zeros({2}, DType::Float64)}), TypeError,
                    "input dtypes differ: expected float32 (entry 0), got float64 at entry 1");
  EXPECT_THROW_WITH(add.backward(Table{Tensor::zeros({2}), Tensor::zeros({2})}, Tensor::zeros({3})), ShapeError,
                    "grad_output shape mismatch: expected [2], got [3]");
}

}  // namespace
}  // namespace ember::nn
