#pragma once
/// Image decoding and encoding: JPEG (libjpeg-turbo) and PNG (libpng) to and from uint8 tensors
/// [H, W, C]. The format is detected from the magic bytes, never from the file name. BigDL:
/// BytesToBGRImg / OpenCV imdecode (Ember keeps RGB order).
///
/// Example:
///   Tensor img = read_image("cat.jpg", {.channels = 3});   // uint8 [H, W, 3]
///   write_png("/tmp/cat.png", img);

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::data {

/// Largest accepted width or height, and largest accepted pixel count: a header claiming more is
/// rejected before any allocation (a hostile 60000 x 60000 header would otherwise ask for 10 GB).
inline constexpr int64_t kMaxImageSide = int64_t{1} << 15;
inline constexpr int64_t kMaxImagePixels = int64_t{1} << 28;

/// Options for decode_image / read_image.
struct DecodeOptions {
  /// Output channels: 0 keeps what the file stores (1 for gray, 3 for color; alpha is dropped),
  /// 1 converts to gray (ITU-R 601 luma, as PIL's convert("L")), 3 converts to RGB.
  int64_t channels = 0;
  template <class V>
  void visit(V&& v) { v("channels", channels); }
};

/// Container formats decode_image recognises.
enum class ImageFormat { Unknown, Jpeg, Png };

/// The format named by the first bytes of `data` (JPEG: FF D8 FF, PNG: the 8-byte signature).
ImageFormat detect_image_format(const uint8_t* data, size_t size);

/// Decodes a JPEG or PNG held in memory into a uint8 tensor [H, W, C], C = 1 or 3. Palette,
/// gray+alpha, RGBA and 16-bit PNGs are converted (16-bit values are scaled to 8 bits, alpha is
/// dropped). Corrupt, truncated or unknown data raises FormatError naming `name_for_errors`.
Tensor decode_image(const uint8_t* data, size_t size, const std::string& name_for_errors,
                    const DecodeOptions& options = {});

/// Reads and decodes the file at `path` (IOError when it cannot be read, FormatError when its
/// contents are not a valid image; both name the path).
Tensor read_image(const std::string& path, const DecodeOptions& options = {});

/// Encodes a uint8 image [H, W, C] (C = 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) or [H, W] as PNG.
std::vector<uint8_t> encode_png(const Tensor& image);
/// Encodes a uint8 image [H, W, C] (C = 1 or 3) or [H, W] as baseline JPEG, quality in [1, 100].
std::vector<uint8_t> encode_jpeg(const Tensor& image, int quality = 95);

/// encode_png / encode_jpeg written to `path` (IOError naming the path when writing fails).
void write_png(const std::string& path, const Tensor& image);
void write_jpeg(const std::string& path, const Tensor& image, int quality = 95);

}  // namespace ember::data
