#include "ember/data/image/decode.h"

// clang-format off
#include <csetjmp>
#include <cstdio>
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
// clang-format on

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ember/core/error.h"

namespace ember::data {
namespace {

// libjpeg and libpng report errors by longjmp. The functions that call setjmp below are written in a
// C style: no object with a destructor lives in their frames, nothing in them throws, and the output
// tensor is owned by the caller's frame, so a longjmp skips no destructor and leaks nothing.

constexpr size_t kMessageSize = 256;

// Allocates `out` as uint8 [h, w, c]; false on failure. Never throws: it runs inside setjmp frames.
bool allocate_image(Tensor* out, int64_t h, int64_t w, int64_t c) noexcept {
  try {
    *out = Tensor::empty(Shape{h, w, c}, DType::UInt8);
    return true;
  } catch (...) {
    return false;
  }
}

// Rejects absurd headers before anything is allocated; writes the reason into `msg`.
bool dimensions_ok(int64_t w, int64_t h, char* msg) {
  if (w <= 0 || h <= 0) {
    std::snprintf(msg, kMessageSize, "invalid image size %lld x %lld (width x height)", static_cast<long long>(w),
                  static_cast<long long>(h));
    return false;
  }
  if (w > kMaxImageSide || h > kMaxImageSide || w * h > kMaxImagePixels) {
    std::snprintf(msg, kMessageSize,
                  "image size %lld x %lld (width x height) exceeds the limits (%lld per side, %lld pixels)",
                  static_cast<long long>(w), static_cast<long long>(h), static_cast<long long>(kMaxImageSide),
                  static_cast<long long>(kMaxImagePixels));
    return false;
  }
  return true;
}

// PIL's convert("L") luma: ITU-R 601-2 weights in 16-bit fixed point.
inline uint8_t luma(unsigned r, unsigned g, unsigned b) {
  return static_cast<uint8_t>((19595u * r + 38470u * g + 7471u * b + 0x8000u) >> 16);
}

// ---- JPEG -------------------------------------------------------------------------------------

struct JpegError {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX + kMessageSize];
};

[[noreturn]] void jpeg_on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void jpeg_on_message(j_common_ptr cinfo, int level) {
  // libjpeg only warns about a truncated stream and fills the rest with gray; a data set would then
  // train on a half-gray image without anyone noticing, so truncation is an error here.
  if (level < 0 && (cinfo->err->msg_code == JWRN_JPEG_EOF || cinfo->err->msg_code == JWRN_HIT_MARKER)) {
    jpeg_on_error(cinfo);
  }
}

// Returns nullptr on success, else the reason (in err->message).
const char* decode_jpeg_raw(const uint8_t* data, size_t size, int channels, Tensor* out, JpegError* err) {
  jpeg_decompress_struct cinfo;
  cinfo.err = jpeg_std_error(&err->pub);
  err->pub.error_exit = jpeg_on_error;
  err->pub.emit_message = jpeg_on_message;
  err->message[0] = '\0';
  if (setjmp(err->jump)) {
    jpeg_destroy_decompress(&cinfo);
    return err->message;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  const int64_t w = cinfo.image_width, h = cinfo.image_height;
  if (!dimensions_ok(w, h, err->message)) {
    jpeg_destroy_decompress(&cinfo);
    return err->message;
  }
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  const int stored = cinfo.num_components == 1 ? 1 : 3;
  const int want = channels != 0 ? channels : stored;
  cinfo.out_color_space = cmyk ? JCS_CMYK : (want == 1 ? JCS_GRAYSCALE : JCS_RGB);
  jpeg_start_decompress(&cinfo);
  if (!allocate_image(out, h, w, want)) {
    jpeg_destroy_decompress(&cinfo);
    std::snprintf(err->message, kMessageSize, "out of memory");
    return err->message;
  }
  auto* dst = static_cast<uint8_t*>(out->raw_data());
  // CMYK rows go through a libjpeg-owned buffer (freed by jpeg_destroy_decompress on any path).
  JSAMPARRAY tmp = cmyk ? (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                                     static_cast<JDIMENSION>(w * 4), 1)
                        : nullptr;
  const bool inverted = cinfo.saw_Adobe_marker;  // Adobe writes CMYK inverted
  while (cinfo.output_scanline < cinfo.output_height) {
    uint8_t* row = dst + static_cast<int64_t>(cinfo.output_scanline) * w * want;
    if (!cmyk) {
      JSAMPROW r = row;
      jpeg_read_scanlines(&cinfo, &r, 1);
      continue;
    }
    jpeg_read_scanlines(&cinfo, tmp, 1);
    const uint8_t* s = tmp[0];
    for (int64_t x = 0; x < w; ++x, s += 4) {
      unsigned c = s[0], m = s[1], y = s[2], k = s[3];
      if (!inverted) c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
      const unsigned r = c * k / 255, g = m * k / 255, b = y * k / 255;
      if (want == 1) {
        row[x] = luma(r, g, b);
      } else {
        row[3 * x] = static_cast<uint8_t>(r), row[3 * x + 1] = static_cast<uint8_t>(g),
                row[3 * x + 2] = static_cast<uint8_t>(b);
      }
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return nullptr;
}

// jpeg_mem_dest mallocs *buf; the caller frees it on every path.
const char* encode_jpeg_raw(const uint8_t* px, int64_t h, int64_t w, int c, int quality, unsigned char** buf,
                            unsigned long* len, JpegError* err) {
  jpeg_compress_struct cinfo;
  cinfo.err = jpeg_std_error(&err->pub);
  err->pub.error_exit = jpeg_on_error;
  err->message[0] = '\0';
  if (setjmp(err->jump)) {
    jpeg_destroy_compress(&cinfo);
    return err->message;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, buf, len);
  cinfo.image_width = static_cast<JDIMENSION>(w);
  cinfo.image_height = static_cast<JDIMENSION>(h);
  cinfo.input_components = c;
  cinfo.in_color_space = c == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(px + static_cast<int64_t>(cinfo.next_scanline) * w * c);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return nullptr;
}

// ---- PNG --------------------------------------------------------------------------------------

struct PngIO {
  const uint8_t* data = nullptr;  // reading
  size_t size = 0, pos = 0;
  std::vector<uint8_t>* sink = nullptr;  // writing (owned by the caller's frame)
  char message[kMessageSize] = {};
};

[[noreturn]] void png_on_error(png_structp png, png_const_charp msg) {
  auto* io = static_cast<PngIO*>(png_get_error_ptr(png));
  std::snprintf(io->message, kMessageSize, "%s", msg);
  png_longjmp(png, 1);
}
void png_on_warning(png_structp, png_const_charp) {}

void png_read_mem(png_structp png, png_bytep out, size_t n) {
  auto* io = static_cast<PngIO*>(png_get_io_ptr(png));
  if (n > io->size - io->pos) png_error(png, "unexpected end of data: the file is truncated");
  std::memcpy(out, io->data + io->pos, n);
  io->pos += n;
}

bool append_bytes(std::vector<uint8_t>* sink, const uint8_t* p, size_t n) noexcept {
  try {
    sink->insert(sink->end(), p, p + n);
    return true;
  } catch (...) {
    return false;
  }
}
void png_write_mem(png_structp png, png_bytep p, size_t n) {
  auto* io = static_cast<PngIO*>(png_get_io_ptr(png));
  if (!append_bytes(io->sink, p, n)) png_error(png, "out of memory");
}
void png_flush_mem(png_structp) {}

const char* decode_png_raw(PngIO* io, int channels, Tensor* out) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, io, png_on_error, png_on_warning);
  if (!png) return "out of memory";
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return "out of memory";
  }
  png_bytep volatile rgb_row = nullptr;  // color rows converted to gray go through this buffer
  if (setjmp(png_jmpbuf(png))) {
    png_free(png, rgb_row);
    png_destroy_read_struct(&png, &info, nullptr);
    return io->message;
  }
  png_set_read_fn(png, io, png_read_mem);
  png_read_info(png, info);
  const int64_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
  if (!dimensions_ok(w, h, io->message)) {
    png_destroy_read_struct(&png, &info, nullptr);
    return io->message;
  }
  const int color = png_get_color_type(png, info);
  const bool is_color = (color & PNG_COLOR_MASK_COLOR) != 0;  // RGB, RGBA and palette
  const int want = channels != 0 ? channels : (is_color ? 3 : 1);
  // Palette -> RGB, 1/2/4-bit gray -> 8 bits, 16 -> 8 bits (scaled, not truncated), alpha dropped.
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (!is_color && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_bit_depth(png, info) == 16) png_set_scale_16(png);
  if (color & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
  if (!is_color && want == 3) png_set_gray_to_rgb(png);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int decoded = png_get_channels(png, info);
  if (decoded != (is_color ? 3 : want) || png_get_bit_depth(png, info) != 8) {
    std::snprintf(io->message, kMessageSize, "unsupported PNG layout (color type %d, %d channels)", color, decoded);
    png_destroy_read_struct(&png, &info, nullptr);
    return io->message;
  }
  if (!allocate_image(out, h, w, want)) {
    png_destroy_read_struct(&png, &info, nullptr);
    return "out of memory";
  }
  auto* dst = static_cast<uint8_t*>(out->raw_data());
  if (decoded == want) {
    for (int pass = 0; pass < passes; ++pass)
      for (int64_t y = 0; y < h; ++y) png_read_row(png, dst + y * w * want, nullptr);
  } else {
    // Color to gray with PIL's weights (libpng's own conversion uses different coefficients).
    // Interlaced passes refine the same rows, so the whole RGB image is kept until the last pass.
    const bool whole = passes > 1;
    rgb_row = static_cast<png_bytep>(png_malloc(png, static_cast<size_t>(w * 3 * (whole ? h : 1))));
    for (int pass = 0; pass < passes; ++pass) {
      for (int64_t y = 0; y < h; ++y) {
        png_bytep src = rgb_row + (whole ? y * w * 3 : 0);
        png_read_row(png, src, nullptr);
        if (pass + 1 < passes) continue;
        for (int64_t x = 0; x < w; ++x) dst[y * w + x] = luma(src[3 * x], src[3 * x + 1], src[3 * x + 2]);
      }
    }
    png_free(png, rgb_row);
    rgb_row = nullptr;
  }
  // png_read_end is skipped on purpose: the chunks after the pixels carry nothing we use, and a
  // file that only lacks its IEND chunk still holds a complete image (PIL reads it too).
  png_destroy_read_struct(&png, &info, nullptr);
  return nullptr;
}

const char* encode_png_raw(const uint8_t* px, int64_t h, int64_t w, int c, PngIO* io) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, io, png_on_error, png_on_warning);
  if (!png) return "out of memory";
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return "out of memory";
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return io->message;
  }
  static constexpr int kColorTypes[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                        PNG_COLOR_TYPE_RGB_ALPHA};
  png_set_write_fn(png, io, png_write_mem, png_flush_mem);
  png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8, kColorTypes[c - 1],
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int64_t y = 0; y < h; ++y) png_write_row(png, px + y * w * c);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return nullptr;
}

std::string first_bytes_hex(const uint8_t* data, size_t size) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < size && i < 8; ++i) {
    std::snprintf(buf, sizeof buf, "%s%02x", i ? " " : "", data[i]);
    s += buf;
  }
  return s;
}

// Validates an image tensor for an encoder; returns it contiguous as [H, W, C].
Tensor encodable(const Tensor& image, const char* op, int max_channels, const char* allowed) {
  EMBER_CHECK_TYPE(image.defined() && image.dtype() == DType::UInt8, "[", op,
                   "] expected a uint8 image, got ", image.defined() ? dtype_name(image.dtype()) : "an undefined tensor",
                   ". Hint: convert float images with mul(x, 255) and .to(DType::UInt8)");
  EMBER_CHECK_SHAPE(image.dim() == 2 || image.dim() == 3, "[", op, "] expected an image [H, W, C] or [H, W], got shape ",
                    image.shape());
  Tensor t = image.dim() == 2 ? image.unsqueeze(2) : image;
  EMBER_CHECK_SHAPE(t.size(2) >= 1 && t.size(2) <= max_channels, "[", op, "] expected ", allowed,
                    " channels (last dimension), got shape ", image.shape());
  EMBER_CHECK_SHAPE(t.size(0) >= 1 && t.size(1) >= 1 && t.size(0) <= kMaxImageSide && t.size(1) <= kMaxImageSide, "[",
                    op, "] image size must be between 1 and ", kMaxImageSide, " per side, got shape ", image.shape());
  return t.contiguous();
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes, const char* op) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  EMBER_CHECK_IO(f.good(), "[", op, "] cannot open '", path, "' for writing: ", std::strerror(errno));
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  f.close();
  EMBER_CHECK_IO(!f.fail(), "[", op, "] writing '", path, "' failed: ", std::strerror(errno));
}

}  // namespace

ImageFormat detect_image_format(const uint8_t* data, size_t size) {
  static constexpr uint8_t kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) return ImageFormat::Jpeg;
  if (size >= 8 && std::memcmp(data, kPng, 8) == 0) return ImageFormat::Png;
  return ImageFormat::Unknown;
}

Tensor decode_image(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options) {
  EMBER_CHECK(options.channels == 0 || options.channels == 1 || options.channels == 3,
              "[image] DecodeOptions.channels must be 0 (as stored), 1 or 3, got ", options.channels);
  EMBER_CHECK_FORMAT(size > 0, "[image] ", name, ": the file is empty (0 bytes)");
  const ImageFormat format = detect_image_format(data, size);
  EMBER_CHECK_FORMAT(format != ImageFormat::Unknown, "[image] ", name,
                     ": not a JPEG or PNG image (first bytes: ", first_bytes_hex(data, size),
                     "); expected FF D8 FF (JPEG) or 89 50 4E 47 (PNG)");
  Tensor out;
  const int channels = static_cast<int>(options.channels);
  if (format == ImageFormat::Jpeg) {
    JpegError err;
    const char* why = decode_jpeg_raw(data, size, channels, &out, &err);
    EMBER_CHECK_FORMAT(why == nullptr, "[image] ", name, ": corrupt or truncated JPEG (", size, " bytes): ", why);
  } else {
    PngIO io;
    io.data = data;
    io.size = size;
    const char* why = decode_png_raw(&io, channels, &out);
    EMBER_CHECK_FORMAT(why == nullptr, "[image] ", name, ": corrupt or truncated PNG (", size, " bytes): ", why);
  }
  return out;
}

Tensor read_image(const std::string& path, const DecodeOptions& options) {
  std::error_code ec;
  EMBER_CHECK_IO(!std::filesystem::is_directory(path, ec), "[image] cannot read '", path, "': it is a folder");
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  EMBER_CHECK_IO(f.good(), "[image] cannot open '", path, "': ", std::strerror(errno));
  const std::streamoff n = f.tellg();
  EMBER_CHECK_IO(n >= 0, "[image] cannot read '", path, "': ", std::strerror(errno));
  std::vector<uint8_t> bytes(static_cast<size_t>(n));
  f.seekg(0);
  f.read(reinterpret_cast<char*>(bytes.data()), n);
  EMBER_CHECK_IO(f.gcount() == n, "[image] reading '", path, "' failed after ", f.gcount(), " of ", n, " bytes: ",
                 std::strerror(errno));
  return decode_image(bytes.data(), bytes.size(), path, options);
}

std::vector<uint8_t> encode_png(const Tensor& image) {
  const Tensor t = encodable(image, "image.encode_png", 4, "1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)");
  std::vector<uint8_t> bytes;
  PngIO io;
  io.sink = &bytes;
  const char* why = encode_png_raw(t.data<uint8_t>(), t.size(0), t.size(1), static_cast<int>(t.size(2)), &io);
  if (why != nullptr) throw RuntimeError(detail::str_cat("[image.encode_png] libpng failed: ", why));
  return bytes;
}

std::vector<uint8_t> encode_jpeg(const Tensor& image, int quality) {
  EMBER_CHECK(quality >= 1 && quality <= 100, "[image.encode_jpeg] quality must be in [1, 100], got ", quality);
  const Tensor t = encodable(image, "image.encode_jpeg", 3, "1 (gray) or 3 (RGB)");
  EMBER_CHECK_SHAPE(t.size(2) != 2, "[image.encode_jpeg] expected 1 (gray) or 3 (RGB) channels, got shape ",
                    image.shape());
  unsigned char* buf = nullptr;
  unsigned long len = 0;
  JpegError err;
  const char* why = encode_jpeg_raw(t.data<uint8_t>(), t.size(0), t.size(1), static_cast<int>(t.size(2)), quality,
                                    &buf, &len, &err);
  std::vector<uint8_t> bytes;
  if (why == nullptr) bytes.assign(buf, buf + len);
  std::free(buf);
  if (why != nullptr) throw RuntimeError(detail::str_cat("[image.encode_jpeg] libjpeg failed: ", why));
  return bytes;
}

void write_png(const std::string& path, const Tensor& image) {
  write_file(path, encode_png(image), "image.write_png");
}

void write_jpeg(const std::string& path, const Tensor& image, int quality) {
  write_file(path, encode_jpeg(image, quality), "image.write_jpeg");
}

}  // namespace ember::data
