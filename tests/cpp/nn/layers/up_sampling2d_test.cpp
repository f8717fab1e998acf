#include <gtest/gtest.h>

#include "ember/nn/layers/up_sampling2d.h"
#include "ember/nn/registry.h"
#include "shape_test_util.h"

namespace ember::nn {
namespace {

using test::random_tensor;

TEST(UpSampling2dTest, MatchesPyTorch) {
  UpSampling2d u(UpSampling2dOptions{.size = {2, 3}});
  EXPECT_LT(test::fixture_diff(u, test::load_fixture("nn/shape_layers"), "upsample"), 1e-14);
}

TEST(UpSampling2dTest, ThreeDimInputAndFloat32) {
  UpSampling2d u;
  const Tensor x = Tensor::from_vector(std::vector<float>{1, 2, 3, 4}, {1, 2, 2});
  EXPECT_EQ(u.forward(x).shape(), Shape({1, 4, 4}));
  EXPECT_EQ(u.output_tensor().to_vector(),
            std::vector<double>({1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
  EXPECT_EQ(u.backward(x, Tensor::ones({1, 4, 4})).to_vector(), std::vector<double>({4, 4, 4, 4}));
}

TEST(UpSampling2dTest, NonContiguousMatchesContiguous) {
  UpSampling2d u(UpSampling2dOptions{.size = {3, 2}});
  EXPECT_TRUE(test::same_for_noncontiguous(u, random_tensor({2, 2, 3, 3}, 1), random_tensor({2, 2, 9, 6}, 2)));
}

TEST(UpSampling2dTest, GradientsMatchFiniteDifferences) {
  UpSampling2d u(UpSampling2dOptions{.size = {2, 1}});
  EXPECT_TRUE(test::check_module_gradients(u, random_tensor({1, 2, 2, 3}, 3)));
}

TEST(UpSampling2dTest, ErrorsNameShapes) {
  UpSampling2d u;
  EXPECT_THROW_WITH(u.forward(Tensor::zeros({4, 4})), ShapeError,
                    "[nn.UpSampling2d] input has the wrong number of dimensions: expected 3-d or 4-d, got shape [4, 4]");
  EXPECT_THROW_WITH(u.forward(Tensor::zeros({1, 1, 2, 2}, DType::Int64)), TypeError,
                    "input dtype not supported: expected float32 or float64, got int64");
  EXPECT_THROW_WITH(u.backward(Tensor::zeros({1, 1, 2, 2}), Tensor::zeros({1, 1, 2, 2})), ShapeError,
                    "grad_output shape mismatch: expected [1, 1, 4, 4], got [1, 1, 2, 2]");
  EXPECT_THROW_WITH(UpSampling2d(UpSampling2dOptions{.size = {0, 2}}), ValueError,
                    "[nn.UpSampling2d] size must be positive, got (0, 2)");
}

TEST(UpSampling2dTest, ReprAndRegistry) {
  UpSampling2d u(UpSampling2dOptions{.size = {2, 3}});
  EXPECT_EQ(u.repr(), "nn.UpSampling2d(size=(2, 3))");
  EXPECT_EQ(Registry::global().create_module("nn.UpSampling2d", u.config())->repr(), u.repr());
}

}  // namespace
}  // namespace ember::nn
