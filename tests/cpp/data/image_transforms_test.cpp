// Resize against torch.nn.functional.interpolate, crops/flips/ToTensor/Normalize exact, color
// adjustments against torchvision's formulas, and the random transformers' determinism and ranges.
#include <cmath>
#include <set>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "data/image_test_util.h"
#include "ember/data/image/functional.h"
#include "ember/data/image/transforms.h"
#include "ember/tensor/ops.h"

namespace ember::data {
namespace {

using test::random_u8;
using test::same_image;

// uint8 [H, W, C] -> float64 [C, H, W] with the same values (no scaling).
Tensor chw64(const Tensor& hwc) { return hwc.permute({2, 0, 1}).to(DType::Float64).contiguous(); }

// Every value of the uint8 image is the float one rounded (within half a level plus float noise).
::testing::AssertionResult rounds_to(const Tensor& u8_hwc, const Tensor& f_chw) {
  const std::vector<double> a = chw64(u8_hwc).to_vector(), b = f_chw.to_vector();
  if (a.size() != b.size()) return ::testing::AssertionFailure() << "sizes differ";
  for (size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] - std::clamp(b[i], 0.0, 255.0)) > 0.5 + 1e-6)
      return ::testing::AssertionFailure() << "element " << i << ": " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

TEST(ImageResizeTest, MatchesTorchInterpolateBilinear) {
  const test::Fixture f = test::load_fixture("image/resize");
  for (int i = 0; i < 4; ++i) {
    const Tensor& x = f.get("case" + std::to_string(i) + "_input");
    const Tensor& y = f.get("case" + std::to_string(i) + "_output");
    const Tensor out = image::resize(x, y.size(1), y.size(2));
    EXPECT_EQ(out.shape(), y.shape());
    EXPECT_LT(max_abs_diff(out, y), 1e-12) << "case " << i;
    EXPECT_LT(max_abs_diff(image::resize(x.to(DType::Float32), y.size(1), y.size(2)), y), 1e-6) << "case " << i;
  }
}

TEST(ImageResizeTest, Uint8IsRoundedFloatAndShorterSideKeepsAspect) {
  const Tensor img = random_u8({7, 10, 3}, 1);
  const Tensor out = image::resize(img, 5, 13);
  ASSERT_EQ(out.shape(), Shape({5, 13, 3}));
  EXPECT_TRUE(rounds_to(out, image::resize(chw64(img), 5, 13)));
  Generator g(0);
  EXPECT_EQ(Resize({.height = 0, .width = 0, .shorter_side = 4}).apply_image(random_u8({6, 9, 3}, 2), g).shape(),
            Shape({4, 6, 3}));
  EXPECT_EQ(Resize({.height = 0, .width = 0, .shorter_side = 4}).apply_image(Tensor::zeros({1, 9, 6}), g).shape(),
            Shape({1, 6, 4}));
  EXPECT_THROW_WITH(Resize(0, 5), ValueError, "expected height > 0 and width > 0, or shorter_side > 0 alone");
  EXPECT_EQ(Resize(3, 4).repr(), "Resize(height=3, width=4, shorter_side=0)");
}

TEST(ImageCropTest, CropPadAndFlipAreExact) {
  const Tensor hwc = Tensor::arange(4 * 5 * 2, DType::Float64).to(DType::UInt8).view({4, 5, 2});
  const Tensor c = image::crop(hwc, 1, 2, 2, 3);
  ASSERT_EQ(c.shape(), Shape({2, 3, 2}));
  EXPECT_EQ(c.at({0, 0, 0}), (1 * 5 + 2) * 2);
  EXPECT_EQ(c.at({1, 2, 1}), (2 * 5 + 4) * 2 + 1);
  EXPECT_THROW_WITH(image::crop(hwc, 3, 0, 2, 2), IndexError, "rows [3, 5) x columns [0, 2) does not fit in the 4 x 5 image");
  const Tensor p = image::pad(hwc, 1, 0, 2, 1, 9);
  ASSERT_EQ(p.shape(), Shape({5, 8, 2}));
  EXPECT_EQ(p.at({0, 4, 0}), 9);
  EXPECT_EQ(p.at({1, 1, 1}), 9);
  EXPECT_EQ(p.at({1, 2, 1}), 1);
  EXPECT_TRUE(same_image(image::crop(p, 1, 2, 4, 5).contiguous(), hwc));
  const Tensor flipped = image::hflip(hwc);
  for (int64_t x = 0; x < 5; ++x) EXPECT_EQ(flipped.at({2, x, 1}), hwc.at({2, 4 - x, 1}));
  const Tensor chw = Tensor::arange(2 * 3 * 4).view({2, 3, 4});
  const Tensor fchw = image::hflip(chw);
  EXPECT_EQ(fchw.at({1, 2, 0}), chw.at({1, 2, 3}));
  EXPECT_TRUE(same_image(image::hflip(fchw), chw));
}

TEST(ImageCropTest, CenterCropRoundsLikeTorchvisionAndPadsSmallImages) {
  const Tensor chw = Tensor::arange(5 * 6).view({1, 5, 6});
  const Tensor c = image::center_crop(chw, 3, 3);  // top = round(1.0) = 1, left = round(1.5) = 2
  EXPECT_EQ(c.at({0, 0, 0}), 1 * 6 + 2);
  const Tensor c2 = image::center_crop(Tensor::arange(7 * 7).view({1, 7, 7}), 4, 4);  // round(1.5) = 2
  EXPECT_EQ(c2.at({0, 0, 0}), 2 * 7 + 2);
  const Tensor big = image::center_crop(Tensor::ones({1, 2, 2}), 4, 5);
  ASSERT_EQ(big.shape(), Shape({1, 4, 5}));
  EXPECT_EQ(sum_all(big), 4);
  EXPECT_EQ(big.at({0, 1, 1}), 1);
  EXPECT_EQ(big.at({0, 0, 0}), 0);
  Generator g;
  EXPECT_EQ(CenterCrop(2, 3).apply_image(random_u8({5, 5, 3}, 1), g).shape(), Shape({2, 3, 3}));
}

TEST(ImageCropTest, RandomCropIsDeterministicAndCoversAllOffsets) {
  const Tensor img = Tensor::arange(6 * 7).view({1, 6, 7});
  RandomCrop rc({.height = 4, .width = 4, .padding = 1, .pad_if_needed = false, .fill = -1});
  std::set<double> corners;  // a(1, 1) = img(top, left) names the offset
  for (uint64_t seed = 0; seed < 300; ++seed) {
    Generator g1(seed), g2(seed);
    const Tensor a = rc.apply_image(img, g1);
    EXPECT_TRUE(same_image(a.contiguous(), rc.apply_image(img, g2).contiguous()));
    ASSERT_EQ(a.shape(), Shape({1, 4, 4}));
    corners.insert(a.at({0, 1, 1}));
  }
  EXPECT_EQ(corners.size(), 5u * 6u);  // every (top, left) of the padded 8 x 9 image
  Generator g(3);
  EXPECT_THROW_WITH(RandomCrop({.height = 9, .width = 4}).apply_image(img, g), ShapeError,
                    "the crop 9 x 4 is larger than the 6 x 7 image");
  EXPECT_EQ(RandomCrop({.height = 9, .width = 4, .padding = 0, .pad_if_needed = true}).apply_image(img, g).shape(),
            Shape({1, 9, 4}));
}

TEST(ImageFlipTest, RandomHorizontalFlipProbabilityAndDeterminism) {
  const Tensor img = random_u8({3, 4, 3}, 5);
  const Tensor flipped = image::hflip(img);
  Generator g(1);
  EXPECT_TRUE(same_image(RandomHorizontalFlip({.p = 1.0}).apply_image(img, g), flipped));
  EXPECT_TRUE(same_image(RandomHorizontalFlip({.p = 0.0}).apply_image(img, g), img));
  RandomHorizontalFlip half;
  int flips = 0;
  for (uint64_t seed = 0; seed < 400; ++seed) {
    Generator a(seed), b(seed);
    const Tensor x = half.apply_image(img, a);
    EXPECT_TRUE(same_image(x, half.apply_image(img, b)));
    flips += same_image(x, flipped) ? 1 : 0;
  }
  EXPECT_GT(flips, 150);
  EXPECT_LT(flips, 250);
  EXPECT_THROW_WITH(RandomHorizontalFlip({.p = 1.5}), ValueError, "p must be in [0, 1], got 1.5");
  EXPECT_EQ(half.repr(), "RandomHorizontalFlip(p=0.5)");
  EXPECT_EQ(HorizontalFlip().repr(), "HorizontalFlip()");
}

TEST(ImageTensorTest, ToTensorScalesAndTransposes) {
  const Tensor img = random_u8({2, 3, 3}, 6);
  Generator g;
  const Tensor t = ToTensor().apply_image(img, g);
  ASSERT_EQ(t.shape(), Shape({3, 2, 3}));
  EXPECT_EQ(t.dtype(), DType::Float32);
  EXPECT_FLOAT_EQ(static_cast<float>(t.at({2, 1, 0})), static_cast<float>(img.at({1, 0, 2}) / 255.0));
  const Tensor f = Tensor::arange(12).view({2, 3, 2});  // float HWC: transposed, not scaled
  EXPECT_EQ(image::to_tensor(f).at({1, 0, 2}), f.at({0, 2, 1}));
  EXPECT_EQ(image::to_tensor(random_u8({4, 5}, 7)).shape(), Shape({1, 4, 5}));
}

TEST(ImageTensorTest, NormalizePerChannel) {
  const Tensor x = Tensor::arange(2 * 2 * 2).view({2, 2, 2});
  Generator g;
  const Tensor y = Normalize({.mean = {1, 2}, .std = {2, 4}}).apply_image(x, g);
  EXPECT_EQ(y.to_vector(), (std::vector<double>{-0.5, 0, 0.5, 1, 0.5, 0.75, 1, 1.25}));
  EXPECT_EQ(image::normalize(x, {1}, {0.5}).at({1, 1, 1}), 12);
  EXPECT_THROW_WITH(image::normalize(random_u8({2, 2, 3}, 1), {0}, {1}), TypeError, "Hint: apply ToTensor first");
  EXPECT_THROW_WITH(image::normalize(x, {0, 0, 0}, {1}), ValueError, "mean has 3 values, expected 1 or 2");
  EXPECT_THROW_WITH(Normalize({.mean = {0}, .std = {0}}), ValueError, "std must be non-zero");
  EXPECT_EQ(Normalize({.mean = {0.5}, .std = {0.25}}).repr(), "Normalize(mean=[0.5], std=[0.25])");
}

TEST(ImageColorTest, AdjustmentsMatchTorchvisionFormulas) {
  const test::Fixture f = test::load_fixture("image/color");
  const Tensor& x = f.get("input");
  EXPECT_LT(max_abs_diff(image::adjust_brightness(x, 1.4), f.get("brightness_1.4")), 1e-6);
  EXPECT_LT(max_abs_diff(image::adjust_contrast(x, 0.6), f.get("contrast_0.6")), 1e-6);
  EXPECT_LT(max_abs_diff(image::adjust_saturation(x, 1.7), f.get("saturation_1.7")), 1e-6);
  EXPECT_LT(max_abs_diff(image::adjust_hue(x, 0.3), f.get("hue_0.3")), 1e-5);
  EXPECT_LT(max_abs_diff(image::adjust_hue(x, -0.45), f.get("hue_-0.45")), 1e-5);
  EXPECT_LT(max_abs_diff(image::adjust_hue(x, 0.0), x), 1e-6);
  EXPECT_THROW_WITH(image::adjust_hue(x, 0.6), ValueError, "hue_factor must be in [-0.5, 0.5], got 0.6");
}

TEST(ImageColorTest, Uint8ColorOpsWorkInImageUnits) {
  const Tensor img = random_u8({4, 4, 3}, 8);
  const Tensor b = image::adjust_brightness(img, 0.5);
  for (int64_t i : {0, 1, 2}) EXPECT_EQ(b.at({1, 2, i}), std::floor(img.at({1, 2, i}) * 0.5 + 0.5));
  const Tensor hue_u8 = image::adjust_hue(img, 0.2);
  const Tensor hue_f = image::adjust_hue(image::to_tensor(img), 0.2);
  EXPECT_TRUE(rounds_to(hue_u8, mul(hue_f.to(DType::Float64), 255.0)));
  EXPECT_TRUE(same_image(image::adjust_saturation(random_u8({3, 3, 1}, 9), 0.0), random_u8({3, 3, 1}, 9)));
}

TEST(ImageColorTest, ColorJitterIsDeterministicAndStaysInRange) {
  // Values in [0.1, 0.5]: brightness in [0.5, 1.5] never clamps, so out / in is the drawn factor.
  Generator init(4);
  Tensor x = Tensor::rand({3, 5, 5}, DType::Float32, &init);
  x = add(mul(x, 0.4), 0.1);
  ColorJitter bright({.brightness = 0.5, .contrast = 0, .saturation = 0, .hue = 0});
  double lo = 10, hi = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Generator g(seed);
    const Tensor y = bright.apply_image(x, g);
    const double r = y.at({0, 0, 0}) / x.at({0, 0, 0});
    EXPECT_NEAR(y.at({2, 4, 3}) / x.at({2, 4, 3}), r, 1e-5);
    lo = std::min(lo, r), hi = std::max(hi, r);
  }
  EXPECT_GE(lo, 0.5 - 1e-6);
  EXPECT_LE(hi, 1.5 + 1e-6);
  EXPECT_LT(lo, 0.6);
  EXPECT_GT(hi, 1.4);
  ColorJitter all({.brightness = 0.4, .contrast = 0.4, .saturation = 0.4, .hue = 0.1});
  Generator a(7), b(7), c(8);
  const Tensor ya = all.apply_image(x, a);
  EXPECT_TRUE(same_image(ya, all.apply_image(x, b)));
  EXPECT_GT(max_abs_diff(ya, all.apply_image(x, c)), 1e-3);
  EXPECT_THROW_WITH(ColorJitter({.brightness = 0, .contrast = 0, .saturation = 0, .hue = 0.7}), ValueError,
                    "hue must be in [0, 0.5], got 0.7");
  EXPECT_EQ(all.repr(), "ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)");
}

TEST(ImageTransformerTest, ApplyReplacesOnlyTheFirstFeature) {
  const Tensor img = random_u8({4, 6, 3}, 10);
  Sample s(img, Tensor::scalar(3, DType::Int64));
  s.features.push_back(Tensor::ones({2}));
  Generator g;
  const Sample out = HorizontalFlip().apply(s, g);
  EXPECT_TRUE(same_image(out.features[0], image::hflip(img)));
  EXPECT_TRUE(same_image(out.features[1], Tensor::ones({2})));
  EXPECT_EQ(out.labels[0].item(), 3);
  EXPECT_TRUE(same_image(s.features[0], img));  // the input sample is untouched
  EXPECT_THROW_WITH(ToTensor().apply(Sample(), g), ValueError, "the sample has no feature");
  EXPECT_THROW_WITH(image::hflip(Tensor::zeros({2, 2}, DType::Int64)), TypeError, "unsupported image dtype int64");
  EXPECT_THROW_WITH(image::resize(Tensor::zeros({1, 2, 2, 2}), 2, 2), ShapeError, "[image.resize] expected an image [C, H, W] or [H, W], got shape [1, 2, 2, 2]");
}

}  // namespace
}  // namespace ember::data
