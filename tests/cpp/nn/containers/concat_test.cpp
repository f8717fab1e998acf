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

std::shared_ptr<Concat> two_branch_concat(int64_t dim) {
  auto branch = std::make_shared<Sequential>(std::vector<ModulePtr>{linear(4, 3), std::make_shared<CachedSquare>()});
  return std::make_shared<Concat>(ConcatOptions{.dim = dim}, std::vector<ModulePtr>{linear(4, 5), branch});
}

// ---- Concat ------------------------------------------------------------------------------------
TEST(ConcatTest, ForwardJoinsChildrenAlongDim) {
  auto a = linear(4, 5), b = linear(4, 3);
  Concat cat(ConcatOptions{.dim = 1}, {a, b});
  const Tensor x = random_tensor({2, 4}, 1);
  const Tensor y = cat.forward(x).tensor().clone();
  EXPECT_EQ(y.shape(), Shape({2, 8}));
  EXPECT_EQ(max_abs_diff(y.narrow(1, 0, 5), a->forward(x).tensor()), 0.0);
  EXPECT_EQ(max_abs_diff(y.narrow(1, 5, 3), b->forward(x).tensor()), 0.0);
}

TEST(ConcatTest, NegativeAndBatchDims) {
  auto a = linear(4, 2), b = linear(4, 2);
  Concat last(ConcatOptions{.dim = -1}, {a, b});
  const Tensor x = random_tensor({3, 4}, 2);
  const Tensor y = last.forward(x).tensor().clone();
  EXPECT_EQ(y.shape(), Shape({3, 4}));
  Concat batch(ConcatOptions{.dim = 0}, {linear(4, 2), linear(4, 2)});
  EXPECT_EQ(batch.forward(x).tensor().shape(), Shape({6, 2}));
}

TEST(ConcatTest, GradientsMatchFiniteDifferences) {
  for (int64_t dim : {1, -1, 0}) {
    auto cat = dim == 0 ? std::make_shared<Concat>(ConcatOptions{.dim = 0},
                                                   std::vector<ModulePtr>{linear(4, 3), linear(4, 3)})
                        : two_branch_concat(dim);
    EXPECT_TRUE(check_module_gradients(*cat, random_tensor({3, 4}, 3))) << "dim=" << dim;
  }
}

TEST(ConcatTest, SeparateStepsMatchFusedBackward) {
  auto cat = two_branch_concat(1);
  const Tensor x = random_tensor({3, 4}, 4), gy = random_tensor({3, 8}, 5);
  cat->zero_grad_parameters();
  cat->forward(x);
  const Activity fused = deep_clone(cat->backward(x, gy));
  const Tensor gw = cat->gradients()[0].clone();
  cat->zero_grad_parameters();
  cat->forward(x);
  const Activity gi = deep_clone(cat->update_grad_input(x, gy));
  cat->acc_grad_parameters(x, gy);
  EXPECT_LT(activity_diff(gi, fused), 1e-12);
  EXPECT_LT(max_abs_diff(cat->gradients()[0], gw), 1e-12);
  EXPECT_GT(norm(gw), 0.0);
}

TEST(ConcatTest, ReusesItsBuffers) {
  auto cat = two_branch_concat(1);
  const Tensor x = random_tensor({3, 4}, 6), gy = random_tensor({3, 8}, 7);
  cat->forward(x);
  const void* out = cat->output().tensor().raw_data();
  const void* gin = cat->backward(x, gy).tensor().raw_data();
  cat->forward(x);
  EXPECT_EQ(cat->output().tensor().raw_data(), out);
  EXPECT_EQ(cat->backward(x, gy).tensor().raw_data(), gin);
}

TEST(ConcatTest, ChildrenErrorsCarryTheirKey) {
  auto bad = linear(5, 2);
  bad->set_name("proj");
  Concat cat(ConcatOptions{.dim = 1}, {linear(4, 3), bad});
  EXPECT_THROW_WITH(cat.forward(Tensor::zeros({2, 4}, DType::Float64)), ShapeError,
                    "[nn.Linear 'proj'] input feature size mismatch: expected last dimension in_features=5");
}

TEST(ConcatTest, MismatchedOutputsAreRejected) {
  Concat batch(ConcatOptions{.dim = 0}, {linear(4, 2), linear(4, 3)});
  EXPECT_THROW_WITH(batch.forward(random_tensor({2, 4}, 8)), ShapeError,
                    "[nn.Concat] output of child '1' cannot be concatenated along dim=0: expected every size but dim 0 "
                    "to match child '0' (shape [2, 2]), got shape [2, 3]");
  Concat far(ConcatOptions{.dim = 2}, {linear(4, 2)});
  EXPECT_THROW_WITH(far.forward(random_tensor({2, 4}, 9)), IndexError,
                    "dim out of range: expected dim in [-2, 1] for outputs of shape [2, 2], got dim=2");
  Concat tables(ConcatOptions{}, {std::make_shared<ConcatTable>(std::vector<ModulePtr>{linear(4, 2)})});
  EXPECT_THROW_WITH(tables.forward(random_tensor({2, 4}, 10)), TypeError,
                    "child '0' must return a Tensor to be concatenated: expected a Tensor, got Table{Tensor[2, 2]:float64}");
  Concat empty;
  EXPECT_THROW_WITH(empty.forward(random_tensor({2, 4}, 11)), ValueError, "[nn.Concat] has no children");
}

TEST(ConcatTest, BadGradientsAreRejected) {
  auto cat = two_branch_concat(1);
  const Tensor x = random_tensor({3, 4}, 12);
  cat->forward(x);
  EXPECT_THROW_WITH(cat->backward(x, random_tensor({3, 7}, 13)), ShapeError,
                    "[nn.Concat] grad_output shape mismatch: expected the output shape [3, 8], got [3, 7]");
  EXPECT_THROW_WITH(cat->backward(x, Table{x}), TypeError, "grad_output must be a Tensor");
  Concat wrong(ConcatOptions{}, {linear(4, 2), std::make_shared<testmods::WrongGrad>()});
  wrong.forward(x);
  EXPECT_THROW_WITH(wrong.backward(x, random_tensor({3, 6}, 14)), ShapeError,
                    "[nn.Concat] grad_input of child '1' has shape [1]: expected the input's shape [3, 4]");
}

TEST(ConcatTest, ConfigReprAndRegistry) {
  auto cat = two_branch_concat(-1);
  EXPECT_EQ(cat->extra_repr(), "dim=-1");
  EXPECT_EQ(cat->repr().substr(0, 23), "nn.Concat(dim=-1\n  (0):");
  auto made = Registry::global().create_module("nn.Concat", cat->config());
  EXPECT_EQ(std::static_pointer_cast<Concat>(made)->options().dim, -1);
  EXPECT_EQ(cat->named_parameters()[2].name, "1.0.weight");
}

// ---- ConcatTable -------------------------------------------------------------------------------
TEST(ConcatTableTest, OutputsOneEntryPerChild) {
  auto a = linear(4, 5), b = linear(4, 3);
  ConcatTable ct({a, b});
  const Tensor x = random_tensor({2, 4}, 20);
  const Table& ys = ct.forward(x).table();
  ASSERT_EQ(ys.size(), 2u);
  EXPECT_EQ(ys[0].tensor().shape(), Shape({2, 5}));
  EXPECT_EQ(max_abs_diff(ys[1].tensor(), addmm(std::static_pointer_cast<Linear>(b)->bias(), x,
                                               std::static_pointer_cast<Linear>(b)->weight().t())),
            0.0);
}

TEST(ConcatTableTest, GradientsMatchFiniteDifferences) {
  auto branch = std::make_shared<Sequential>(std::vector<ModulePtr>{linear(4, 3), std::make_shared<CachedSquare>()});
  ConcatTable ct({linear(4, 2), branch, linear(4, 4)});
  EXPECT_TRUE(check_module_gradients(ct, random_tensor({3, 4}, 21)));
}

TEST(ConcatTableTest, TableGradInputsAreSummedElementWise) {
  // Input {x [3, 4], z [3, 2]}; each child returns a Table grad_input, summed per element.
  ConcatTable ct({std::make_shared<ParallelTable>(std::vector<ModulePtr>{linear(4, 2), linear(2, 3)}),
                  std::make_shared<ParallelTable>(std::vector<ModulePtr>{linear(4, 1), linear(2, 2)})});
  const Table in{random_tensor({3, 4}, 22), random_tensor({3, 2}, 23)};
  EXPECT_TRUE(check_module_gradients(ct, in));
  const Activity& gi = ct.grad_input();
  ASSERT_TRUE(gi.is_table());
  EXPECT_EQ(gi.table()[1].tensor().shape(), Shape({3, 2}));
}

TEST(ConcatTableTest, SeparateStepsMatchFusedBackward) {
  ConcatTable ct({linear(4, 2), linear(4, 3)});
  const Tensor x = random_tensor({3, 4}, 24);
  const Table gy{random_tensor({3, 2}, 25), random_tensor({3, 3}, 26)};
  ct.zero_grad_parameters();
  ct.forward(x);
  const Activity fused = deep_clone(ct.backward(x, gy));
  const Tensor g1 = ct.gradients()[2].clone();
  ct.zero_grad_parameters();
  const Activity gi = deep_clone(ct.update_grad_input(x, gy));
  ct.acc_grad_parameters(x, gy);
  EXPECT_LT(activity_diff(gi, fused), 1e-12);
  EXPECT_LT(max_abs_diff(ct.gradients()[2], g1), 1e-12);
}

TEST(ConcatTableTest, BadGradientsAreRejected) {
  ConcatTable ct({linear(4, 2), linear(4, 3)});
  const Tensor x = random_tensor({3, 4}, 27);
  ct.forward(x);
  EXPECT_THROW_WITH(ct.backward(x, random_tensor({3, 2}, 28)), TypeError,
                    "[nn.ConcatTable] grad_output must be a Table with one gradient per child: expected a Table of 2, "
                    "got Tensor[3, 2]:float64");
  EXPECT_THROW_WITH(ct.backward(x, Table{random_tensor({3, 2}, 29)}), ShapeError,
                    "grad_output table size mismatch: expected one gradient per child (2), got 1");
  ConcatTable wrong({linear(4, 2), std::make_shared<testmods::WrongGrad>()});
  wrong.forward(x);
  EXPECT_THROW_WITH(wrong.backward(x, Table{random_tensor({3, 2}, 30), x}), ShapeError,
                    "[nn.ConcatTable] grad_input of child '1' has shape [1]: expected the input's shape [3, 4]");
  ConcatTable empty;
  EXPECT_THROW_WITH(empty.forward(x), ValueError, "[nn.ConcatTable] has no children");
}

TEST(ConcatTableTest, ChildrenErrorsCarryTheirKey) {
  auto inner = std::make_shared<ConcatTable>(std::vector<ModulePtr>{linear(4, 2), linear(3, 2)});
  inner->set_name("heads");
  Sequential seq({inner});
  EXPECT_THROW_WITH(seq.forward(random_tensor({2, 4}, 31)), ShapeError, "[nn.Linear 'heads.1'] input feature size");
}

}  // namespace
}  // namespace ember::nn
