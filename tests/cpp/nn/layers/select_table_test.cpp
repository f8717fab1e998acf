#include <gtest/gtest.h>

#include "ember/nn/layers/select_table.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(SelectTableTest, SelectsAndRoutesTheGradient) {
  SelectTable s(SelectTableOptions{.index = -1});
  const Tensor a = random_tensor({2}, 1), b = random_tensor({3}, 2);
  const Activity in = Table{Table{a, a}, b};
  EXPECT_TRUE(s.forward(in).tensor().shares_storage(b));
  const Tensor g = random_tensor({3}, 3);
  const Table& gi = s.backward(in, g).table();
  ASSERT_EQ(gi.size(), 2u);
  EXPECT_TRUE(gi[1].tensor().shares_storage(g));
  ASSERT_TRUE(gi[0].is_table());
  EXPECT_EQ(gi[0].table()[1].tensor().shape(), Shape({2}));
  EXPECT_EQ(sum_all(abs(gi[0].table()[0].tensor())), 0.0);
}

TEST(SelectTableTest, SelectsANestedTable) {
  SelectTable s(SelectTableOptions{.index = 0});
  const Activity in = Table{Table{random_tensor({2}, 1)}, random_tensor({1}, 2)};
  EXPECT_TRUE(s.forward(in).is_table());
  EXPECT_TRUE(test::check_module_gradients(s, in));
}

TEST(SelectTableTest, ZeroBuffersNeverAliasTheGradOutput) {
  SelectTable s(SelectTableOptions{.index = -1});
  const Tensor g = Tensor::ones({2});
  s.backward(Table{Tensor::zeros({2}), Tensor::zeros({2})}, g);
  s.backward(Table{Tensor::zeros({2}), Tensor::zeros({2}), Tensor::zeros({2})}, Tensor::ones({2}));
  EXPECT_EQ(sum_all(g), 2.0);  // the first call's grad_output was not zeroed by the second
}

TEST(SelectTableTest, GradientsMatchFiniteDifferences) {
  SelectTable s(SelectTableOptions{.index = 1});
  EXPECT_TRUE(test::check_module_gradients(s, Activity(Table{random_tensor({2}, 3), random_tensor({2, 2}, 4)})));
}

TEST(SelectTableTest, ErrorsNameTheIndex) {
  SelectTable s(SelectTableOptions{.index = 2});
  EXPECT_THROW_WITH(s.forward(Table{Tensor::zeros({1}), Tensor::zeros({1})}), IndexError,
                    "[nn.SelectTable] index out of range: expected a value in [-2, 1] for a table of 2 entries, got 2");
  EXPECT_THROW_WITH(s.forward(Tensor::zeros({3})), TypeError,
                    "[nn.SelectTable] input must be a Table: expected a Table of tensors, got Tensor[3]");
  SelectTable first;
  EXPECT_THROW_WITH(first.backward(Table{Tensor::zeros({1})}, Activity()), ValueError,
                    "grad_output is empty: expected the gradient of entry 0");
}

}  // namespace
}  // namespace ember::nn
