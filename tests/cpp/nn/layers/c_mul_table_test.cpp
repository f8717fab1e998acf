#include <gtest/gtest.h>

#include "ember/nn/layers/c_mul_table.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(CMulTableTest, MatchesPyTorchWithBroadcasting) {
  const auto f = test::load_fixture("nn/table_layers");
  CMulTable mul;
  const Activity in = Table{f.get("mul.a"), f.get("mul.b"), f.get("mul.c")};  // [2, 3], [3], [2, 1]
  EXPECT_LT(max_abs_diff(mul.forward(in).tensor(), f.get("mul.output")), 1e-14);
  const Table& g = mul.backward(in, f.get("mul.grad_output")).table();
  ASSERT_EQ(g.size(), 3u);
  EXPECT_LT(max_abs_diff(g[0].tensor(), f.get("mul.grad_a")), 1e-14);
  EXPECT_LT(max_abs_diff(g[1].tensor(), f.get("mul.grad_b")), 1e-14);
  EXPECT_LT(max_abs_diff(g[2].tensor(), f.get("mul.grad_c")), 1e-14);
}

TEST(CMulTableTest, ZerosInTheInputsAreFine) {
  CMulTable mul;
  const Tensor a = Tensor::from_vector(std::vector<double>{0, 2}, {2});
  const Tensor b = Tensor::from_vector(std::vector<double>{3, 0}, {2});
  const Activity in = Table{a, b};
  mul.forward(in);
  const Table& g = mul.backward(in, Tensor::ones({2}, DType::Float64)).table();
  EXPECT_EQ(g[0].tensor().to_vector(), std::vector<double>({3, 0}));
  EXPECT_EQ(g[1].tensor().to_vector(), std::vector<double>({0, 2}));
}

TEST(CMulTableTest, NonContiguousMatchesContiguous) {
  CMulTable mul;
  const Tensor a = random_tensor({3, 4}, 1), b = random_tensor({3, 4}, 2), gy = random_tensor({3, 4}, 3);
  const Tensor y0 = mul.forward(Table{a, b}).tensor().clone();
  const Tensor g0 = mul.backward(Table{a, b}, gy).table()[0].tensor().clone();
  const Activity nc = Table{test::noncontig(a), b.t().contiguous().t()};
  EXPECT_EQ(max_abs_diff(mul.forward(nc).tensor(), y0), 0.0);
  EXPECT_EQ(max_abs_diff(mul.backward(nc, test::noncontig(gy)).table()[0].tensor(), g0), 0.0);
}

TEST(CMulTableTest, GradientsMatchFiniteDifferences) {
  CMulTable mul;
  EXPECT_TRUE(test::check_module_gradients(
      mul, Activity(Table{random_tensor({2, 3}, 4), random_tensor({3}, 5), random_tensor({2, 1}, 6)})));
}

TEST(CMulTableTest, ErrorsNameShapesAndEntries) {
  CMulTable mul;
  EXPECT_THROW_WITH(mul.forward(Table{Tensor::zeros({2, 3}), Tensor::zeros({3, 3})}), ShapeError,
                    "[nn.CMulTable] input shapes do not broadcast: entry 1 has shape [3, 3]");
  EXPECT_THROW_WITH(mul.forward(Table{Tensor::zeros({2}), Activity()}), TypeError,
                    "input entry 1 must be a Tensor: expected a Table of tensors, got nothing (empty activity)");
  EXPECT_THROW_WITH(mul.backward(Table{Tensor::zeros({2})}, Table{}), TypeError,
                    "grad_output must be a Tensor, got Table{}");
}

}  // namespace
}  // namespace ember::nn
