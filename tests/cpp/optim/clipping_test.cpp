#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/gradient_check.h"
#include "optim_test_util.h"

namespace ember::optim {
namespace {

TEST(ClippingTest, GlobalNormMatchesClipGradNorm) {
  const auto f = ember::test::load_fixture("optim/clipping");
  for (const char* tag : {"clipped", "unclipped"}) {
    SCOPED_TRACE(tag);
    Tensor g = f.get("grad").clone();
    const double max_norm = std::string(tag) == "clipped" ? 1.5 : 100.0;
    EXPECT_NEAR(clip_by_global_norm(g, max_norm), f.get(std::string("norm_") + tag).item(), 1e-12);
    EXPECT_LT(max_abs_diff(g, f.get(std::string("grad_") + tag)), 1e-14);
  }
  Tensor g32 = f.get("grad").to(DType::Float32);
  EXPECT_NEAR(clip_by_global_norm(g32, 1.5), f.get("norm_clipped_float32").item(), 1e-5);
  EXPECT_LT(max_abs_diff(g32, f.get("grad_clipped_float32")), 1e-6);
}

TEST(ClippingTest, ShardsClippedWithTheAllReducedNormEqualTheWhole) {
  // Distributed training: each rank holds a shard, the squared norms are summed, every shard is
  // scaled by the same factor.
  const auto f = ember::test::load_fixture("optim/clipping");
  Tensor whole = f.get("grad").reshape({51}).clone();
  Tensor a = whole.narrow(0, 0, 20).clone(), b = whole.narrow(0, 20, 31).clone();
  const double total = squared_norm(a) + squared_norm(b);
  EXPECT_NEAR(std::sqrt(total), f.get("norm_clipped").item(), 1e-12);
  clip_by_global_norm(a, 1.5, total);
  clip_by_global_norm(b, 1.5, total);
  clip_by_global_norm(whole, 1.5);
  EXPECT_EQ(max_abs_diff(cat({a, b}, 0), whole), 0.0);
}

TEST(ClippingTest, ByValueMatchesClipGradValue) {
  const auto f = ember::test::load_fixture("optim/clipping");
  Tensor g = f.get("grad").clone();
  clip_by_value(g, -0.4, 0.4);
  EXPECT_EQ(max_abs_diff(g, f.get("grad_value")), 0.0);
  // A strided view is clipped in place too.
  Tensor h = f.get("grad").clone();
  Tensor view = h.t();
  clip_by_value(view, -0.4, 0.4);
  EXPECT_EQ(max_abs_diff(h, f.get("grad_value")), 0.0);
}

TEST(ClippingTest, NonFiniteNormLeavesTheGradientAlone) {
  Tensor g = Tensor::from_vector(std::vector<double>{1.0, std::numeric_limits<double>::infinity(), 2.0}, {3});
  EXPECT_TRUE(std::isinf(clip_by_global_norm(g, 1.0)));
  EXPECT_EQ(g.at({0}), 1.0);
  EXPECT_EQ(g.at({2}), 2.0);
}

TEST(ClippingTest, ArgumentsAreChecked) {
  Tensor g = Tensor::ones({3});
  EXPECT_THROW_WITH(clip_by_value(g, 1.0, -1.0), ValueError,
                    "[optim.clip_by_value] min must be <= max, got min=1, max=-1");
  EXPECT_THROW_WITH(clip_by_global_norm(g, 0.0), ValueError, "[optim.clip_by_global_norm] max_norm must be > 0, got 0");
  EXPECT_THROW_WITH(clip_by_global_norm(g, 1.0, -2.0), ValueError, "squared_norm must be >= 0, got -2");
  Tensor ints = Tensor::ones({3}, DType::Int32);
  EXPECT_THROW_WITH(clip_by_value(ints, 0, 1), TypeError, "gradient must be float32 or float64, got int32");
}

}  // namespace
}  // namespace ember::optim
