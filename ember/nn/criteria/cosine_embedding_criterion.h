#pragma once
#include <vector>

#include "ember/nn/criterion.h"

namespace ember::nn {

/// Options for `CosineEmbeddingCriterion`.
struct CosineEmbeddingCriterionOptions {
  /// Dissimilar pairs are penalised only while their cosine exceeds this; in [-1, 1].
  double margin = 0.0;
  /// Average over the batch (true, BigDL's default) or sum.
  bool size_average = true;
  template <class V>
  void visit(V&& v) {
    v("margin", margin);
    v("size_average", size_average);
  }
};

/// Embedding loss on the cosine similarity of pairs: per sample 1 - cos(x1_n, x2_n) if y_n = 1,
/// max(0, cos(x1_n, x2_n) - margin) if y_n = -1; averaged over the batch or summed. Input
/// Table{x1, x2} of two [N, D] (or [D]) tensors of one dtype; target [N] of 1 or -1 (any numeric
/// dtype). The norms carry PyTorch's 1e-12, so zero vectors do not divide by zero. grad_input is a
/// Table{dx1, dx2}. BigDL: CosineEmbeddingCriterion; PyTorch: CosineEmbeddingLoss.
///
/// Example:
///   CosineEmbeddingCriterion crit({.margin = 0.2});
///   double loss = crit.forward(Table{a, b}, labels);   // a, b [N, D], labels [N]
class CosineEmbeddingCriterion final : public Criterion {
 public:
  using Options = CosineEmbeddingCriterionOptions;
  static constexpr std::string_view kTypeName = "nn.CosineEmbeddingCriterion";
  explicit CosineEmbeddingCriterion(CosineEmbeddingCriterionOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  double update_output(const Activity& input, const Activity& target) override;
  const Activity& update_grad_input(const Activity& input, const Activity& target) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const CosineEmbeddingCriterionOptions& options() const { return options_; }

 private:
  /// Validates the activities and reads the labels into labels_.
  void check(const Activity& input, const Activity& target);
  CosineEmbeddingCriterionOptions options_;
  std::vector<double> labels_;
};

}  // namespace ember::nn
