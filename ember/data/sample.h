#pragma once
/// Sample and MiniBatch: one record and a batch of records (BigDL: Sample, MiniBatch).

#include <cstdint>
#include <vector>

#include "ember/nn/activity.h"
#include "ember/tensor/tensor.h"

namespace ember::data {

/// One record: one or more feature tensors and zero or more label tensors. Labels are class indices
/// (int64 scalars, 0-based) for classification or tensors for regression.
struct Sample {
  std::vector<Tensor> features;
  std::vector<Tensor> labels;

  Sample() = default;
  Sample(Tensor feature, Tensor label) : features{std::move(feature)}, labels{std::move(label)} {}
  explicit Sample(Tensor feature) : features{std::move(feature)} {}

  /// The first feature / label (throws ValueError when there is none).
  const Tensor& feature() const;
  const Tensor& label() const;
};

/// A batch: `input` is the stacked features (a Tensor [N, ...] for one feature, a Table of them for
/// several) and `target` the stacked labels; `size` is N (the last batch of an epoch may be smaller).
struct MiniBatch {
  nn::Activity input;
  nn::Activity target;
  int64_t size = 0;
};

/// Stacks samples into a MiniBatch (features must agree in shape and dtype; the error names the
/// first sample that differs). One feature gives input Tensor [N, ...]; several give a Table of
/// them, in order; the same for labels (no labels: target stays empty).
MiniBatch collate(const std::vector<Sample>& samples);

/// collate() into `out`, reusing the storage of its tensors when their layout allows (the data
/// loader's batch buffers). Tensors that share storage with out's see the new values.
void collate_into(const std::vector<Sample>& samples, MiniBatch& out);

}  // namespace ember::data
