#pragma once
/// CIFAR-10 in its binary form (cifar-10-batches-bin; BigDL: the ResNet/VGG CIFAR examples).

#include <array>
#include <memory>
#include <string>

#include "ember/data/dataset.h"

namespace ember::data {

/// Per-channel (R, G, B) mean and std of the CIFAR-10 training pixels scaled to [0, 1] (the
/// constants of BigDL's CIFAR-10 examples).
inline constexpr std::array<double, 3> kCifar10Mean = {0.4913996898739353, 0.4821584196221302, 0.44653092422369434};
inline constexpr std::array<double, 3> kCifar10Std = {0.24703223517429462, 0.2434851308749409, 0.26158784442034005};

/// Options of load_cifar10.
///
/// Example:
///   auto test = load_cifar10("data/cifar-10-batches-bin", {.train = false});
struct CifarOptions {
  /// data_batch_1.bin .. data_batch_5.bin (50000 samples) or test_batch.bin (10000).
  bool train = true;
  /// features = (pixel / 255 - mean[c]) / std[c]; otherwise pixel / 255.
  bool normalize = true;
  std::array<double, 3> mean = kCifar10Mean;
  std::array<double, 3> std = kCifar10Std;
  template <class V>
  void visit(V&& v) {
    v("train", train);
    v("normalize", normalize);
    v("mean", mean);
    v("std", std);
  }
};

/// Loads CIFAR-10 from `dir` (or from `dir`/cifar-10-batches-bin): records of 1 label byte and
/// 3072 pixel bytes (3 x 32 x 32, CHW). Features float32 [N, 3, 32, 32], labels int64 [N] in [0, 9].
/// IOError for a missing file; FormatError naming the file for a size that is not a multiple of
/// 3073 bytes or a label above 9.
std::shared_ptr<ArrayDataSet> load_cifar10(const std::string& dir, const CifarOptions& options = {});

}  // namespace ember::data
