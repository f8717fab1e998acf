#pragma once
/// Validation methods and their mergeable results. BigDL: ValidationMethod, ValidationResult,
/// Top1Accuracy, Top5Accuracy, Loss, MAE.
///
/// A result is a (total, count) pair whose value is total / count, so results of several batches or
/// several ranks combine exactly by adding the two numbers (an all-reduce of two doubles): merging
/// the results of parts equals evaluating the concatenation.
///
/// Example:
///   auto top1 = make_validation_method("top1");
///   ValidationResult r;                                   // empty: adopts the first merged name
///   for (auto& batch : batches) r.merge(top1->evaluate(model->forward(batch.input), batch.target));
///   std::cout << r.repr();   // "Top1Accuracy is Accuracy(correct: 9912, count: 10000, accuracy: 0.9912)"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ember/nn/activity.h"
#include "ember/nn/criterion.h"

namespace ember::optim {

/// A mergeable validation result: value() = total / count. BigDL: ValidationResult.
struct ValidationResult {
  std::string name;   ///< the method's name, e.g. "Top1Accuracy"
  double total = 0;   ///< correct predictions, summed loss or summed absolute error
  int64_t count = 0;  ///< samples (or elements, for MAE) evaluated

  /// total / count; NaN when count is 0.
  double value() const;
  /// Adds other's total and count. ValueError when both are named and the names differ; an empty
  /// name (a default-constructed result) takes other's name.
  void merge(const ValidationResult& other);
  /// BigDL's text: "Top1Accuracy is Accuracy(correct: 9912, count: 10000, accuracy: 0.9912)",
  /// "Loss is (Loss: 25.5, count: 100, Average Loss: 0.255)", "MAE is (Average score: 0.5, count: 8)".
  std::string repr() const;
};

/// Scores a batch of model outputs against targets. BigDL: ValidationMethod.
/// Implementations are stateless apart from their settings (Loss reuses its criterion's buffers:
/// one Loss instance per thread).
class ValidationMethod {
 public:
  virtual ~ValidationMethod() = default;
  /// "Top1Accuracy", "Top5Accuracy", "Loss", "MAE"; the name results carry.
  virtual std::string name() const = 0;
  /// Scores one batch.
  virtual ValidationResult evaluate(const nn::Activity& output, const nn::Activity& target) = 0;
  /// True when a larger value is better (accuracy), false for losses and errors. Trainers use it to
  /// keep the best model and to feed Trigger::max_score.
  virtual bool higher_is_better() const = 0;
};

using ValidationMethodPtr = std::shared_ptr<ValidationMethod>;

/// Fraction of samples whose target class is among the k highest scores. Output [N, C] scores (or
/// [C] for one sample), float32/float64; target [N] or [N, 1] 0-based class indices (int64, int32,
/// uint8, or floats holding whole numbers). Ties rank the lower class index first (as argmax).
/// k >= C counts every sample correct. BigDL: Top1Accuracy / Top5Accuracy.
class TopKAccuracy final : public ValidationMethod {
 public:
  /// k >= 1, else ValueError.
  explicit TopKAccuracy(int64_t k);
  std::string name() const override;
  ValidationResult evaluate(const nn::Activity& output, const nn::Activity& target) override;
  bool higher_is_better() const override { return true; }
  int64_t k() const { return k_; }

 private:
  int64_t k_;
};

/// TopKAccuracy(1). BigDL: Top1Accuracy.
class Top1Accuracy final : public ValidationMethod {
 public:
  std::string name() const override { return impl_.name(); }
  ValidationResult evaluate(const nn::Activity& output, const nn::Activity& target) override {
    return impl_.evaluate(output, target);
  }
  bool higher_is_better() const override { return true; }

 private:
  TopKAccuracy impl_{1};
};

/// TopKAccuracy(5). BigDL: Top5Accuracy.
class Top5Accuracy final : public ValidationMethod {
 public:
  std::string name() const override { return impl_.name(); }
  ValidationResult evaluate(const nn::Activity& output, const nn::Activity& target) override {
    return impl_.evaluate(output, target);
  }
  bool higher_is_better() const override { return true; }

 private:
  TopKAccuracy impl_{5};
};

/// The criterion's loss averaged over samples: total = loss * N for size-averaging criteria (the
/// default; also when the criterion has no size_average option), total = loss when the criterion
/// has size_average=false (it already sums); count = N, the output's first dimension (1 for a 1-d
/// output; for a Table output, its first tensor's). BigDL: Loss.
class Loss final : public ValidationMethod {
 public:
  /// criterion must not be null (ValueError).
  explicit Loss(std::shared_ptr<nn::Criterion> criterion);
  std::string name() const override { return "Loss"; }
  ValidationResult evaluate(const nn::Activity& output, const nn::Activity& target) override;
  bool higher_is_better() const override { return false; }
  const std::shared_ptr<nn::Criterion>& criterion() const { return criterion_; }

 private:
  std::shared_ptr<nn::Criterion> criterion_;
  bool sums_ = false;  // the criterion has size_average=false
};

/// Mean absolute error over elements: total = sum |output - target|, count = numel. Output and
/// target tensors with the same number of elements (shapes may differ, e.g. [N] and [N, 1]), any
/// computing dtype. BigDL: MAE.
class MAE final : public ValidationMethod {
 public:
  std::string name() const override { return "MAE"; }
  ValidationResult evaluate(const nn::Activity& output, const nn::Activity& target) override;
  bool higher_is_better() const override { return false; }
};

/// Makes a validation method by name, case-insensitively: "top1"/"Top1Accuracy", "top5"/
/// "Top5Accuracy", "top<k>"/"Top<k>Accuracy", "loss"/"Loss" (needs `criterion`), "mae"/"MAE".
/// ValueError listing the known names otherwise.
ValidationMethodPtr make_validation_method(std::string_view name, std::shared_ptr<nn::Criterion> criterion = nullptr);

}  // namespace ember::optim
