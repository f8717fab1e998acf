#include "ember/optim/validation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/gradient_check.h"
#include "ember/nn/criteria/class_nll_criterion.h"
#include "ember/nn/criteria/mse_criterion.h"
#include "ember/tensor/ops.h"

namespace ember::optim {
namespace {

// Scores for 5 samples and 4 classes; row i's classes ranked by score:
//   0: 2 > 0 > 1 > 3      1: 1 > 3 > 0 > 2      2: 0 = 3 > 1 > 2 (tie)
//   3: 3 > 2 > 1 > 0      4: 2 > 1 > 0 = 3 (tie)
Tensor scores(DType dtype = DType::Float32) {
  return Tensor::from_vector(std::vector<double>{0.3, 0.1, 0.5, 0.1,  //
                                                 0.2, 0.6, 0.1, 0.4,  //
                                                 0.9, 0.5, 0.2, 0.9,  //
                                                 0.0, 0.1, 0.2, 0.3,  //
                                                 0.1, 0.2, 0.7, 0.1},
                             {5, 4}, dtype);
}
Tensor labels(std::vector<int64_t> v) { return Tensor::from_vector(v, {static_cast<int64_t>(v.size())}); }

TEST(ValidationTest, Top1CountsArgmaxHitsWithTiesGoingToTheLowerIndex) {
  Top1Accuracy top1;
  EXPECT_EQ(top1.name(), "Top1Accuracy");
  EXPECT_TRUE(top1.higher_is_better());
  // Hits: sample 0 (2), sample 2 (0: ties with 3, lower index wins), sample 4 (2). Misses: 1, 3.
  const ValidationResult r = top1.evaluate(scores(), labels({2, 3, 0, 0, 2}));
  EXPECT_EQ(r.name, "Top1Accuracy");
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(r.count, 5);
  EXPECT_DOUBLE_EQ(r.value(), 0.6);
  EXPECT_EQ(top1.evaluate(scores(), labels({2, 1, 3, 3, 2})).total, 4);  // label 3 of sample 2 loses the tie
  EXPECT_EQ(r.repr(), "Top1Accuracy is Accuracy(correct: 3, count: 5, accuracy: 0.6)");
}

TEST(ValidationTest, TopKCountsTargetsAmongTheKBest) {
  TopKAccuracy top2(2);
  EXPECT_EQ(top2.name(), "Top2Accuracy");
  // Ranks of targets {0, 2, 3, 1, 0}: sample0 rank 1, sample1 rank 3, sample2 rank 1, sample3 rank 2,
  // sample4 rank 2 (0 ties with 3 and wins the tie, but 2 and 1 are higher).
  const ValidationResult r = top2.evaluate(scores(DType::Float64), labels({0, 2, 3, 1, 0}));
  EXPECT_EQ(r.total, 2);
  EXPECT_EQ(TopKAccuracy(3).evaluate(scores(), labels({0, 2, 3, 1, 0})).total, 4);
  // k >= C: everything is correct (Top5 on 4 classes).
  Top5Accuracy top5;
  EXPECT_EQ(top5.name(), "Top5Accuracy");
  EXPECT_EQ(top5.evaluate(scores(), labels({0, 2, 3, 1, 0})).total, 5);
}

TEST(ValidationTest, AcceptsOneSampleColumnTargetsAndFloatLabels) {
  Top1Accuracy top1;
  const Tensor one = Tensor::from_vector(std::vector<double>{0.1, 0.7, 0.2}, {3});
  ValidationResult r = top1.evaluate(one, Tensor::scalar(1, DType::Int64));
  EXPECT_EQ(r.total, 1);
  EXPECT_EQ(r.count, 1);
  r = top1.evaluate(scores(), Tensor::from_vector(std::vector<double>{2, 3, 0, 0, 2}, {5, 1}, DType::Float32));
  EXPECT_EQ(r.total, 3);
  r = top1.evaluate(scores().transpose(0, 1).contiguous().transpose(0, 1),  // strided scores
                    Tensor::from_vector(std::vector<int32_t>{2, 3, 0, 0, 2}, {5}));
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(top1.evaluate(Tensor::zeros({0, 4}), Tensor::zeros({0}, DType::Int64)).count, 0);
}

TEST(ValidationTest, MergeEqualsEvaluatingTheConcatenation) {
  Top1Accuracy top1;
  const Tensor x = scores(), y = labels({2, 3, 0, 0, 2});
  ValidationResult merged;  // empty: takes the first name
  merged.merge(top1.evaluate(x.narrow(0, 0, 2), y.narrow(0, 0, 2)));
  merged.merge(top1.evaluate(x.narrow(0, 2, 3), y.narrow(0, 2, 3)));
  const ValidationResult whole = top1.evaluate(x, y);
  EXPECT_EQ(merged.name, whole.name);
  EXPECT_EQ(merged.total, whole.total);
  EXPECT_EQ(merged.count, whole.count);

  MAE mae;
  const Tensor o = Tensor::from_vector(std::vector<double>{1, 2, 3, 4, 5, 6}, {3, 2});
  const Tensor t = Tensor::from_vector(std::vector<double>{1.5, 2, 2, 4, 5, 8}, {3, 2});
  ValidationResult m = mae.evaluate(o.narrow(0, 0, 1), t.narrow(0, 0, 1));
  m.merge(mae.evaluate(o.narrow(0, 1, 2), t.narrow(0, 1, 2)));
  EXPECT_DOUBLE_EQ(m.value(), mae.evaluate(o, t).value());
}

TEST(ValidationTest, MergeRejectsDifferentMethods) {
  ValidationResult a{"Top1Accuracy", 3, 5};
  EXPECT_THROW_WITH(a.merge(ValidationResult{"Loss", 1, 1}), ValueError,
                    "cannot merge a 'Loss' result into a 'Top1Accuracy' result");
  EXPECT_TRUE(std::isnan(ValidationResult{}.value()));
}

TEST(ValidationTest, LossIsTheMeanOverSamplesForAveragingAndSummingCriteria) {
  // Log-probabilities; NLL of targets {0, 1, 2, 0} = 0.1, 0.5, 1.0, 0.7: mean 0.575, sum 2.3.
  const Tensor logp = Tensor::from_vector(std::vector<double>{-0.1, -2, -3, -1, -0.5, -2, -3, -0.2, -1, -0.7, -0.7, -0.7},
                                          {4, 3}, DType::Float64);
  const Tensor y = labels({0, 1, 2, 0});
  Loss avg(std::make_shared<nn::ClassNLLCriterion>());
  EXPECT_EQ(avg.name(), "Loss");
  EXPECT_FALSE(avg.higher_is_better());
  const ValidationResult r = avg.evaluate(logp, y);
  EXPECT_NEAR(r.total, 2.3, 1e-12);
  EXPECT_EQ(r.count, 4);
  EXPECT_NEAR(r.value(), 0.575, 1e-12);
  Loss sum(std::make_shared<nn::ClassNLLCriterion>(nn::ClassNLLCriterionOptions{.size_average = false}));
  EXPECT_NEAR(sum.evaluate(logp, y).total, 2.3, 1e-12);
  // Uneven parts: the merged value is still the per-sample mean, not the mean of batch means.
  ValidationResult m = avg.evaluate(logp.narrow(0, 0, 1), y.narrow(0, 0, 1));
  m.merge(avg.evaluate(logp.narrow(0, 1, 3), y.narrow(0, 1, 3)));
  EXPECT_NEAR(m.value(), 0.575, 1e-12);
  EXPECT_EQ(ValidationResult({"Loss", 2.5, 10}).repr(), "Loss is (Loss: 2.5, count: 10, Average Loss: 0.25)");
}

TEST(ValidationTest, MaeIsTheMeanAbsoluteErrorOverElements) {
  MAE mae;
  const Tensor o = Tensor::from_vector(std::vector<double>{1, -2, 3, 4}, {4});
  const Tensor t = Tensor::from_vector(std::vector<double>{0, 2, 3, 1.5}, {4, 1}, DType::Float64);
  const ValidationResult r = mae.evaluate(o, t);  // |1| + |-4| + 0 + |2.5| = 7.5 over 4
  EXPECT_EQ(r.total, 7.5);
  EXPECT_EQ(r.count, 4);
  EXPECT_EQ(r.repr(), "MAE is (Average score: 1.875, count: 4)");
  EXPECT_FALSE(mae.higher_is_better());
  EXPECT_THROW_WITH(mae.evaluate(o, Tensor::zeros({3})), ShapeError,
                    "[MAE] output and target must have the same number of elements: got output shape [4] and "
                    "target shape [3]");
}

TEST(ValidationTest, ErrorsNameTheIndexAndValue) {
  Top1Accuracy top1;
  EXPECT_THROW_WITH(top1.evaluate(scores(), labels({0, 1, 4, 0, 1})), IndexError,
                    "[Top1Accuracy] target[2] = 4 is out of range: expected a 0-based class index in [0, 3] for output "
                    "of shape [5, 4]. Hint: labels count from 0");
  EXPECT_THROW_WITH(top1.evaluate(scores(), labels({0, -1, 0, 0, 1})), IndexError, "target[1] = -1 is out of range");
  EXPECT_THROW_WITH(top1.evaluate(scores(), Tensor::from_vector(std::vector<double>{0, 1, 2.5, 0, 1}, {5})),
                    ValueError, "[Top1Accuracy] target[2] = 2.5 is not a whole class index");
  EXPECT_THROW_WITH(top1.evaluate(scores(), labels({0, 1})), ShapeError,
                    "target must hold one class index per sample: expected shape [5] or [5, 1] for output of shape "
                    "[5, 4], got [2]");
  EXPECT_THROW_WITH(top1.evaluate(Tensor::zeros({2, 3, 4}), labels({0, 1})), ShapeError,
                    "output must be [N, C] class scores or [C] for one sample, got shape [2, 3, 4]");
  EXPECT_THROW_WITH(top1.evaluate(nn::Table{scores()}, labels({0})), TypeError,
                    "[Top1Accuracy] output must be a Tensor, got Table{");
  EXPECT_THROW_WITH(TopKAccuracy(0), ValueError, "k must be >= 1, got 0");
  EXPECT_THROW_WITH(Loss(nullptr), ValueError, "the criterion must not be null");
}

TEST(ValidationTest, FactoryKnowsBigDLAndShortNames) {
  EXPECT_EQ(make_validation_method("top1")->name(), "Top1Accuracy");
  EXPECT_EQ(make_validation_method("Top1Accuracy")->name(), "Top1Accuracy");
  EXPECT_EQ(make_validation_method("top5")->name(), "Top5Accuracy");
  EXPECT_EQ(make_validation_method("Top5Accuracy")->name(), "Top5Accuracy");
  EXPECT_EQ(make_validation_method("top3")->name(), "Top3Accuracy");
  EXPECT_EQ(make_validation_method("MAE")->name(), "MAE");
  EXPECT_EQ(make_validation_method("mae")->name(), "MAE");
  auto loss = make_validation_method("loss", std::make_shared<nn::MSECriterion>());
  EXPECT_EQ(loss->name(), "Loss");
  EXPECT_NE(dynamic_cast<Loss*>(loss.get()), nullptr);
  EXPECT_THROW_WITH(make_validation_method("Loss"), ValueError, "'Loss' needs a criterion");
  EXPECT_THROW_WITH(make_validation_method("top0"), ValueError, "unknown validation method 'top0'");
  EXPECT_THROW_WITH(make_validation_method("accuracy"), ValueError,
                    "unknown validation method 'accuracy': expected one of top1 (Top1Accuracy), top5");
}

}  // namespace
}  // namespace ember::optim
