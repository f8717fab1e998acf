// The affine warp against torch affine_grid + grid_sample, exact special cases (identity, 90-degree
// rotation, integer shifts with fill), and the random affine family's ranges and determinism.
#include <cmath>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "data/image_test_util.h"
#include "ember/data/image/functional.h"
#include "ember/data/image/random_affine.h"
#include "ember/core/parallel.h"
#include "ember/tensor/ops.h"

namespace ember::data {
namespace {

using image::AffineParams;
using test::random_u8;
using test::same_image;

AffineParams params_of(const Tensor& p) {
  const std::vector<double> v = p.to_vector();
  return {.angle = v[0], .translate_x = v[1], .translate_y = v[2], .scale_x = v[3], .scale_y = v[4],
          .shear_x = v[5], .shear_y = v[6]};
}

TEST(ImageAffineTest, InverseMatrixMatchesNumericInverse) {
  const test::Fixture f = test::load_fixture("image/affine");
  for (int i = 0; i < 7; ++i) {
    const std::string c = "case" + std::to_string(i);
    const image::AffineMatrix m = image::inverse_affine_matrix(params_of(f.get(c + "_params")), 9, 12);
    const std::vector<double> want = f.get(c + "_matrix").to_vector();
    const double got[6] = {m.a, m.b, m.c, m.d, m.e, m.f};
    for (int k = 0; k < 6; ++k) EXPECT_NEAR(got[k], want[k], 1e-12) << c << " entry " << k;
  }
}

TEST(ImageAffineTest, WarpMatchesTorchGridSample) {
  const test::Fixture f = test::load_fixture("image/affine");
  const Tensor& x = f.get("input");
  for (int i = 0; i < 7; ++i) {
    const std::string c = "case" + std::to_string(i);
    const AffineParams p = params_of(f.get(c + "_params"));
    const Tensor& want = f.get(c + "_output");
    EXPECT_LT(max_abs_diff(image::affine(x, p), want), 1e-12) << c;
    EXPECT_LT(max_abs_diff(image::affine(x.to(DType::Float32), p), want), 1e-5) << c;
    // uint8 [H, W, C] goes through the same warp and is rounded.
    const Tensor u8 = mul(x, 255.0).permute({1, 2, 0}).to(DType::UInt8).contiguous();
    const Tensor ref = image::affine(u8.permute({2, 0, 1}).to(DType::Float64), p);
    const Tensor got = image::affine(u8, p).permute({2, 0, 1}).to(DType::Float64);
    EXPECT_LE(max_abs_diff(got, ref), 0.5 + 1e-9) << c;
  }
}

TEST(ImageAffineTest, IdentityAndQuarterTurnAreExact) {
  for (int64_t n : {4, 5}) {
    const Tensor img = random_u8({n, n, 3}, static_cast<uint64_t>(n));
    EXPECT_TRUE(same_image(image::affine(img, {}), img));
    // Counter-clockwise as displayed: out[y][x] = in[x][n - 1 - y] (numpy.rot90).
    const Tensor r = image::affine(img, {.angle = 90});
    for (int64_t y = 0; y < n; ++y)
      for (int64_t x = 0; x < n; ++x)
        for (int64_t ch = 0; ch < 3; ++ch) ASSERT_EQ(r.at({y, x, ch}), img.at({x, n - 1 - y, ch})) << y << "," << x;
  }
}

TEST(ImageAffineTest, OutsidePixelsTakeTheFillValue) {
  const Tensor img = random_u8({4, 6, 1}, 3);
  const Tensor shifted = image::affine(img, {.translate_x = 2}, 7);
  for (int64_t y = 0; y < 4; ++y) {
    EXPECT_EQ(shifted.at({y, 0, 0}), 7);
    EXPECT_EQ(shifted.at({y, 1, 0}), 7);
    for (int64_t x = 2; x < 6; ++x) EXPECT_EQ(shifted.at({y, x, 0}), img.at({y, x - 2, 0}));
  }
  const Tensor gone = image::affine(Tensor::ones({2, 3, 3}), {.translate_y = 10}, 0.25);
  EXPECT_EQ(gone.to_vector(), std::vector<double>(18, 0.25));
  // Half a pixel out: the border blends image and fill.
  const Tensor half = image::affine(Tensor::ones({1, 2, 2}), {.translate_x = 0.5}, 0.0);
  EXPECT_DOUBLE_EQ(half.at({0, 0, 0}), 0.5);
  EXPECT_DOUBLE_EQ(half.at({0, 0, 1}), 1.0);
}

TEST(ImageAffineTest, InvalidParametersAreRejected) {
  EXPECT_THROW_WITH(image::inverse_affine_matrix({.shear_x = 45, .shear_y = 45}, 4, 4), ValueError,
                    "the transform is singular");
  EXPECT_THROW_WITH(image::inverse_affine_matrix({.scale_x = 0}, 4, 4), ValueError, "scale must be > 0");
  EXPECT_THROW_WITH(image::inverse_affine_matrix({.shear_x = 90}, 4, 4), ValueError, "shear must be in (-90, 90)");
}

TEST(ImageAffineTest, RowChunksOnSeveralThreadsGiveTheSameImage) {
  const Tensor img = random_u8({300, 310, 3}, 8);  // large enough for several row chunks
  const int before = num_threads();
  set_num_threads(1);
  const Tensor warp1 = image::affine(img, {.angle = 17, .scale_x = 1.2, .scale_y = 1.2});
  const Tensor resize1 = image::resize(img, 280, 500);
  set_num_threads(2);
  const Tensor warp2 = image::affine(img, {.angle = 17, .scale_x = 1.2, .scale_y = 1.2});
  const Tensor resize2 = image::resize(img, 280, 500);
  set_num_threads(before);
  EXPECT_TRUE(same_image(warp1, warp2));
  EXPECT_TRUE(same_image(resize1, resize2));
  EXPECT_FALSE(same_image(warp1, img));
}

TEST(ImageRandomAffineTest, RotationAngleStaysInRangeAndIsReproducible) {
  RandomRotation rot(30);
  double lo = 1e9, hi = -1e9;
  for (uint64_t seed = 0; seed < 500; ++seed) {
    Generator g(seed);
    const AffineParams p = rot.get_params(8, 8, g);
    lo = std::min(lo, p.angle), hi = std::max(hi, p.angle);
    EXPECT_EQ(p.translate_x, 0);
    EXPECT_EQ(p.scale_x, 1);
    EXPECT_EQ(p.shear_x, 0);
  }
  EXPECT_GE(lo, -30);
  EXPECT_LE(hi, 30);
  EXPECT_LT(lo, -25);
  EXPECT_GT(hi, 25);
  RandomRotation skewed({.degrees = {10, 20}, .fill = 0});
  Generator g(1);
  for (int i = 0; i < 50; ++i) {
    const double a = skewed.get_params(4, 4, g).angle;
    EXPECT_TRUE(a >= 10 && a <= 20) << a;
  }
  const Tensor img = random_u8({9, 11, 3}, 4);
  Generator a(5), b(5), c(6);
  const Tensor ya = rot.apply_image(img, a);
  EXPECT_TRUE(same_image(ya, rot.apply_image(img, b)));
  EXPECT_FALSE(same_image(ya, rot.apply_image(img, c)));
}

TEST(ImageRandomAffineTest, ShearZoomTranslateRanges) {
  RandomShear shear({.shear = {-5, 5, 10, 20}, .fill = 0});
  RandomZoom zoom({.scale = {0.8, 1.25}, .fill = 0});
  RandomTranslate move({.translate = {0.1, 0.25}, .fill = 0});
  Generator g(2);
  for (int i = 0; i < 200; ++i) {
    const AffineParams s = shear.get_params(8, 20, g);
    EXPECT_TRUE(s.shear_x >= -5 && s.shear_x <= 5 && s.shear_y >= 10 && s.shear_y <= 20) << s.shear_x << " " << s.shear_y;
    EXPECT_EQ(s.angle, 0);
    const AffineParams z = zoom.get_params(8, 20, g);
    EXPECT_TRUE(z.scale_x >= 0.8 && z.scale_x <= 1.25) << z.scale_x;
    EXPECT_EQ(z.scale_x, z.scale_y);
    const AffineParams t = move.get_params(8, 20, g);
    EXPECT_LE(std::abs(t.translate_x), 2.0);  // 0.1 * width 20
    EXPECT_LE(std::abs(t.translate_y), 2.0);  // 0.25 * height 8
    EXPECT_EQ(t.scale_x, 1);
  }
}

TEST(ImageRandomAffineTest, AffineUsesTheSharedWarpOnBothLayouts) {
  RandomAffine aff({.degrees = {20}, .translate = {0.1, 0.1}, .scale = {0.9, 1.1}, .shear = {8}, .fill = 0});
  const Tensor u8 = random_u8({10, 12, 3}, 7);
  const Tensor f64 = u8.permute({2, 0, 1}).to(DType::Float64);
  for (uint64_t seed = 0; seed < 5; ++seed) {
    Generator g1(seed), g2(seed), g3(seed);
    const AffineParams p = aff.get_params(10, 12, g1);
    EXPECT_NE(p.angle, 0);
    EXPECT_NE(p.shear_x, 0);
    EXPECT_EQ(p.shear_y, 0);
    const Tensor out_f = aff.apply_image(f64, g2);
    EXPECT_LT(max_abs_diff(out_f, image::affine(f64, p)), 1e-12);
    const Tensor out_u8 = aff.apply_image(u8, g3).permute({2, 0, 1}).to(DType::Float64);
    EXPECT_LE(max_abs_diff(out_u8, out_f), 0.5 + 1e-9);
  }
}

TEST(ImageRandomAffineTest, OptionErrorsAndRepr) {
  EXPECT_THROW_WITH(RandomAffine({.degrees = {1, 2, 3}}), ValueError, "degrees takes 1 value d (for [-d, d]) or 2");
  EXPECT_THROW_WITH(RandomAffine({.degrees = {}, .translate = {0.5, 1.5}}), ValueError, "translate fractions must be in [0, 1], got 1.5");
  EXPECT_THROW_WITH(RandomZoom({.scale = {1.2, 0.8}, .fill = 0}), ValueError, "scale range must satisfy 0 < lo <= hi, got [1.2, 0.8]");
  EXPECT_THROW_WITH(RandomShear({.shear = {1, 2, 3}, .fill = 0}), ValueError, "[data.RandomShear] shear takes 1, 2 or 4 values");
  EXPECT_THROW_WITH(RandomShear({.shear = {95}, .fill = 0}), ValueError, "within (-90, 90) degrees, got -95");
  EXPECT_THROW_WITH(RandomRotation({.degrees = {-5}, .fill = 0}), ValueError, "[data.RandomRotation] degrees as one value d means [-d, d] and must be >= 0");
  EXPECT_THROW_WITH(RandomRotation(RandomRotationOptions{}), ValueError, "degrees must be given");
  EXPECT_EQ(RandomRotation(15).repr(), "RandomRotation(degrees=[15], fill=0)");
  EXPECT_EQ(RandomTranslate({.translate = {0.1, 0.2}, .fill = 0}).repr(), "RandomTranslate(translate=[0.1, 0.2], fill=0)");
  EXPECT_EQ(RandomAffine({.degrees = {5}, .translate = {}, .scale = {0.9, 1.1}}).repr(),
            "RandomAffine(degrees=[5], translate=[], scale=[0.9, 1.1], shear=[], fill=0)");
}

}  // namespace
}  // namespace ember::data
