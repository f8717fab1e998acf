#pragma once
/// MNIST and Fashion-MNIST: the IDX file reader and the loaders (BigDL: the LeNet example's
/// mnist.load). Files are the originals, raw or gzip-compressed.

#include <memory>
#include <optional>
#include <string>

#include "ember/data/dataset.h"

namespace ember::data {

/// Mean and std of the MNIST training pixels scaled to [0, 1] (BigDL's LeNet example).
inline constexpr double kMnistMean = 0.13066047740239506;
inline constexpr double kMnistStd = 0.3081078;
/// The same for Fashion-MNIST.
inline constexpr double kFashionMnistMean = 0.2860;
inline constexpr double kFashionMnistStd = 0.3530;

/// Reads an IDX file (raw, or gzip whatever its name) into a tensor with the file's dims. Element
/// types: ubyte -> uint8, sbyte/short/int -> int32, float -> float32, double -> float64 (IDX is
/// big-endian). FormatError naming the file for a bad magic number, an unknown type code, dims that
/// disagree with the file size (truncated or trailing bytes) or a corrupt gzip stream; IOError when
/// the file cannot be opened or read.
Tensor read_idx(const std::string& path);

/// Options of load_mnist / load_fashion_mnist.
///
/// Example:
///   auto train = load_mnist("data/mnist", {.train = true, .normalize = true});
struct MnistOptions {
  /// The 60000 training samples (train-*) or the 10000 test samples (t10k-*).
  bool train = true;
  /// features = (pixel / 255 - mean) / std; otherwise pixel / 255.
  bool normalize = true;
  /// Override the data set's constants (kMnistMean/kMnistStd or the Fashion-MNIST ones).
  std::optional<double> mean = std::nullopt;
  std::optional<double> std = std::nullopt;
  template <class V>
  void visit(V&& v) {
    v("train", train);
    v("normalize", normalize);
    v("mean", mean);
    v("std", std);
  }
};

/// Loads MNIST from `dir` ({train,t10k}-{images-idx3,labels-idx1}-ubyte, each raw or .gz):
/// features float32 [N, 1, 28, 28], labels int64 [N] in [0, 9]. IOError when a file is missing,
/// FormatError when the files disagree (counts, image dims, a label outside [0, 9]).
std::shared_ptr<ArrayDataSet> load_mnist(const std::string& dir, const MnistOptions& options = {});

/// Fashion-MNIST (same file names and layout as MNIST), normalized with its own mean and std.
std::shared_ptr<ArrayDataSet> load_fashion_mnist(const std::string& dir, const MnistOptions& options = {});

}  // namespace ember::data
