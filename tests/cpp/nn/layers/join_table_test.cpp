#include <gtest/gtest.h>

#include "ember/nn/layers/join_table.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(JoinTableTest, MatchesPyTorch) {
  const auto f = test::load_fixture("nn/table_layers");
  JoinTable j(JoinTableOptions{.dim = 1});
  const Activity in = Table{f.get("join.a"), f.get("join.b"), f.get("join.c")};
  EXPECT_LT(max_abs_diff(j.forward(in).tensor(), f.get("join.output")), 1e-15);
  const Table& g = j.backward(in, f.get("join.grad_output")).table();
  ASSERT_EQ(g.size(), 3u);
  EXPECT_LT(max_abs_diff(g[0].tensor(), f.get("join.grad_a")), 1e-15);
  EXPECT_LT(max_abs_diff(g[1].tensor(), f.get("join.grad_b")), 1e-15);
  EXPECT_LT(max_abs_diff(g[2].tensor(), f.get("join.grad_c")), 1e-15);
  EXPECT_TRUE(g[1].tensor().shares_storage(f.get("join.grad_output")));  // a view, not a copy
}

TEST(JoinTableTest, GradInputsAreViewsOfGradOutput) {
  JoinTable j(JoinTableOptions{.dim = -1});
  const Activity in = Table{random_tensor({2, 1}, 1), random_tensor({2, 3}, 2)};
  const Tensor gy = random_tensor({2, 4}, 3);
  j.forward(in);
  const Table& g = j.backward(in, gy).table();
  EXPECT_TRUE(g[0].tensor().shares_storage(gy));
  EXPECT_EQ(g[1].tensor().at({1, 2}), gy.at({1, 3}));
}

TEST(JoinTableTest, NInputDimsShiftsTheDimForBatches) {
  JoinTable j(JoinTableOptions{.dim = 0, .n_input_dims = 1});
  EXPECT_EQ(j.forward(Table{Tensor::zeros({3}), Tensor::zeros({2})}).tensor().shape(), Shape({5}));
  EXPECT_EQ(j.forward(Table{Tensor::zeros({4, 3}), Tensor::zeros({4, 2})}).tensor().shape(), Shape({4, 5}));
}

TEST(JoinTableTest, NonContiguousMatchesContiguous) {
  JoinTable j(JoinTableOptions{.dim = 0});
  const Tensor a = random_tensor({2, 3}, 4), b = random_tensor({1, 3}, 5);
  const Tensor y0 = j.forward(Table{a, b}).tensor().clone();
  EXPECT_EQ(max_abs_diff(j.forward(Table{test::noncontig(a), b.t().contiguous().t()}).tensor(), y0), 0.0);
}

TEST(JoinTableTest, GradientsMatchFiniteDifferences) {
  JoinTable j(JoinTableOptions{.dim = 1});
  EXPECT_TRUE(test::check_module_gradients(j, Activity(Table{random_tensor({2, 2}, 6), random_tensor({2, 3}, 7)})));
}

TEST(JoinTableTest, ErrorsNameTheEntries) {
  JoinTable j(JoinTableOptions{.dim = 1});
  EXPECT_THROW_WITH(j.forward(Tensor::zeros({2, 3})), TypeError,
                    "[nn.JoinTable] input must be a Table: expected a Table of tensors, got Tensor[2, 3]");
  EXPECT_THROW_WITH(j.forward(Table{}), ShapeError, "[nn.JoinTable] input table is empty");
  EXPECT_THROW_WITH(j.forward(Table{Tensor::zeros({2, 3}), Tensor::zeros({3, 3})}), ShapeError,
                    "input shapes do not match except in dim 1: expected [2, 3] (entry 0) up to dim 1, got [3, 3] at "
                    "entry 1");
  EXPECT_THROW_WITH(j.forward(Table{Tensor::zeros({2, 3}), Table{}}), TypeError,
                    "input entry 1 must be a Tensor: expected a Table of tensors, got Table{}");
  EXPECT_THROW_WITH(j.forward(Table{Tensor::zeros({2, 3}), Tensor::zeros({2, 3}, DType::Float64)}), TypeError,
                    "input dtypes differ: expected float32 (entry 0), got float64 at entry 1");
  JoinTable far(JoinTableOptions{.dim = 2});
  EXPECT_THROW_WITH(far.forward(Table{Tensor::zeros({2, 3})}), IndexError, "dim out of range");
  const Activity in = Table{Tensor::zeros({2, 3})};
  EXPECT_THROW_WITH(j.backward(in, Tensor::zeros({2, 4})), ShapeError,
                    "grad_output shape mismatch: expected [2, 3], got [2, 4]");
}

}  // namespace
}  // namespace ember::nn
