#pragma once
/// Histogram: TensorBoard's HistogramProto as a C++ value, built from a tensor with TensorFlow's
/// default exponential buckets (what `tf.summary.histogram` in TF1 and BigDL's Summary wrote).

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::summary {

/// Summary statistics and bucket counts of a set of values. Bucket i counts the values v with
/// bucket_limit[i-1] <= v < bucket_limit[i] (bucket 0 starts at -DBL_MAX). Runs of empty buckets are
/// merged into one entry (TensorFlow's encoding), so bucket_limit is sparse and increasing.
struct Histogram {
  double min = 0, max = 0, num = 0, sum = 0, sum_squares = 0;
  std::vector<double> bucket_limit;  ///< upper (exclusive) limit of each bucket, increasing
  std::vector<double> bucket;        ///< count of each bucket; sums to num

  /// Histogram of a tensor's elements (any dtype, layout and shape). Non-finite values (NaN, +-inf)
  /// are left out of every statistic, as TensorFlow's histogram ops do not accept them.
  static Histogram from_tensor(const Tensor& values);
  /// Histogram of plain values (same rules as from_tensor).
  static Histogram from_values(const std::vector<double>& values);

  /// TensorFlow's default limits: -DBL_MAX, -1e20/1.1^k ... -1e-12, 0, 1e-12, ... 1e20, DBL_MAX
  /// (each 10% larger in magnitude than the previous one; 1551 limits).
  static const std::vector<double>& default_bucket_limits();
};

}  // namespace ember::summary
