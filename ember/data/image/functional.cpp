#include "ember/data/image/functional.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "ember/core/error.h"
#include "ember/core/parallel.h"

namespace ember::data::image {
namespace {

// A strided window on an image, so one kernel serves [H, W, C], [C, H, W], [H, W] and views.
template <class T>
struct Ref {
  T* p;
  int64_t h, w, c, sy, sx, sc;
  T& at(int64_t y, int64_t x, int64_t ch) const { return p[y * sy + x * sx + ch * sc]; }
};

template <class T>
Ref<T> ref_of(const Tensor& t, const ImageGeometry& g) {
  if (t.dim() == 2) return {t.data<T>(), g.height, g.width, 1, t.stride(0), t.stride(1), 0};
  if (g.channels_last) return {t.data<T>(), g.height, g.width, g.channels, t.stride(0), t.stride(1), t.stride(2)};
  return {t.data<T>(), g.height, g.width, g.channels, t.stride(1), t.stride(2), t.stride(0)};
}

// A new contiguous image of height x width in the layout and dtype of the one described by (like, g).
Tensor new_image(const Tensor& like, const ImageGeometry& g, int64_t height, int64_t width) {
  if (like.dim() == 2) return Tensor::empty(Shape{height, width}, like.dtype());
  if (g.channels_last) return Tensor::empty(Shape{height, width, g.channels}, like.dtype());
  return Tensor::empty(Shape{g.channels, height, width}, like.dtype());
}

template <class F>
decltype(auto) dispatch_image(DType t, std::string_view op, F&& f) {
  switch (t) {
    case DType::UInt8: return f.template operator()<uint8_t>();
    case DType::Float32: return f.template operator()<float>();
    case DType::Float64: return f.template operator()<double>();
    default:
      throw TypeError(detail::str_cat("[", op, "] unsupported image dtype ", t,
                                      ": expected uint8 [H, W, C] or float32/float64 [C, H, W]"));
  }
}

template <class T>
inline T to_pixel(double v) {
  if constexpr (std::is_same_v<T, uint8_t>) {
    v = v < 0.0 ? 0.0 : (v > 255.0 ? 255.0 : v);
    return static_cast<uint8_t>(v + 0.5);
  } else {
    return static_cast<T>(v);
  }
}

// Rows per parallel chunk: enough work (about 64K values) to pay for waking threads; small images
// run on the calling thread, where the loader's workers already give parallelism across samples.
int64_t row_grain(int64_t width, int64_t channels) { return std::max<int64_t>(1, 65536 / std::max<int64_t>(1, width * channels)); }

// One output coordinate's two bilinear source taps, as PyTorch's upsample_bilinear2d computes them.
struct Tap {
  int64_t i0, i1;
  double l0, l1;
};

std::vector<Tap> bilinear_taps(int64_t in, int64_t out) {
  std::vector<Tap> taps(static_cast<size_t>(out));
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  for (int64_t i = 0; i < out; ++i) {
    const double src = std::max(0.0, scale * (static_cast<double>(i) + 0.5) - 0.5);
    const auto i0 = std::min(static_cast<int64_t>(src), in - 1);
    const double l1 = std::min(src - static_cast<double>(i0), 1.0);
    taps[static_cast<size_t>(i)] = {i0, std::min(i0 + 1, in - 1), 1.0 - l1, l1};
  }
  return taps;
}

// Color work is done on a float copy, channel-planar, in units of 0..bound.
struct Planar {
  std::vector<float> v;
  int64_t c, n;  // channels, pixels
  float* plane(int64_t ch) { return v.data() + ch * n; }
};

Planar to_planar(const Tensor& img, const ImageGeometry& g, std::string_view op) {
  Planar out{std::vector<float>(static_cast<size_t>(g.channels * g.height * g.width)), g.channels, g.height * g.width};
  dispatch_image(img.dtype(), op, [&]<class T>() {
    const Ref<T> s = ref_of<T>(img, g);
    for (int64_t ch = 0; ch < g.channels; ++ch)
      for (int64_t y = 0; y < g.height; ++y)
        for (int64_t x = 0; x < g.width; ++x) out.v[(ch * g.height + y) * g.width + x] = static_cast<float>(s.at(y, x, ch));
  });
  return out;
}

Tensor from_planar(const Planar& p, const Tensor& like, const ImageGeometry& g) {
  Tensor out = new_image(like, g, g.height, g.width);
  dispatch_image(like.dtype(), "image", [&]<class T>() {
    const Ref<T> d = ref_of<T>(out, g);
    for (int64_t ch = 0; ch < g.channels; ++ch)
      for (int64_t y = 0; y < g.height; ++y)
        for (int64_t x = 0; x < g.width; ++x) d.at(y, x, ch) = to_pixel<T>(p.v[(ch * g.height + y) * g.width + x]);
  });
  return out;
}

// Python's round(d / 2) (halves go to the even neighbour), as torchvision's center_crop computes it.
int64_t half_round_even(int64_t d) {
  const int64_t k = d / 2;
  return (d % 2 == 0 || k % 2 == 0) ? k : k + 1;
}

float bound_of(DType t) { return t == DType::UInt8 ? 255.0f : 1.0f; }

// torchvision's _blend: ratio * a + (1 - ratio) * b, clamped to [0, bound].
inline float blend(float a, float b, float ratio, float bound) {
  return std::clamp(ratio * a + (1.0f - ratio) * b, 0.0f, bound);
}

// torchvision's rgb_to_grayscale weights.
inline float gray_of(float r, float g, float b) { return 0.2989f * r + 0.587f * g + 0.114f * b; }

}  // namespace

ImageGeometry image_geometry(const Tensor& img, std::string_view op) {
  EMBER_CHECK(img.defined(), "[", op, "] the image tensor is undefined");
  const bool u8 = img.dtype() == DType::UInt8;
  EMBER_CHECK_TYPE(u8 || img.dtype() == DType::Float32 || img.dtype() == DType::Float64, "[", op,
                   "] unsupported image dtype ", img.dtype(), ": expected uint8 [H, W, C] or float32/float64 [C, H, W]");
  EMBER_CHECK_SHAPE(img.dim() == 2 || img.dim() == 3, "[", op, "] expected an image ",
                    u8 ? "uint8 [H, W, C]" : "[C, H, W]", " or [H, W], got shape ", img.shape());
  ImageGeometry g;
  g.channels_last = u8;
  if (img.dim() == 2) {
    g.height = img.size(0), g.width = img.size(1), g.channels = 1;
  } else if (u8) {
    g.height = img.size(0), g.width = img.size(1), g.channels = img.size(2);
  } else {
    g.channels = img.size(0), g.height = img.size(1), g.width = img.size(2);
  }
  EMBER_CHECK_SHAPE(g.height > 0 && g.width > 0 && g.channels > 0, "[", op, "] empty image of shape ", img.shape());
  return g;
}

Tensor resize(const Tensor& img, int64_t height, int64_t width) {
  const ImageGeometry g = image_geometry(img, "image.resize");
  EMBER_CHECK(height > 0 && width > 0, "[image.resize] output size must be positive, got ", height, " x ", width);
  Tensor out = new_image(img, g, height, width);
  const std::vector<Tap> ty = bilinear_taps(g.height, height), tx = bilinear_taps(g.width, width);
  dispatch_image(img.dtype(), "image.resize", [&]<class T>() {
    const Ref<T> src = ref_of<T>(img, g);
    const Ref<T> dst = ref_of<T>(out, {height, width, g.channels, g.channels_last});
    parallel_for(0, height, row_grain(width, g.channels), [&, src, dst](int64_t y0, int64_t y1) {
      const Ref<T> s = src, d = dst;  // local copies (see affine_warp)
      const Tap* const xt = tx.data();
      for (int64_t y = y0; y < y1; ++y) {
        const Tap v = ty[static_cast<size_t>(y)];
        for (int64_t ch = 0; ch < d.c; ++ch) {
          for (int64_t x = 0; x < d.w; ++x) {
            const Tap u = xt[x];
            const double top = u.l0 * s.at(v.i0, u.i0, ch) + u.l1 * s.at(v.i0, u.i1, ch);
            const double bottom = u.l0 * s.at(v.i1, u.i0, ch) + u.l1 * s.at(v.i1, u.i1, ch);
            d.at(y, x, ch) = to_pixel<T>(v.l0 * top + v.l1 * bottom);
          }
        }
      }
    });
  });
  return out;
}

Tensor crop(const Tensor& img, int64_t top, int64_t left, int64_t height, int64_t width) {
  const ImageGeometry g = image_geometry(img, "image.crop");
  EMBER_CHECK_INDEX(height > 0 && width > 0 && top >= 0 && left >= 0 && top + height <= g.height &&
                        left + width <= g.width,
                    "[image.crop] window rows [", top, ", ", top + height, ") x columns [", left, ", ", left + width,
                    ") does not fit in the ", g.height, " x ", g.width, " image");
  const int64_t hd = (img.dim() == 3 && !g.channels_last) ? 1 : 0;
  return img.narrow(hd, top, height).narrow(hd + 1, left, width);
}

Tensor pad(const Tensor& img, int64_t top, int64_t bottom, int64_t left, int64_t right, double fill) {
  const ImageGeometry g = image_geometry(img, "image.pad");
  EMBER_CHECK(top >= 0 && bottom >= 0 && left >= 0 && right >= 0, "[image.pad] padding must be >= 0, got top=", top,
              ", bottom=", bottom, ", left=", left, ", right=", right);
  const int64_t h = g.height + top + bottom, w = g.width + left + right;
  Tensor out = new_image(img, g, h, w);
  dispatch_image(img.dtype(), "image.pad", [&]<class T>() {
    const Ref<T> s = ref_of<T>(img, g);
    const Ref<T> d = ref_of<T>(out, {h, w, g.channels, g.channels_last});
    const T f = to_pixel<T>(fill);
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        for (int64_t ch = 0; ch < g.channels; ++ch) {
          const int64_t sy = y - top, sx = x - left;
          d.at(y, x, ch) = (sy >= 0 && sy < g.height && sx >= 0 && sx < g.width) ? s.at(sy, sx, ch) : f;
        }
  });
  return out;
}

Tensor center_crop(const Tensor& img, int64_t height, int64_t width) {
  const ImageGeometry g = image_geometry(img, "image.center_crop");
  EMBER_CHECK(height > 0 && width > 0, "[image.center_crop] crop size must be positive, got ", height, " x ", width);
  Tensor src = img;
  if (height > g.height || width > g.width) {  // torchvision pads symmetrically with zeros first
    const int64_t ph = std::max<int64_t>(0, height - g.height), pw = std::max<int64_t>(0, width - g.width);
    src = pad(img, ph / 2, (ph + 1) / 2, pw / 2, (pw + 1) / 2, 0.0);
  }
  const ImageGeometry gs = image_geometry(src, "image.center_crop");
  const int64_t top = half_round_even(gs.height - height), left = half_round_even(gs.width - width);
  return crop(src, top, left, height, width);
}

Tensor hflip(const Tensor& img) {
  const ImageGeometry g = image_geometry(img, "image.hflip");
  Tensor out = new_image(img, g, g.height, g.width);
  dispatch_image(img.dtype(), "image.hflip", [&]<class T>() {
    const Ref<T> s = ref_of<T>(img, g);
    const Ref<T> d = ref_of<T>(out, g);
    for (int64_t y = 0; y < g.height; ++y)
      for (int64_t ch = 0; ch < g.channels; ++ch)
        for (int64_t x = 0; x < g.width; ++x) d.at(y, x, ch) = s.at(y, g.width - 1 - x, ch);
  });
  return out;
}

Tensor to_tensor(const Tensor& img) {
  EMBER_CHECK(img.defined(), "[image.to_tensor] the image tensor is undefined");
  EMBER_CHECK_SHAPE(img.dim() == 2 || img.dim() == 3, "[image.to_tensor] expected an image [H, W, C] or [H, W], got shape ",
                    img.shape());
  const Tensor hwc = img.dim() == 2 ? img.unsqueeze(2) : img;
  const int64_t h = hwc.size(0), w = hwc.size(1), c = hwc.size(2);
  Tensor out = Tensor::empty(Shape{c, h, w}, DType::Float32);
  float* d = out.data<float>();
  dispatch_image(img.dtype(), "image.to_tensor", [&]<class T>() {
    const Ref<T> s{hwc.data<T>(), h, w, c, hwc.stride(0), hwc.stride(1), hwc.stride(2)};
    const double scale = std::is_same_v<T, uint8_t> ? 1.0 / 255.0 : 1.0;
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) *d++ = static_cast<float>(static_cast<double>(s.at(y, x, ch)) * scale);
  });
  return out;
}

Tensor normalize(const Tensor& img, const std::vector<double>& mean, const std::vector<double>& std) {
  EMBER_CHECK(img.defined(), "[image.normalize] the image tensor is undefined");
  EMBER_CHECK_TYPE(img.dtype() == DType::Float32 || img.dtype() == DType::Float64,
                   "[image.normalize] expected a float32/float64 image [C, H, W], got ", img.dtype(),
                   ". Hint: apply ToTensor first");
  EMBER_CHECK_SHAPE(img.dim() == 3, "[image.normalize] expected an image [C, H, W], got shape ", img.shape());
  const int64_t c = img.size(0);
  auto check = [&](const std::vector<double>& v, const char* name) {
    EMBER_CHECK(v.size() == 1 || static_cast<int64_t>(v.size()) == c, "[image.normalize] ", name, " has ", v.size(),
                " values, expected 1 or ", c, " (one per channel of the image of shape ", img.shape(), ")");
  };
  check(mean, "mean");
  check(std, "std");
  for (double s : std) EMBER_CHECK(s != 0.0, "[image.normalize] std must be non-zero, got ", s);
  const ImageGeometry g = image_geometry(img, "image.normalize");
  Tensor out = new_image(img, g, g.height, g.width);
  dispatch_floating(img.dtype(), "image.normalize", [&]<class T>() {
    const Ref<T> s = ref_of<T>(img, g);
    const Ref<T> d = ref_of<T>(out, g);
    for (int64_t ch = 0; ch < c; ++ch) {
      const double m = mean[mean.size() == 1 ? 0 : ch], inv = 1.0 / std[std.size() == 1 ? 0 : ch];
      for (int64_t y = 0; y < g.height; ++y)
        for (int64_t x = 0; x < g.width; ++x) d.at(y, x, ch) = static_cast<T>((s.at(y, x, ch) - m) * inv);
    }
  });
  return out;
}

AffineMatrix inverse_affine_matrix(const AffineParams& p, int64_t height, int64_t width) {
  EMBER_CHECK(height > 0 && width > 0, "[image.affine] image size must be positive, got ", height, " x ", width);
  EMBER_CHECK(p.scale_x > 0 && p.scale_y > 0, "[image.affine] scale must be > 0, got scale_x=", p.scale_x,
              ", scale_y=", p.scale_y);
  EMBER_CHECK(std::abs(p.shear_x) < 90 && std::abs(p.shear_y) < 90, "[image.affine] shear must be in (-90, 90) degrees, got shear_x=",
              p.shear_x, ", shear_y=", p.shear_y);
  constexpr double kRad = std::numbers::pi / 180.0;
  const double cs = std::cos(p.angle * kRad), sn = std::sin(p.angle * kRad);
  const double kx = std::tan(p.shear_x * kRad), ky = std::tan(p.shear_y * kRad);
  // Forward A = R * S * Sh with R = [[cos, sin], [-sin, cos]] (counter-clockwise on a y-down grid),
  // S = diag(scale_x, scale_y), Sh = [[1, kx], [ky, 1]]; the warp needs its inverse.
  const double s00 = p.scale_x, s01 = p.scale_x * kx, s10 = p.scale_y * ky, s11 = p.scale_y;
  const double a00 = cs * s00 + sn * s10, a01 = cs * s01 + sn * s11;
  const double a10 = -sn * s00 + cs * s10, a11 = -sn * s01 + cs * s11;
  const double det = a00 * a11 - a01 * a10;
  EMBER_CHECK(std::abs(det) > 1e-12, "[image.affine] the transform is singular (shear_x=", p.shear_x,
              ", shear_y=", p.shear_y, " fold the plane): expected tan(shear_x) * tan(shear_y) != 1");
  AffineMatrix m;
  m.a = a11 / det, m.b = -a01 / det, m.d = -a10 / det, m.e = a00 / det;
  const double cx = (static_cast<double>(width) - 1) * 0.5, cy = (static_cast<double>(height) - 1) * 0.5;
  // in = C + A^-1 (out - C - t)
  m.c = cx - m.a * (cx + p.translate_x) - m.b * (cy + p.translate_y);
  m.f = cy - m.d * (cx + p.translate_x) - m.e * (cy + p.translate_y);
  return m;
}

Tensor affine_warp(const Tensor& img, const AffineMatrix& m_in, double fill_in) {
  const ImageGeometry g = image_geometry(img, "image.affine_warp");
  Tensor out = new_image(img, g, g.height, g.width);
  dispatch_image(img.dtype(), "image.affine_warp", [&]<class T>() {
    const Ref<T> src = ref_of<T>(img, g);
    const Ref<T> dst = ref_of<T>(out, g);
    parallel_for(0, g.height, row_grain(g.width, g.channels), [&, src, dst](int64_t y0, int64_t y1) {
      // Local copies: stores through uint8_t* may alias anything reached by reference, which would
      // force a reload of the matrix and strides for every pixel.
      const Ref<T> s = src, d = dst;
      const AffineMatrix m = m_in;
      const int64_t h = s.h, w = s.w, nc = s.c;
      const double fill = fill_in;
      for (int64_t y = y0; y < y1; ++y) {
        const double fy_row = static_cast<double>(y);
        for (int64_t x = 0; x < w; ++x) {
          const double sx = m.a * static_cast<double>(x) + m.b * fy_row + m.c;
          const double sy = m.d * static_cast<double>(x) + m.e * fy_row + m.f;
          if (!(sx > -1.0 && sy > -1.0 && sx < static_cast<double>(w) && sy < static_cast<double>(h))) {
            for (int64_t ch = 0; ch < nc; ++ch) d.at(y, x, ch) = to_pixel<T>(fill);  // also catches NaN
            continue;
          }
          // Bounded above, so the casts are safe; truncation plus a fix-up is floor without a libm call.
          int64_t x0 = static_cast<int64_t>(sx), y0i = static_cast<int64_t>(sy);
          x0 -= static_cast<double>(x0) > sx ? 1 : 0;
          y0i -= static_cast<double>(y0i) > sy ? 1 : 0;
          const double wx = sx - static_cast<double>(x0), wy = sy - static_cast<double>(y0i);
          const double w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
          if (x0 >= 0 && y0i >= 0 && x0 + 1 < w && y0i + 1 < h) {  // all four neighbours inside
            const T* p00 = &s.at(y0i, x0, 0);
            for (int64_t ch = 0; ch < nc; ++ch) {
              const T* q = p00 + ch * s.sc;
              d.at(y, x, ch) = to_pixel<T>(w00 * q[0] + w01 * q[s.sx] + w10 * q[s.sy] + w11 * q[s.sy + s.sx]);
            }
            continue;
          }
          const bool in_x0 = x0 >= 0 && x0 < w, in_x1 = x0 + 1 >= 0 && x0 + 1 < w;
          const bool in_y0 = y0i >= 0 && y0i < h, in_y1 = y0i + 1 >= 0 && y0i + 1 < h;
          for (int64_t ch = 0; ch < nc; ++ch) {
            const double v00 = in_y0 && in_x0 ? static_cast<double>(s.at(y0i, x0, ch)) : fill;
            const double v01 = in_y0 && in_x1 ? static_cast<double>(s.at(y0i, x0 + 1, ch)) : fill;
            const double v10 = in_y1 && in_x0 ? static_cast<double>(s.at(y0i + 1, x0, ch)) : fill;
            const double v11 = in_y1 && in_x1 ? static_cast<double>(s.at(y0i + 1, x0 + 1, ch)) : fill;
            d.at(y, x, ch) = to_pixel<T>(w00 * v00 + w01 * v01 + w10 * v10 + w11 * v11);
          }
        }
      }
    });
  });
  return out;
}

Tensor affine(const Tensor& img, const AffineParams& p, double fill) {
  const ImageGeometry g = image_geometry(img, "image.affine");
  return affine_warp(img, inverse_affine_matrix(p, g.height, g.width), fill);
}

Tensor adjust_brightness(const Tensor& img, double factor) {
  const ImageGeometry g = image_geometry(img, "image.adjust_brightness");
  EMBER_CHECK(factor >= 0, "[image.adjust_brightness] factor must be >= 0, got ", factor);
  Planar p = to_planar(img, g, "image.adjust_brightness");
  const float bound = bound_of(img.dtype()), f = static_cast<float>(factor);
  for (float& v : p.v) v = blend(v, 0.0f, f, bound);
  return from_planar(p, img, g);
}

Tensor adjust_contrast(const Tensor& img, double factor) {
  const ImageGeometry g = image_geometry(img, "image.adjust_contrast");
  EMBER_CHECK(factor >= 0, "[image.adjust_contrast] factor must be >= 0, got ", factor);
  Planar p = to_planar(img, g, "image.adjust_contrast");
  const float bound = bound_of(img.dtype()), f = static_cast<float>(factor);
  double sum = 0;
  if (g.channels == 3) {
    const float *r = p.plane(0), *gr = p.plane(1), *b = p.plane(2);
    for (int64_t i = 0; i < p.n; ++i) sum += gray_of(r[i], gr[i], b[i]);
  } else {
    for (float v : p.v) sum += v;  // torchvision: the mean over all values of a non-RGB image
  }
  const auto mean = static_cast<float>(sum / static_cast<double>(g.channels == 3 ? p.n : p.n * p.c));
  for (float& v : p.v) v = blend(v, mean, f, bound);
  return from_planar(p, img, g);
}

Tensor adjust_saturation(const Tensor& img, double factor) {
  const ImageGeometry g = image_geometry(img, "image.adjust_saturation");
  EMBER_CHECK(factor >= 0, "[image.adjust_saturation] factor must be >= 0, got ", factor);
  if (g.channels != 3) return img.contiguous();
  Planar p = to_planar(img, g, "image.adjust_saturation");
  const float bound = bound_of(img.dtype()), f = static_cast<float>(factor);
  float *r = p.plane(0), *gr = p.plane(1), *b = p.plane(2);
  for (int64_t i = 0; i < p.n; ++i) {
    const float l = gray_of(r[i], gr[i], b[i]);
    r[i] = blend(r[i], l, f, bound), gr[i] = blend(gr[i], l, f, bound), b[i] = blend(b[i], l, f, bound);
  }
  return from_planar(p, img, g);
}

Tensor adjust_hue(const Tensor& img, double hue_factor) {
  const ImageGeometry g = image_geometry(img, "image.adjust_hue");
  EMBER_CHECK(hue_factor >= -0.5 && hue_factor <= 0.5, "[image.adjust_hue] hue_factor must be in [-0.5, 0.5], got ",
              hue_factor);
  if (g.channels != 3) return img.contiguous();
  Planar p = to_planar(img, g, "image.adjust_hue");
  const float bound = bound_of(img.dtype()), inv = 1.0f / bound, hf = static_cast<float>(hue_factor);
  float *rp = p.plane(0), *gp = p.plane(1), *bp = p.plane(2);
  for (int64_t i = 0; i < p.n; ++i) {
    // torchvision's _rgb2hsv / _hsv2rgb, per pixel.
    const float r = rp[i] * inv, gg = gp[i] * inv, b = bp[i] * inv;
    const float maxc = std::max({r, gg, b}), minc = std::min({r, gg, b});
    const bool eq = maxc == minc;
    const float cr = maxc - minc;
    const float s = cr / (eq ? 1.0f : maxc);
    const float div = eq ? 1.0f : cr;
    const float rc = (maxc - r) / div, gc = (maxc - gg) / div, bc = (maxc - b) / div;
    float h;
    if (maxc == r) h = bc - gc;
    else if (maxc == gg) h = 2.0f + rc - bc;
    else h = 4.0f + gc - rc;
    h = std::fmod(h / 6.0f + 1.0f, 1.0f);
    h = std::fmod(h + hf, 1.0f);
    if (h < 0) h += 1.0f;  // Python's % is non-negative
    const float v = maxc;
    const float i6 = std::floor(h * 6.0f), f = h * 6.0f - i6;
    const float pp = std::clamp(v * (1.0f - s), 0.0f, 1.0f);
    const float q = std::clamp(v * (1.0f - s * f), 0.0f, 1.0f);
    const float t = std::clamp(v * (1.0f - s * (1.0f - f)), 0.0f, 1.0f);
    float ro, go, bo;
    switch (static_cast<int>(i6) % 6) {
      case 0: ro = v, go = t, bo = pp; break;
      case 1: ro = q, go = v, bo = pp; break;
      case 2: ro = pp, go = v, bo = t; break;
      case 3: ro = pp, go = q, bo = v; break;
      case 4: ro = t, go = pp, bo = v; break;
      default: ro = v, go = pp, bo = q; break;
    }
    rp[i] = ro * bound, gp[i] = go * bound, bp[i] = bo * bound;
  }
  return from_planar(p, img, g);
}

}  // namespace ember::data::image
