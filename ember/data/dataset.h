#pragma once
/// DataSet: a random-access collection of Samples (BigDL: DataSet). The DataLoader draws batches
/// from it; image folders decode lazily, so data need not fit in memory.

#include <cstdint>
#include <memory>
#include <string>

#include "ember/data/sample.h"

namespace ember::data {

/// A random-access source of samples. `get` must be safe to call from several threads at once
/// (the loader's prefetch workers do).
class DataSet {
 public:
  virtual ~DataSet() = default;
  virtual int64_t size() const = 0;
  /// Sample `index` in [0, size()); throws IndexError outside.
  virtual Sample get(int64_t index) const = 0;
  /// "ArrayDataSet(60000 samples, feature [1, 28, 28] float32)".
  virtual std::string repr() const = 0;
};

/// All samples in memory as two tensors: features [N, ...] and labels [N, ...] (labels int64 class
/// indices [N] for classification). get(i) returns views, no copies. The loader batches an
/// ArrayDataSet without per-sample work when no transformer is set.
///
/// Example:
///   auto ds = std::make_shared<ArrayDataSet>(Tensor::rand({100, 3}), Tensor::zeros({100}, DType::Int64));
class ArrayDataSet : public DataSet {
 public:
  /// features [N, ...]; labels [N, ...] or an undefined Tensor for unlabeled data (samples then
  /// have no label). ShapeError when the first dimensions differ.
  ArrayDataSet(Tensor features, Tensor labels);
  int64_t size() const override;
  Sample get(int64_t index) const override;
  std::string repr() const override;
  const Tensor& features() const { return features_; }
  const Tensor& labels() const { return labels_; }

 private:
  Tensor features_, labels_;
};

}  // namespace ember::data
