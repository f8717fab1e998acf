#include <gtest/gtest.h>

#include "ember/nn/layers/identity.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(IdentityTest, PassesTensorsAndTablesThrough) {
  Identity id;
  const Tensor x = random_tensor({2, 3}, 1);
  EXPECT_TRUE(id.forward(x).tensor().shares_storage(x));
  EXPECT_EQ(id.forward(x).tensor().shape(), x.shape());
  const Tensor g = random_tensor({2, 3}, 2);
  EXPECT_TRUE(id.backward(x, g).tensor().shares_storage(g));
  const Activity t = Table{x, Table{g}};
  EXPECT_EQ(id.forward(t).describe(), "Table{Tensor[2, 3]:float64, Table{Tensor[2, 3]:float64}}");
}

TEST(IdentityTest, GradientsMatchFiniteDifferences) {
  Identity id;
  EXPECT_TRUE(test::check_module_gradients(id, random_tensor({3, 2}, 3)));
  EXPECT_TRUE(test::check_module_gradients(id, Activity(Table{random_tensor({2}, 4), random_tensor({1, 3}, 5)})));
}

TEST(IdentityTest, EmptyActivityIsRejected) {
  Identity id;
  EXPECT_THROW_WITH(id.forward(Activity()), ValueError, "[nn.Identity] input is empty");
  EXPECT_THROW_WITH(id.backward(Tensor::zeros({1}), Activity()), ValueError, "[nn.Identity] grad_output is empty");
}

}  // namespace
}  // namespace ember::nn
