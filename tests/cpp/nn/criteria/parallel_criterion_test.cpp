#include "ember/nn/criteria/parallel_criterion.h"

#include <gtest/gtest.h>

#include "ember/nn/criteria/abs_criterion.h"
#include "ember/nn/criteria/cosine_embedding_criterion.h"
#include "ember/nn/criteria/cross_entropy_criterion.h"
#include "ember/nn/criteria/mse_criterion.h"
#include "nn/criteria/criterion_test_util.h"

namespace ember::nn {
namespace {

TEST(ParallelCriterionTest, WeightedSumOfChildren) {
  auto ce = std::make_shared<CrossEntropyCriterion>();
  auto mse = std::make_shared<MSECriterion>();
  ParallelCriterion crit;
  crit.add(ce, 0.5).add(mse, 2.0);
  const Tensor logits = test::random_tensor({3, 4}, 101), labels = Tensor::from_vector(std::vector<int64_t>{0, 3, 1}, {3});
  const Tensor x = test::random_tensor({3, 2}, 102), y = test::random_tensor({3, 2}, 103);
  CrossEntropyCriterion ce_ref;
  MSECriterion mse_ref;
  const double expected = 0.5 * ce_ref.forward(logits, labels) + 2.0 * mse_ref.forward(x, y);
  EXPECT_NEAR(crit.forward(Table{logits, x}, Table{labels, y}), expected, 1e-14);
  EXPECT_NEAR(crit.output(), expected, 1e-14);
  const Table& g = crit.backward(Table{logits, x}, Table{labels, y}).table();
  ASSERT_EQ(g.size(), 2u);
  EXPECT_LT(max_abs_diff(g[0].tensor(), mul(ce_ref.backward(logits, labels), 0.5)), 1e-15);
  EXPECT_LT(max_abs_diff(g[1].tensor(), mul(mse_ref.backward(x, y), 2.0)), 1e-15);
  const void* p = g[1].tensor().raw_data();
  EXPECT_EQ(crit.backward(Table{logits, x}, Table{labels, y}).table()[1].tensor().raw_data(), p)
      << "the scaled gradient buffers are reused";
}

TEST(ParallelCriterionTest, RepeatTargetGivesEveryChildTheSameTarget) {
  ParallelCriterion crit({.repeat_target = true});
  crit.add(std::make_shared<MSECriterion>()).add(std::make_shared<AbsCriterion>(), 3.0);
  const Tensor a = test::random_tensor({4}, 104), b = test::random_tensor({4}, 105), y = test::random_tensor({4}, 106);
  MSECriterion mse;
  AbsCriterion l1;
  EXPECT_NEAR(crit.forward(Table{a, b}, y), mse.forward(a, y) + 3.0 * l1.forward(b, y), 1e-14);
}

TEST(ParallelCriterionTest, GradientsMatchFiniteDifferencesWithNestedTables) {
  ParallelCriterion crit;
  crit.add(std::make_shared<CosineEmbeddingCriterion>(), 0.7).add(std::make_shared<MSECriterion>(), -1.5);
  const Activity input = Table{Table{test::random_tensor({3, 2}, 107), test::random_tensor({3, 2}, 108)},
                               test::random_tensor({2, 2}, 109)};
  const Activity target = Table{Tensor::from_vector(std::vector<double>{1, -1, -1}, {3}), test::random_tensor({2, 2}, 110)};
  EXPECT_TRUE(test::check_criterion_gradients(crit, input, target));
}

TEST(ParallelCriterionTest, Float32AgreesWithFloat64) {
  ParallelCriterion crit;
  crit.add(std::make_shared<CrossEntropyCriterion>()).add(std::make_shared<MSECriterion>(), 0.25);
  const Tensor labels = Tensor::from_vector(std::vector<int64_t>{2, 0}, {2});
  const Tensor x = test::random_tensor({2, 3}, 111, -3, 3), r = test::random_tensor({2, 5}, 112), t = test::random_tensor({2, 5}, 113);
  const double l64 = crit.forward(Table{x, r}, Table{labels, t});
  const Tensor g64 = crit.backward(Table{x, r}, Table{labels, t}).table()[1].tensor().clone();
  const Activity in32 = Table{x.to(DType::Float32), r.to(DType::Float32)};
  const Activity t32 = Table{labels, t.to(DType::Float32)};
  EXPECT_NEAR(crit.forward(in32, t32), l64, 1e-6);
  const Tensor& g32 = crit.backward(in32, t32).table()[1].tensor();
  EXPECT_EQ(g32.dtype(), DType::Float32);
  EXPECT_LT(max_abs_diff(g32.to(DType::Float64), g64), 1e-6);
}

TEST(ParallelCriterionTest, ErrorsNameTheChild) {
  ParallelCriterion crit;
  EXPECT_THROW_WITH(crit.forward(Table{}, Table{}), ValueError,
                    "[nn.ParallelCriterion] no criteria: expected at least one. Hint: call add(criterion, weight)");
  crit.add(std::make_shared<MSECriterion>()).add(std::make_shared<MSECriterion>());
  const Tensor x = Tensor::zeros({2});
  EXPECT_THROW_WITH(crit.forward(Table{x, x}, Table{x, Tensor::zeros({3})}), ShapeError,
                    "[nn.MSECriterion '1'] target shape mismatch: expected the input's shape [2], got target of shape [3]");
  EXPECT_THROW_WITH(crit.forward(Table{x}, Table{x, x}), ShapeError,
                    "[nn.ParallelCriterion] input table size mismatch: expected 2 entries (one per criterion), got "
                    "Table{Tensor[2]}");
  EXPECT_THROW_WITH(crit.forward(Table{x, x}, x), TypeError,
                    "target must be a Table with one entry per criterion (2), got Tensor[2]. Hint: use "
                    "repeat_target=true");
  EXPECT_THROW_WITH(crit.forward(x, Table{x, x}), TypeError, "input must be a Table with one entry per criterion (2)");
  EXPECT_THROW_WITH(crit.add(nullptr), ValueError, "[nn.ParallelCriterion] add: criterion is null");
  EXPECT_THROW_WITH(crit.criterion(5), IndexError, "criterion index 5 out of range: expected < 2");
  EXPECT_EQ(crit.repr(), "nn.ParallelCriterion(repeat_target=false; 0: 1 * nn.MSECriterion(size_average=true), "
                         "1: 1 * nn.MSECriterion(size_average=true))");
}

}  // namespace
}  // namespace ember::nn
