#include <gtest/gtest.h>

#include "ember/nn/containers/sequential.h"
#include "ember/nn/layers/c_mul_table.h"
#include "ember/nn/layers/join_table.h"
#include "ember/nn/layers/split_table.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(SplitTableTest, MatchesPyTorchUnbind) {
  const auto f = test::load_fixture("nn/table_layers");
  SplitTable s(SplitTableOptions{.dim = 1});
  const Tensor& x = f.get("split.input");
  const Table& out = s.forward(x).table();
  ASSERT_EQ(out.size(), 3u);
  Table g;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_LT(max_abs_diff(out[i].tensor(), f.get("split.output" + std::to_string(i))), 1e-15);
    EXPECT_TRUE(out[i].tensor().shares_storage(x));
    g.push_back(f.get("split.grad_output" + std::to_string(i)));
  }
  EXPECT_LT(max_abs_diff(s.backward(x, Activity(g)).tensor(), f.get("split.grad_input")), 1e-15);
}

TEST(SplitTableTest, NInputDimsShiftsTheDimForBatches) {
  SplitTable s(SplitTableOptions{.dim = 0, .n_input_dims = 1});
  EXPECT_EQ(s.forward(Tensor::zeros({3})).table().size(), 3u);
  EXPECT_EQ(s.forward(Tensor::zeros({2, 4})).table().size(), 4u);
}

TEST(SplitTableTest, NonContiguousGradOutputs) {
  SplitTable s(SplitTableOptions{.dim = 0});
  const Tensor x = random_tensor({2, 3}, 1);
  s.forward(test::noncontig(x));
  const Tensor g0 = random_tensor({3}, 2), g1 = random_tensor({3}, 3);
  const Tensor gi = s.backward(test::noncontig(x), Activity(Table{test::noncontig(g0), g1})).tensor();
  EXPECT_EQ(max_abs_diff(gi, stack({g0, g1}, 0)), 0.0);
}

TEST(SplitTableTest, GradientsMatchFiniteDifferences) {
  SplitTable s(SplitTableOptions{.dim = -1});
  EXPECT_TRUE(test::check_module_gradients(s, random_tensor({2, 3}, 4)));
}

TEST(SplitTableTest, TableLayersComposeInSequential) {
  // [N, 2, 3] -> {[N, 3], [N, 3]} -> [N, 3] product -> ... checked end to end by finite differences.
  Sequential seq({std::make_shared<SplitTable>(SplitTableOptions{.dim = 1}), std::make_shared<CMulTable>()});
  EXPECT_TRUE(test::check_module_gradients(seq, random_tensor({2, 2, 3}, 9)));
  Sequential round_trip({std::make_shared<SplitTable>(SplitTableOptions{.dim = 0}),
                         std::make_shared<JoinTable>(JoinTableOptions{.dim = 0})});
  const Tensor x = random_tensor({3, 2}, 10);
  EXPECT_EQ(max_abs_diff(round_trip.forward(x).tensor(), x.view({6})), 0.0);
  EXPECT_THROW_WITH(round_trip.forward(Tensor::zeros({2})), IndexError, "[nn.JoinTable '1'] dim out of range");
}

TEST(SplitTableTest, ErrorsNameCounts) {
  SplitTable s(SplitTableOptions{.dim = 1});
  EXPECT_THROW_WITH(s.forward(Table{Tensor::zeros({2})}), TypeError,
                    "[nn.SplitTable] input must be a Tensor, got Table{Tensor[2]}");
  EXPECT_THROW_WITH(s.forward(Tensor::zeros({2})), IndexError, "dim out of range");
  const Tensor x = Tensor::zeros({2, 3});
  EXPECT_THROW_WITH(s.backward(x, Table{Tensor::zeros({2}), Tensor::zeros({2})}), ShapeError,
                    "grad_output has the wrong number of entries: expected 3 (input size along dim 1), got 2");
  EXPECT_THROW_WITH(s.backward(x, Table{Tensor::zeros({2}), Tensor::zeros({3}), Tensor::zeros({2})}), ShapeError,
                    "grad_output entry 1 has the wrong shape: expected [2], got [3]");
  EXPECT_THROW_WITH(s.backward(x, Tensor::zeros({2, 3})), TypeError, "grad_output must be a Table");
}

}  // namespace
}  // namespace ember::nn
