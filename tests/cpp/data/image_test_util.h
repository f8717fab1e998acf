#pragma once
/// Helpers shared by the image tests: a temporary folder that cleans up, small uint8 images, and
/// byte-level file access.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ember/tensor/random.h"
#include "ember/tensor/tensor.h"

namespace ember::test {

/// A fresh folder under testing::TempDir(), removed with everything in it on destruction.
class TempFolder {
 public:
  TempFolder() {
    std::string tmpl = ::testing::TempDir() + "ember_image_XXXXXX";
    char* p = mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr) << "mkdtemp failed for " << tmpl;
    path_ = tmpl;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  /// path / name.
  std::string operator/(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Random uint8 image of the given shape ([H, W, C] or [H, W]).
inline Tensor random_u8(const Shape& shape, uint64_t seed) {
  Generator g(seed);
  Tensor t = Tensor::empty(shape, DType::UInt8);
  uint8_t* p = t.data<uint8_t>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<uint8_t>(g.next_below(256));
  return t;
}

/// A smooth uint8 image [H, W, C] (gradients and a soft blob): JPEG keeps it within a few levels.
inline Tensor smooth_u8(int64_t h, int64_t w, int64_t c) {
  Tensor t = Tensor::empty(Shape{h, w, c}, DType::UInt8);
  uint8_t* p = t.data<uint8_t>();
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int64_t ch = 0; ch < c; ++ch)
        *p++ = static_cast<uint8_t>(ch == 0 ? 40 + 150 * x / w : ch == 1 ? 40 + 150 * y / h : 100 + 50 * (x + y) / (w + h));
  return t;
}

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

/// Both tensors have the same shape and dtype and equal values.
inline ::testing::AssertionResult same_image(const Tensor& a, const Tensor& b) {
  if (!(a.shape() == b.shape()) || a.dtype() != b.dtype())
    return ::testing::AssertionFailure() << "shape/dtype " << a.shape() << " " << a.dtype() << " vs " << b.shape()
                                         << " " << b.dtype();
  const std::vector<double> va = a.to_vector(), vb = b.to_vector();
  for (size_t i = 0; i < va.size(); ++i)
    if (va[i] != vb[i]) return ::testing::AssertionFailure() << "element " << i << ": " << va[i] << " vs " << vb[i];
  return ::testing::AssertionSuccess();
}

}  // namespace ember::test
