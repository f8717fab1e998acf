// JPEG/PNG decoding and encoding: exact PNG round trips for every color type libpng writes,
// JPEG within a tolerance, and clear FormatErrors for corrupt, truncated and absurd files.
#include <png.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/gradient_check.h"
#include "data/image_test_util.h"
#include "ember/data/image/decode.h"

namespace ember::data {
namespace {

using test::random_u8;
using test::same_image;
using test::smooth_u8;

// A PNG written directly with libpng (color types and bit depths Ember's encoder does not write).
std::vector<uint8_t> libpng_bytes(int w, int h, int color_type, int bit_depth, const std::vector<uint8_t>& raw,
                                  const std::vector<png_color>& palette = {}, int interlace = PNG_INTERLACE_NONE) {
  std::vector<uint8_t> out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep d, size_t n) {
        auto* v = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(p));
        v->insert(v->end(), d, d + n);
      },
      nullptr);
  png_set_IHDR(png, info, w, h, bit_depth, color_type, interlace, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty()) png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
  png_write_info(png, info);
  const size_t row_bytes = raw.size() / h;
  std::vector<png_bytep> rows(h);
  for (int y = 0; y < h; ++y) rows[y] = const_cast<uint8_t*>(raw.data()) + y * row_bytes;
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

Tensor decode(const std::vector<uint8_t>& bytes, int64_t channels = 0, const std::string& name = "mem.png") {
  return decode_image(bytes.data(), bytes.size(), name, DecodeOptions{.channels = channels});
}

// HWC bytes of a tensor, for building raw libpng rows.
std::vector<uint8_t> bytes_of(const Tensor& t) {
  const uint8_t* p = t.contiguous().data<uint8_t>();
  return {p, p + t.numel()};
}

TEST(ImageDecodeTest, DetectsFormatFromMagicBytes) {
  const std::vector<uint8_t> png = encode_png(random_u8({2, 2, 3}, 1));
  const std::vector<uint8_t> jpg = encode_jpeg(smooth_u8(8, 8, 3));
  EXPECT_EQ(detect_image_format(png.data(), png.size()), ImageFormat::Png);
  EXPECT_EQ(detect_image_format(jpg.data(), jpg.size()), ImageFormat::Jpeg);
  EXPECT_EQ(detect_image_format(png.data(), 4), ImageFormat::Unknown);
  const uint8_t gif[] = {'G', 'I', 'F', '8', '9', 'a'};
  EXPECT_EQ(detect_image_format(gif, sizeof gif), ImageFormat::Unknown);
}

TEST(ImageDecodeTest, PngRoundTripIsExactForGrayAndRgb) {
  for (int64_t c : {1, 3}) {
    const Tensor img = random_u8({13, 17, c}, 10 + c);
    const Tensor back = decode(encode_png(img));
    EXPECT_TRUE(same_image(back, img)) << "channels " << c;
  }
  const Tensor gray2d = random_u8({5, 6}, 3);
  EXPECT_TRUE(same_image(decode(encode_png(gray2d)), gray2d.unsqueeze(2)));
}

TEST(ImageDecodeTest, PngAlphaIsDropped) {
  const Tensor rgba = random_u8({7, 9, 4}, 4);
  EXPECT_TRUE(same_image(decode(encode_png(rgba)), rgba.narrow(2, 0, 3).contiguous()));
  const Tensor ga = random_u8({7, 9, 2}, 5);
  EXPECT_TRUE(same_image(decode(encode_png(ga)), ga.narrow(2, 0, 1).contiguous()));
}

TEST(ImageDecodeTest, Png16BitIsScaledTo8Bits) {
  const Tensor img = random_u8({4, 5, 3}, 6);
  std::vector<uint8_t> raw;
  for (uint8_t v : bytes_of(img)) raw.insert(raw.end(), {v, v});  // v * 257, big-endian
  EXPECT_TRUE(same_image(decode(libpng_bytes(5, 4, PNG_COLOR_TYPE_RGB, 16, raw)), img));
  const Tensor gray = random_u8({3, 6, 1}, 7);
  raw.clear();
  for (uint8_t v : bytes_of(gray)) raw.insert(raw.end(), {v, v, 0xff, 0xff});  // gray + opaque alpha
  EXPECT_TRUE(same_image(decode(libpng_bytes(6, 3, PNG_COLOR_TYPE_GRAY_ALPHA, 16, raw)), gray));
}

TEST(ImageDecodeTest, PalettePngExpandsToRgb) {
  const std::vector<png_color> palette = {{10, 20, 30}, {200, 0, 5}, {0, 255, 128}, {77, 88, 99}};
  // 2-bit indices, 5 pixels per row packed MSB first: rows (0 1 2 3 1) and (3 3 0 2 1).
  const std::vector<uint8_t> raw = {0b00011011, 0b01000000, 0b11110010, 0b01000000};
  const Tensor img = decode(libpng_bytes(5, 2, PNG_COLOR_TYPE_PALETTE, 2, raw, palette));
  ASSERT_EQ(img.shape(), Shape({2, 5, 3}));
  const int idx[2][5] = {{0, 1, 2, 3, 1}, {3, 3, 0, 2, 1}};
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 5; ++x) {
      const png_color& c = palette[idx[y][x]];
      EXPECT_EQ(img.at({y, x, 0}), c.red);
      EXPECT_EQ(img.at({y, x, 1}), c.green);
      EXPECT_EQ(img.at({y, x, 2}), c.blue);
    }
}

TEST(ImageDecodeTest, OneBitGrayExpandsTo0And255) {
  const std::vector<uint8_t> raw = {0b10100000, 0b01000000};  // 3 x 2: (1 0 1), (0 1 0)
  const Tensor img = decode(libpng_bytes(3, 2, PNG_COLOR_TYPE_GRAY, 1, raw));
  EXPECT_EQ(img.to_vector(), (std::vector<double>{255, 0, 255, 0, 255, 0}));
}

TEST(ImageDecodeTest, InterlacedPngDecodesLikeProgressive) {
  const Tensor img = random_u8({11, 13, 3}, 8);
  const std::vector<uint8_t> bytes = libpng_bytes(13, 11, PNG_COLOR_TYPE_RGB, 8, bytes_of(img), {}, PNG_INTERLACE_ADAM7);
  EXPECT_TRUE(same_image(decode(bytes), img));
  EXPECT_TRUE(same_image(decode(bytes, 1), decode(encode_png(img), 1)));  // gray conversion across passes
}

TEST(ImageDecodeTest, ChannelConversionUsesPilLuma) {
  const Tensor rgb = random_u8({3, 4, 3}, 9);
  const Tensor gray = decode(encode_png(rgb), 1);
  ASSERT_EQ(gray.shape(), Shape({3, 4, 1}));
  for (int64_t y = 0; y < 3; ++y)
    for (int64_t x = 0; x < 4; ++x) {
      const double l = rgb.at({y, x, 0}) * 0.299 + rgb.at({y, x, 1}) * 0.587 + rgb.at({y, x, 2}) * 0.114;
      EXPECT_NEAR(gray.at({y, x, 0}), l, 0.51);
    }
  const Tensor g1 = random_u8({3, 4, 1}, 10);
  const Tensor g3 = decode(encode_png(g1), 3);
  ASSERT_EQ(g3.shape(), Shape({3, 4, 3}));
  for (int64_t c = 0; c < 3; ++c) EXPECT_TRUE(same_image(g3.select(2, c).contiguous(), g1.select(2, 0).contiguous()));
}

TEST(ImageDecodeTest, JpegRoundTripWithinTolerance) {
  for (int64_t c : {1, 3}) {
    const Tensor img = smooth_u8(24, 40, c);
    const Tensor back = decode(encode_jpeg(img, 95), 0, "mem.jpg");
    ASSERT_EQ(back.shape(), img.shape());
    const std::vector<double> a = img.to_vector(), b = back.to_vector();
    double max_diff = 0, sum = 0;
    for (size_t i = 0; i < a.size(); ++i) max_diff = std::max(max_diff, std::abs(a[i] - b[i])), sum += std::abs(a[i] - b[i]);
    EXPECT_LE(max_diff, 12) << "channels " << c;
    EXPECT_LE(sum / a.size(), 2.0) << "channels " << c;
  }
  const Tensor color = smooth_u8(16, 16, 3);
  EXPECT_EQ(decode(encode_jpeg(color), 1, "mem.jpg").shape(), Shape({16, 16, 1}));
  EXPECT_EQ(decode(encode_jpeg(smooth_u8(16, 16, 1)), 3, "mem.jpg").shape(), Shape({16, 16, 3}));
}

TEST(ImageDecodeTest, LowerJpegQualityGivesSmallerFiles) {
  const Tensor img = random_u8({32, 32, 3}, 11);
  EXPECT_LT(encode_jpeg(img, 30).size(), encode_jpeg(img, 95).size());
}

TEST(ImageDecodeTest, FileRoundTripAndMissingFile) {
  test::TempFolder dir;
  const Tensor img = random_u8({6, 7, 3}, 12);
  write_png(dir / "a.png", img);
  EXPECT_TRUE(same_image(read_image(dir / "a.png"), img));
  write_jpeg(dir / "b.jpg", smooth_u8(8, 8, 3), 90);
  EXPECT_EQ(read_image(dir / "b.jpg").shape(), Shape({8, 8, 3}));
  // The extension does not matter, only the bytes.
  write_png(dir / "c.jpg", img);
  EXPECT_TRUE(same_image(read_image(dir / "c.jpg"), img));
  EXPECT_THROW_WITH(read_image(dir / "missing.png"), IOError, "cannot open '" + (dir / "missing.png") + "'");
  EXPECT_THROW_WITH(read_image(dir.path()), IOError, "it is a folder");
  EXPECT_THROW_WITH(write_png(dir / "no/such/dir/x.png", img), IOError, "no/such/dir/x.png");
}

TEST(ImageDecodeTest, GarbageAndEmptyDataNameTheFile) {
  const std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0};
  EXPECT_THROW_WITH(decode(gif, 0, "pics/x.gif"), FormatError, "pics/x.gif: not a JPEG or PNG image (first bytes: 47 49 46 38");
  EXPECT_THROW_WITH(decode({}, 0, "pics/empty.png"), FormatError, "pics/empty.png: the file is empty");
  EXPECT_THROW_WITH(decode(gif, 2), ValueError, "channels must be 0 (as stored), 1 or 3, got 2");
}

TEST(ImageDecodeTest, TruncatedFilesAreFormatErrors) {
  const std::vector<uint8_t> png = encode_png(random_u8({32, 32, 3}, 13));
  EXPECT_THROW_WITH(decode({png.begin(), png.begin() + png.size() / 2}, 0, "half.png"), FormatError,
                    "half.png: corrupt or truncated PNG");
  EXPECT_THROW_WITH(decode({png.begin(), png.begin() + 20}, 0, "head.png"), FormatError, "truncated");
  const std::vector<uint8_t> jpg = encode_jpeg(random_u8({32, 32, 3}, 14));
  EXPECT_THROW_WITH(decode({jpg.begin(), jpg.begin() + jpg.size() / 2}, 0, "half.jpg"), FormatError,
                    "half.jpg: corrupt or truncated JPEG");
  EXPECT_THROW_WITH(decode({jpg.begin(), jpg.begin() + 12}, 0, "head.jpg"), FormatError, "head.jpg");
}

TEST(ImageDecodeTest, CorruptPngChecksumIsAFormatError) {
  std::vector<uint8_t> png = encode_png(random_u8({4, 4, 3}, 15));
  png[17] ^= 0x01;  // IHDR width, CRC left stale
  EXPECT_THROW_WITH(decode(png, 0, "crc.png"), FormatError, "CRC");
}

TEST(ImageDecodeTest, CorruptJpegMarkersAreFormatErrors) {
  std::vector<uint8_t> jpg = encode_jpeg(smooth_u8(16, 16, 3));
  // Keep the signature, replace everything after it with noise: no valid marker follows.
  for (size_t i = 3; i < jpg.size(); ++i) jpg[i] = static_cast<uint8_t>(i * 37);
  EXPECT_THROW_WITH(decode(jpg, 0, "noise.jpg"), FormatError, "noise.jpg: corrupt or truncated JPEG");
}

// Sets width/height in the IHDR chunk and fixes its CRC, so only Ember's own limit can refuse it.
std::vector<uint8_t> png_claiming(uint32_t w, uint32_t h) {
  std::vector<uint8_t> png = encode_png(random_u8({2, 2, 1}, 16));
  for (int i = 0; i < 4; ++i) png[16 + i] = static_cast<uint8_t>(w >> (24 - 8 * i)), png[20 + i] = static_cast<uint8_t>(h >> (24 - 8 * i));
  const uLong crc = crc32(crc32(0, nullptr, 0), png.data() + 12, 17);
  for (int i = 0; i < 4; ++i) png[29 + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
  return png;
}

TEST(ImageDecodeTest, AbsurdDimensionsAreRefusedBeforeAllocating) {
  EXPECT_THROW_WITH(decode(png_claiming(100000, 2), 0, "wide.png"), FormatError,
                    "wide.png: corrupt or truncated PNG (");
  EXPECT_THROW_WITH(decode(png_claiming(100000, 2)), FormatError, "image size 100000 x 2 (width x height) exceeds the limits");
  EXPECT_THROW_WITH(decode(png_claiming(20000, 20000)), FormatError, "20000 x 20000");
  std::vector<uint8_t> jpg = encode_jpeg(smooth_u8(8, 8, 3));
  const auto sof = std::find_if(jpg.begin(), jpg.end() - 1, [&](const uint8_t& b) { return b == 0xff && (&b)[1] == 0xc0; });
  ASSERT_NE(sof, jpg.end() - 1);
  const size_t at = static_cast<size_t>(sof - jpg.begin()) + 5;  // FF C0, length (2), precision (1)
  jpg[at] = 40000 >> 8, jpg[at + 1] = 40000 & 0xff, jpg[at + 2] = 40000 >> 8, jpg[at + 3] = 40000 & 0xff;
  EXPECT_THROW_WITH(decode(jpg, 0, "big.jpg"), FormatError, "big.jpg: corrupt or truncated JPEG (");
  EXPECT_THROW_WITH(decode(jpg, 0, "big.jpg"), FormatError, "40000 x 40000 (width x height) exceeds the limits");
}

// Mutated files either decode or raise FormatError: never another exception, never a crash
// (this is the test the sanitizer builds lean on).
TEST(ImageDecodeTest, MutatedFilesDecodeOrRaiseFormatError) {
  const std::vector<std::vector<uint8_t>> seeds = {encode_png(random_u8({12, 10, 3}, 20)),
                                                   encode_jpeg(smooth_u8(16, 16, 3), 80),
                                                   encode_jpeg(smooth_u8(9, 9, 1), 50)};
  Generator g(21);
  int errors = 0, decoded = 0;
  for (const auto& seed : seeds) {
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<uint8_t> bytes = seed;
      const int flips = 1 + static_cast<int>(g.next_below(4));
      for (int k = 0; k < flips; ++k) {
        const size_t at = 3 + g.next_below(bytes.size() - 3);  // keep the magic bytes
        bytes[at] = static_cast<uint8_t>(g.next_below(256));
      }
      if (g.next_below(4) == 0) bytes.resize(3 + g.next_below(bytes.size() - 3));
      try {
        const Tensor t = decode(bytes, static_cast<int64_t>(g.next_below(2) * 2 + 1));
        EXPECT_EQ(t.dim(), 3);
        ++decoded;
      } catch (const FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("mem.png"), std::string::npos) << e.what();
        ++errors;
      }
    }
  }
  EXPECT_GT(errors, 100);  // the mutations do hit
  EXPECT_GT(decoded, 10);  // and some leave a decodable file (JPEG entropy data, ancillary bytes)
}

TEST(ImageDecodeTest, EncoderRejectsWhatItCannotWrite) {
  EXPECT_THROW_WITH(encode_png(Tensor::zeros({4, 4, 3})), TypeError, "expected a uint8 image, got float32");
  EXPECT_THROW_WITH(encode_png(Tensor::zeros({4, 4, 5}, DType::UInt8)), ShapeError, "got shape [4, 4, 5]");
  EXPECT_THROW_WITH(encode_jpeg(Tensor::zeros({4, 4, 4}, DType::UInt8)), ShapeError, "1 (gray) or 3 (RGB)");
  EXPECT_THROW_WITH(encode_jpeg(Tensor::zeros({4, 4, 3}, DType::UInt8), 0), ValueError, "quality must be in [1, 100]");
  EXPECT_THROW_WITH(encode_png(Tensor::zeros({2, 4, 4, 3}, DType::UInt8)), ShapeError, "got shape [2, 4, 4, 3]");
}

TEST(ImageDecodeTest, EncodesNonContiguousViews) {
  const Tensor img = random_u8({8, 10, 3}, 17);
  const Tensor view = img.narrow(1, 2, 5);  // not contiguous
  EXPECT_TRUE(same_image(decode(encode_png(view)), view.contiguous()));
}

}  // namespace
}  // namespace ember::data
