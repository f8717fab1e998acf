#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/gradient_check.h"
#include "ember/data/cifar.h"
#include "ember/data/mnist.h"
#include "ember/tensor/ops.h"

namespace ember::data {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

// A fresh directory under the test temp dir, removed with the fixture.
class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::path(::testing::TempDir()) / "ember_data_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

 public:
  std::string write(const std::string& name, const Bytes& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return path;
  }
  // Writes through zlib's gz* API, the way the .gz distributions are made.
  std::string write_gz(const std::string& name, const Bytes& bytes) {
    const std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    EXPECT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
    gzclose(f);
    return path;
  }
  fs::path dir_;
};

void put_be32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(v >> s));
}

Bytes idx(uint8_t type, const std::vector<uint32_t>& dims, const Bytes& data) {
  Bytes b{0, 0, type, static_cast<unsigned char>(dims.size())};
  for (uint32_t d : dims) put_be32(b, d);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

// n images of rows x cols where image i is filled with value (i * 37) % 256; labels i % 10.
void write_mnist(ReaderTest& t, const std::string& prefix, uint32_t n, bool gz, uint32_t rows = 28) {
  Bytes pixels, labels;
  for (uint32_t i = 0; i < n; ++i) {
    pixels.insert(pixels.end(), rows * rows, static_cast<unsigned char>((i * 37) % 256));
    labels.push_back(static_cast<unsigned char>(i % 10));
  }
  auto w = [&](const std::string& name, const Bytes& b) { gz ? t.write_gz(name + ".gz", b) : t.write(name, b); };
  w(prefix + "-images-idx3-ubyte", idx(0x08, {n, rows, rows}, pixels));
  w(prefix + "-labels-idx1-ubyte", idx(0x08, {n}, labels));
}

TEST_F(ReaderTest, IdxRawAndGzipGiveTheFileDims) {
  const Bytes data{1, 2, 3, 4, 5, 6};
  Tensor raw = read_idx(write("a-idx2-ubyte", idx(0x08, {2, 3}, data)));
  Tensor gz = read_idx(write_gz("a-idx2-ubyte.gz", idx(0x08, {2, 3}, data)));
  for (const Tensor& t : {raw, gz}) {
    EXPECT_EQ(t.dtype(), DType::UInt8);
    EXPECT_EQ(t.shape(), Shape({2, 3}));
    EXPECT_EQ(t.to_vector(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  }
}

TEST_F(ReaderTest, IdxWiderTypesAreBigEndian) {
  Bytes ints;
  put_be32(ints, 0xFFFFFFFEu);  // -2
  put_be32(ints, 70000);
  Tensor i = read_idx(write("i", idx(0x0C, {2}, ints)));
  EXPECT_EQ(i.dtype(), DType::Int32);
  EXPECT_EQ(i.to_vector(), (std::vector<double>{-2, 70000}));
  Bytes floats;
  put_be32(floats, 0x3FC00000u);  // 1.5f
  Tensor f = read_idx(write("f", idx(0x0D, {1, 1}, floats)));
  EXPECT_EQ(f.dtype(), DType::Float32);
  EXPECT_EQ(f.item(), 1.5);
  Tensor s = read_idx(write("s", idx(0x0B, {2}, {0xFF, 0xFF, 0x01, 0x00})));
  EXPECT_EQ(s.to_vector(), (std::vector<double>{-1, 256}));
  Tensor b = read_idx(write("b", idx(0x09, {1}, {0x80})));
  EXPECT_EQ(b.item(), -128);
}

TEST_F(ReaderTest, IdxFormatErrorsNameTheFile) {
  const std::string bad_magic = write("bad-magic", {0x12, 0x34, 0x08, 0x01, 0, 0, 0, 0});
  EXPECT_THROW_WITH(read_idx(bad_magic), FormatError, bad_magic + ": bad magic number 0x12340801");
  const std::string bad_type = write("bad-type", idx(0x0A, {1}, {0}));
  EXPECT_THROW_WITH(read_idx(bad_type), FormatError, bad_type + ": unsupported IDX type code 10");
  const std::string truncated = write("truncated", idx(0x08, {2, 3}, {1, 2, 3, 4}));
  EXPECT_THROW_WITH(read_idx(truncated), FormatError,
                    truncated + ": dims [2, 3] of ubyte need 18 bytes, the file has 16: the file is truncated");
  const std::string trailing = write("trailing", idx(0x08, {2}, {1, 2, 3}));
  EXPECT_THROW_WITH(read_idx(trailing), FormatError, trailing + ": dims [2] of ubyte need 10 bytes, the file has 11: "
                                                                "1 trailing bytes after the data");
  const std::string short_header = write("short-header", {0, 0, 8, 3, 0, 0, 0, 1});
  EXPECT_THROW_WITH(read_idx(short_header), FormatError, "header of 3 dims needs 16 bytes, the file has 8");
  const std::string huge = write("huge", idx(0x0E, {65536, 65536, 65536}, {}));
  EXPECT_THROW_WITH(read_idx(huge), FormatError,
                    huge + ": dims [65536, 65536, 65536] of double need more than 2^40 bytes, the file has 16");
  const std::string negative = write("negative", idx(0x08, {0x80000000u}, {}));
  EXPECT_THROW_WITH(read_idx(negative), FormatError, negative + ": dim 0 is negative (-2147483648)");
  const std::string tiny = write("tiny", {0, 0});
  EXPECT_THROW_WITH(read_idx(tiny), FormatError, tiny + ": the file has 2 bytes, too short");
  EXPECT_THROW_WITH(read_idx((dir_ / "missing").string()), IOError, "missing: cannot open");
}

TEST_F(ReaderTest, IdxCorruptGzipIsAFormatError) {
  Bytes data(5000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<unsigned char>(i * 7);
  const std::string good = write_gz("g.gz", idx(0x08, {5000}, data));
  std::ifstream in(good, std::ios::binary);
  Bytes gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Bytes cut(gz.begin(), gz.begin() + gz.size() / 2);
  const std::string truncated = write("cut.gz", cut);
  EXPECT_THROW_WITH(read_idx(truncated), FormatError, truncated + ": corrupt gzip data");
  Bytes flipped = gz;
  for (size_t i = 20; i < 40; ++i) flipped[i] ^= 0x5A;
  const std::string corrupt = write("flipped.gz", flipped);
  EXPECT_THROW_WITH(read_idx(corrupt), FormatError, corrupt + ": corrupt gzip data");
}

TEST_F(ReaderTest, LoadMnistFromSyntheticFiles) {
  write_mnist(*this, "t10k", 12, /*gz=*/true);
  auto ds = load_mnist(dir_.string(), {.train = false, .normalize = true});
  ASSERT_EQ(ds->size(), 12);
  EXPECT_EQ(ds->features().shape(), Shape({12, 1, 28, 28}));
  EXPECT_EQ(ds->features().dtype(), DType::Float32);
  EXPECT_EQ(ds->labels().dtype(), DType::Int64);
  EXPECT_EQ(ds->labels().at({11}), 1);
  const double px = (5 * 37 % 256) / 255.0;
  EXPECT_NEAR(ds->features().at({5, 0, 3, 4}), (px - kMnistMean) / kMnistStd, 1e-6);
  auto raw = load_mnist(dir_.string(), {.train = false, .normalize = false});
  EXPECT_NEAR(raw->features().at({5, 0, 0, 0}), px, 1e-7);
  auto custom = load_mnist(dir_.string(), {.train = false, .mean = 0.5, .std = 2.0});
  EXPECT_NEAR(custom->features().at({5, 0, 0, 0}), (px - 0.5) / 2.0, 1e-6);
  auto fashion = load_fashion_mnist(dir_.string(), {.train = false});
  EXPECT_NEAR(fashion->features().at({5, 0, 0, 0}), (px - kFashionMnistMean) / kFashionMnistStd, 1e-6);
}

TEST_F(ReaderTest, LoadMnistErrors) {
  EXPECT_THROW_WITH(load_mnist(dir_.string()), IOError,
                    ": neither train-images-idx3-ubyte nor train-images-idx3-ubyte.gz found");
  write_mnist(*this, "train", 4, false);
  write("train-labels-idx1-ubyte", idx(0x08, {5}, {0, 1, 2, 3, 4}));
  EXPECT_THROW_WITH(load_mnist(dir_.string()), FormatError, "holds 4 images but ");
  const std::string labels = write("train-labels-idx1-ubyte", idx(0x08, {4}, {0, 9, 10, 3}));
  EXPECT_THROW_WITH(load_mnist(dir_.string()), FormatError,
                    "[data.load_mnist] " + labels + ": label 10 at index 2 is outside [0, 9]");
  write("train-labels-idx1-ubyte", idx(0x08, {2, 2}, {0, 1, 2, 3}));
  EXPECT_THROW_WITH(load_mnist(dir_.string()), FormatError, ": expected ubyte labels [N], got uint8 [2, 2]");
}

// Real data fetched by scripts/fetch-data; skipped when absent.
std::string real_dir(const char* name) {
  const fs::path p = fs::path(EMBER_FIXTURE_DIR).parent_path().parent_path() / "data" / name;
  return fs::exists(p / "t10k-labels-idx1-ubyte") || fs::exists(p / "t10k-labels-idx1-ubyte.gz") ? p.string() : "";
}

void expect_normalized(const Tensor& x) {
  const double m = mean(x).item();
  const double var = mean(square(sub(x, m))).item();
  EXPECT_NEAR(m, 0.0, 1e-3);
  EXPECT_NEAR(std::sqrt(var), 1.0, 1e-3);
}

TEST(RealMnistTest, CountsHistogramAndStatistics) {
  const std::string dir = real_dir("mnist");
  if (dir.empty()) GTEST_SKIP() << "data/mnist absent (scripts/fetch-data)";
  auto test = load_mnist(dir, {.train = false});
  ASSERT_EQ(test->size(), 10000);
  std::vector<int> hist(10);
  for (double l : test->labels().to_vector()) ++hist[static_cast<int>(l)];
  EXPECT_EQ(hist, (std::vector<int>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}));
  auto train = load_mnist(dir, {.train = true});
  ASSERT_EQ(train->size(), 60000);
  EXPECT_EQ(train->features().shape(), Shape({60000, 1, 28, 28}));
  expect_normalized(train->features());
}

TEST(RealMnistTest, FashionCountsAndStatistics) {
  const std::string dir = real_dir("fashion-mnist");
  if (dir.empty()) GTEST_SKIP() << "data/fashion-mnist absent (scripts/fetch-data)";
  auto test = load_fashion_mnist(dir, {.train = false});
  ASSERT_EQ(test->size(), 10000);
  std::vector<int> hist(10);
  for (double l : test->labels().to_vector()) ++hist[static_cast<int>(l)];
  EXPECT_EQ(hist, std::vector<int>(10, 1000));  // Fashion-MNIST's test set is balanced
  auto train = load_fashion_mnist(dir, {.train = true});
  ASSERT_EQ(train->size(), 60000);
  expect_normalized(train->features());  // the 4-digit constants are within 1e-3 of the truth
}

// CIFAR-10 record r of a file: label r % 10, channel c filled with (r + 50 c) % 256.
Bytes cifar_records(int n, int label_offset = 0) {
  Bytes b;
  for (int r = 0; r < n; ++r) {
    b.push_back(static_cast<unsigned char>((r + label_offset) % 10));
    for (int c = 0; c < 3; ++c) b.insert(b.end(), 1024, static_cast<unsigned char>((r + 50 * c) % 256));
  }
  return b;
}

TEST_F(ReaderTest, LoadCifar10FromSyntheticFiles) {
  for (int i = 1; i <= 5; ++i) write("data_batch_" + std::to_string(i) + ".bin", cifar_records(3, i));
  write("test_batch.bin", cifar_records(4));
  auto train = load_cifar10(dir_.string(), {.train = true});
  ASSERT_EQ(train->size(), 15);
  EXPECT_EQ(train->features().shape(), Shape({15, 3, 32, 32}));
  EXPECT_EQ(train->labels().at({3}), 2);  // first record of data_batch_2
  const double px = (1 + 50 * 2) / 255.0;  // record 1, blue channel
  EXPECT_NEAR(train->features().at({1, 2, 31, 31}), (px - kCifar10Mean[2]) / kCifar10Std[2], 1e-6);
  auto test = load_cifar10(dir_.string(), {.train = false, .normalize = false});
  ASSERT_EQ(test->size(), 4);
  EXPECT_NEAR(test->features().at({3, 1, 0, 0}), 53 / 255.0, 1e-7);
  EXPECT_EQ(test->labels().to_vector(), (std::vector<double>{0, 1, 2, 3}));
}

TEST_F(ReaderTest, LoadCifar10Errors) {
  EXPECT_THROW_WITH(load_cifar10(dir_.string(), {.train = false}), IOError, "test_batch.bin: file not found");
  Bytes odd = cifar_records(2);
  odd.erase(odd.end() - 5, odd.end());
  const std::string path = write("test_batch.bin", odd);
  EXPECT_THROW_WITH(load_cifar10(dir_.string(), {.train = false}), FormatError,
                    path + ": size 6141 bytes is not a multiple of the 3073-byte record");
  Bytes bad = cifar_records(3);
  bad[2 * 3073] = 10;
  write("test_batch.bin", bad);
  EXPECT_THROW_WITH(load_cifar10(dir_.string(), {.train = false}), FormatError,
                    path + ": label 10 of record 2 (byte offset 6146) is outside [0, 9]");
  for (int i = 1; i <= 4; ++i) write("data_batch_" + std::to_string(i) + ".bin", cifar_records(1));
  EXPECT_THROW_WITH(load_cifar10(dir_.string()), IOError, "data_batch_5.bin: file not found");
}

}  // namespace
}  // namespace ember::data
