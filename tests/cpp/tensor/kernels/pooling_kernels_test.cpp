#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/gradient_check.h"
#include "ember/tensor/kernels/pooling.h"
#include "ember/tensor/ops.h"

namespace ember::kernels {
namespace {

Pool2dParams two_by_two(int64_t h, int64_t w) {
  Pool2dParams p;
  p.kh = p.kw = p.sh = p.sw = 2;
  p.oh = h / 2;
  p.ow = w / 2;
  return p;
}

// The tiled 2x2 kernel, oneDNN and the reference agree on values and on which element gets the
// gradient, including ties (first maximum) and NaN (propagates).
TEST(PoolingKernelsTest, Tiled2x2MatchesReferenceAndOneDnn) {
  Tensor x = test::random_tensor({3, 5, 6, 8}, 11, -1, 1, DType::Float32);
  float* px = x.data<float>();
  px[0] = px[1] = 0.75f;  // a tie inside the first window
  px[9] = px[8] = 2.0f;   // a tie across rows of the first window
  px[20] = std::numeric_limits<float>::quiet_NaN();
  const Pool2dParams p = two_by_two(6, 8);
  ASSERT_TRUE(tiled2x2::supported(x, p));
  const Tensor gy = test::random_tensor({3, 5, 3, 4}, 12, -1, 1, DType::Float32);
  Tensor y_ref = Tensor::empty({3, 5, 3, 4}), y_t = y_ref.clone(), y_d = y_ref.clone();
  Tensor i_ref, i_t, i_d;
  reference::max_pool2d_forward(x, p, y_ref, i_ref);
  tiled2x2::max_pool2d_forward(x, p, y_t, i_t);
  onednn::max_pool2d_forward(x, p, y_d, i_d);
  EXPECT_EQ(i_t.dtype(), DType::Int32);
  const std::vector<double> r = y_ref.to_vector(), t = y_t.to_vector(), d = y_d.to_vector();
  for (size_t k = 0; k < r.size(); ++k) {
    if (std::isnan(r[k])) {
      EXPECT_TRUE(std::isnan(t[k])) << k;
      continue;
    }
    EXPECT_EQ(r[k], t[k]) << k;
    EXPECT_EQ(r[k], d[k]) << k;
  }
  Tensor g_ref = Tensor::empty(x.shape()), g_t = g_ref.clone();
  reference::max_pool2d_backward(gy, p, i_ref, g_ref);
  tiled2x2::max_pool2d_backward(gy, p, i_t, g_t);
  EXPECT_EQ(max_abs_diff(g_ref, g_t), 0.0);
}

TEST(PoolingKernelsTest, Tiled2x2OnlyTakesExactTilings) {
  EXPECT_FALSE(tiled2x2::supported(Tensor::zeros({1, 1, 5, 4}), two_by_two(5, 4)));
  EXPECT_FALSE(tiled2x2::supported(Tensor::zeros({1, 1, 4, 4}, DType::Float64), two_by_two(4, 4)));
  Pool2dParams padded = two_by_two(4, 4);
  padded.ph = 1;
  EXPECT_FALSE(tiled2x2::supported(Tensor::zeros({1, 1, 4, 4}), padded));
  EXPECT_TRUE(tiled2x2::supported(Tensor::zeros({1, 1, 4, 4}), two_by_two(4, 4)));
}

}  // namespace
}  // namespace ember::kernels
