#include "ember/data/cifar.h"

#include <cstring>
#include <filesystem>
#include <vector>

#include "ember/core/error.h"
#include "ember/core/parallel.h"
#include "ember/data/file_util.h"

namespace ember::data {

namespace {
constexpr int64_t kPixels = 3 * 32 * 32;
constexpr int64_t kRecord = 1 + kPixels;
}  // namespace

std::shared_ptr<ArrayDataSet> load_cifar10(const std::string& dir, const CifarOptions& options) {
  namespace fs = std::filesystem;
  std::vector<std::string> names;
  if (options.train) {
    for (int i = 1; i <= 5; ++i) names.push_back("data_batch_" + std::to_string(i) + ".bin");
  } else {
    names.push_back("test_batch.bin");
  }
  // The archive unpacks into cifar-10-batches-bin/; accept its parent too.
  fs::path root(dir);
  std::error_code ec;
  if (!fs::exists(root / names[0], ec) && fs::exists(root / "cifar-10-batches-bin" / names[0], ec))
    root /= "cifar-10-batches-bin";
  std::vector<std::vector<unsigned char>> files;
  std::vector<std::string> paths;
  int64_t n = 0;
  for (const std::string& name : names) {
    const std::string path = (root / name).string();
    EMBER_CHECK_IO(fs::is_regular_file(path, ec), "[data.load_cifar10] ", path,
                   ": file not found (expected CIFAR-10 binary batches ", options.train ? "data_batch_1..5.bin" :
                   "test_batch.bin", " in ", dir, ")");
    files.push_back(detail::read_file_maybe_gzip(path, "data.load_cifar10"));
    paths.push_back(path);
    const auto size = static_cast<int64_t>(files.back().size());
    EMBER_CHECK_FORMAT(size % kRecord == 0, "[data.load_cifar10] ", path, ": size ", size,
                       " bytes is not a multiple of the 3073-byte record (1 label byte + 3072 pixel bytes): ",
                       size % kRecord, " bytes left after ", size / kRecord, " records");
    n += size / kRecord;
  }
  for (int c = 0; c < 3; ++c)
    EMBER_CHECK(!options.normalize || options.std[c] > 0, "[data.load_cifar10] std[", c, "] must be positive, got ",
                options.std[c]);
  float lut[3][256];
  for (int c = 0; c < 3; ++c)
    for (int v = 0; v < 256; ++v)
      lut[c][v] = static_cast<float>(options.normalize ? (v / 255.0 - options.mean[c]) / options.std[c] : v / 255.0);
  Tensor x = Tensor::empty({n, 3, 32, 32}, DType::Float32);
  Tensor y = Tensor::empty({n}, DType::Int64);
  float* xp = x.data<float>();
  int64_t* yp = y.data<int64_t>();
  int64_t base = 0;
  for (size_t f = 0; f < files.size(); ++f) {
    const unsigned char* p = files[f].data();
    const auto records = static_cast<int64_t>(files[f].size()) / kRecord;
    for (int64_t r = 0; r < records; ++r) {
      const unsigned label = p[r * kRecord];
      EMBER_CHECK_FORMAT(label <= 9, "[data.load_cifar10] ", paths[f], ": label ", label, " of record ", r,
                         " (byte offset ", r * kRecord, ") is outside [0, 9]");
      yp[base + r] = label;
    }
    parallel_for(0, records, 64, [&](int64_t lo, int64_t hi) {
      for (int64_t r = lo; r < hi; ++r) {
        const unsigned char* src = p + r * kRecord + 1;
        float* dst = xp + (base + r) * kPixels;
        for (int64_t i = 0; i < kPixels; ++i) dst[i] = lut[i / 1024][src[i]];
      }
    });
    base += records;
  }
  return std::make_shared<ArrayDataSet>(std::move(x), std::move(y));
}

}  // namespace ember::data
