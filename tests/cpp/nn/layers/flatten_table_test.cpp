#include <gtest/gtest.h>

#include "ember/nn/layers/flatten_table.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(FlattenTableTest, FlattensDepthFirstAndRebuildsNesting) {
  FlattenTable f;
  const Tensor a = random_tensor({1}, 1), b = random_tensor({2}, 2), c = random_tensor({3}, 3), d = random_tensor({4}, 4);
  const Activity in = Table{a, Table{b, Table{c}}, d};
  const Table& out = f.forward(in).table();
  ASSERT_EQ(out.size(), 4u);
  EXPECT_TRUE(out[0].tensor().shares_storage(a));
  EXPECT_TRUE(out[2].tensor().shares_storage(c));
  EXPECT_TRUE(out[3].tensor().shares_storage(d));
  const Activity g = Table{random_tensor({1}, 5), random_tensor({2}, 6), random_tensor({3}, 7), random_tensor({4}, 8)};
  const Activity& gi = f.backward(in, g);
  EXPECT_EQ(gi.describe(), in.describe());
  EXPECT_TRUE(gi.table()[1].table()[1].table()[0].tensor().shares_storage(g.table()[2].tensor()));
  // A second forward with a different nesting reuses the buffers without mixing them up.
  EXPECT_EQ(f.forward(Table{a, b}).table().size(), 2u);
}

TEST(FlattenTableTest, GradientsMatchFiniteDifferences) {
  FlattenTable f;
  const Activity in = Table{random_tensor({2}, 1), Table{random_tensor({1, 2}, 2), Table{random_tensor({3}, 3)}}};
  EXPECT_TRUE(test::check_module_gradients(f, in));
}

TEST(FlattenTableTest, ErrorsNameCounts) {
  FlattenTable f;
  EXPECT_THROW_WITH(f.forward(Tensor::zeros({2})), TypeError,
                    "[nn.FlattenTable] input must be a Table: expected a Table of tensors, got Tensor[2]");
  const Activity in = Table{Tensor::zeros({1}), Table{Tensor::zeros({1})}};
  EXPECT_THROW_WITH(f.backward(in, Table{Tensor::zeros({1})}), ShapeError,
                    "grad_output has the wrong number of entries: expected 2 (the tensors in the input), got 1");
  EXPECT_THROW_WITH(f.forward(Table{Activity()}), TypeError, "input holds an empty entry");
}

}  // namespace
}  // namespace ember::nn
