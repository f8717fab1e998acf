#include <gtest/gtest.h>

#include <cmath>

#include "common/gradient_check.h"
#include "ember/tensor/ops.h"

namespace ember {
namespace {

Tensor vec(std::vector<double> v, const Shape& s, DType dt = DType::Float64) { return Tensor::from_vector(v, s, dt); }
Tensor iota(const Shape& s, DType dt = DType::Float64) { return Tensor::arange(s.numel(), dt).view(s); }

TEST(OpsTest, BroadcastingBinaryOps) {
  Tensor a = iota({2, 3}), b = vec({10, 20, 30}, {3}), c = vec({1, 2}, {2, 1});
  EXPECT_EQ(add(a, b).to_vector(), (std::vector<double>{10, 21, 32, 13, 24, 35}));
  EXPECT_EQ(mul(a, c).to_vector(), (std::vector<double>{0, 1, 2, 6, 8, 10}));
  EXPECT_EQ(sub(c, b).shape(), Shape({2, 3}));
  EXPECT_EQ(div(a, 2.0).at({1, 2}), 2.5);
  EXPECT_EQ(maximum(a, Tensor::scalar(2, DType::Float64)).to_vector(), (std::vector<double>{2, 2, 2, 3, 4, 5}));
  EXPECT_THROW_WITH(add(a, iota({2})), ShapeError, "[add] shapes [2, 3] and [2] do not broadcast");
  EXPECT_THROW_WITH(add(a, iota({3}, DType::Float32)), TypeError, "[add] dtype mismatch");
}

TEST(OpsTest, NonContiguousOperands) {
  Tensor a = iota({3, 4});
  Tensor t = a.t();                       // [4, 3], strides (1, 4)
  Tensor s = a.narrow(1, 1, 3).t();       // [3, 3] offset view
  Tensor r = add(t.narrow(0, 0, 3), s);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_EQ(r.at({i, j}), a.at({j, i}) + a.at({j, i + 1}));
  Tensor inplace = iota({3, 4}).t();
  add_(inplace, Tensor::ones({4, 3}, DType::Float64), 2.0);
  EXPECT_EQ(inplace.at({3, 2}), 11.0 + 2.0);
}

TEST(OpsTest, InPlaceMustKeepShape) {
  Tensor a = iota({3});
  EXPECT_THROW_WITH(add_(a, iota({2, 3})), ShapeError, "does not fit destination shape [3]");
}

TEST(OpsTest, UnaryOps) {
  Tensor x = vec({-1, 0, 2}, {3});
  EXPECT_EQ(relu(x).to_vector(), (std::vector<double>{0, 0, 2}));
  EXPECT_EQ(abs(x).to_vector(), (std::vector<double>{1, 0, 2}));
  EXPECT_NEAR(tanh(x).at({2}), std::tanh(2.0), 1e-15);
  EXPECT_NEAR(sigmoid(x).at({0}), 1 / (1 + std::exp(1.0)), 1e-15);
  EXPECT_EQ(clamp(x, -0.5, 1).to_vector(), (std::vector<double>{-0.5, 0, 1}));
  EXPECT_EQ(pow(x, 2).to_vector(), (std::vector<double>{1, 0, 4}));
  EXPECT_THROW_WITH(exp(iota({2}, DType::Int64)), TypeError, "[exp] unsupported dtype: expected float32 or float64, got int64");
}

TEST(OpsTest, ReductionsAlongDims) {
  Tensor x = iota({2, 3, 4});
  Tensor s = sum(x, 1);
  EXPECT_EQ(s.shape(), Shape({2, 4}));
  EXPECT_EQ(s.at({1, 2}), 14 + 18 + 22);
  EXPECT_EQ(sum(x, -1, true).shape(), Shape({2, 3, 1}));
  EXPECT_EQ(mean(x, 0).at({0, 0}), 6.0);
  EXPECT_EQ(sum(x).item(), 276.0);
  auto [v, i] = max(vec({1, 5, 3, 7, 2, 7}, {2, 3}), 1);
  EXPECT_EQ(v.to_vector(), (std::vector<double>{5, 7}));
  EXPECT_EQ(i.to_vector(), (std::vector<double>{1, 0}));
  EXPECT_EQ(i.dtype(), DType::Int64);
  EXPECT_EQ(argmax(vec({1, 5, 3, 7, 2, 9}, {2, 3}), 0).to_vector(), (std::vector<double>{1, 0, 1}));
  EXPECT_EQ(min(x).item(), 0.0);
  EXPECT_EQ(min(x, 2).first.at({1, 1}), 16.0);
  EXPECT_EQ(sum(x.transpose(0, 2), 0).at({1, 0}), sum(x, 2).at({0, 1}));
  EXPECT_THROW_WITH(sum(x, 3), IndexError, "[sum] dimension out of range: expected dim in [-3, 2], got 3");
}

TEST(OpsTest, MatmulAndTransposedOperands) {
  Tensor a = iota({2, 3}), b = iota({3, 4});
  Tensor c = matmul(a, b);
  EXPECT_EQ(c.shape(), Shape({2, 4}));
  EXPECT_EQ(c.at({1, 2}), 3 * 2 + 4 * 6 + 5 * 10);
  Tensor ct = matmul(b.t(), a.t());  // transposed views go to BLAS without copies
  EXPECT_EQ(max_abs_diff(ct, c.t()), 0.0);
  Tensor f = matmul(iota({2, 3}, DType::Float32), iota({3, 4}, DType::Float32));
  EXPECT_EQ(f.at({1, 2}), 80.0f);
  EXPECT_EQ(matmul(iota({3}), iota({3})).item(), 5.0);
  Tensor bm = matmul(iota({2, 2, 3}), iota({2, 3, 2}));
  EXPECT_EQ(bm.at({1, 1, 1}), matmul(iota({2, 2, 3}).select(0, 1), iota({2, 3, 2}).select(0, 1)).at({1, 1}));
  Tensor am = addmm(vec({1, 2, 3, 4}, {4}), a, b, 0.5, 2.0);
  EXPECT_EQ(am.at({1, 2}), 0.5 * 3 + 2.0 * 80);
  EXPECT_THROW_WITH(matmul(a, a), ShapeError,
                    "[matmul] last dimension of first input with shape [2, 3] must match second to last dimension of "
                    "second input with shape [2, 3]");
}

TEST(OpsTest, CatStackIndexSelect) {
  Tensor a = iota({2, 2}), b = iota({2, 3});
  Tensor c = cat({a, b}, 1);
  EXPECT_EQ(c.shape(), Shape({2, 5}));
  EXPECT_EQ(c.at({1, 4}), 5.0);
  EXPECT_EQ(stack({a, a}, 0).shape(), Shape({2, 2, 2}));
  EXPECT_THROW_WITH(cat({a, b}, 0), ShapeError, "sizes must match except in dimension 0");
  Tensor idx = Tensor::from_vector(std::vector<int64_t>{2, 0}, {2});
  EXPECT_EQ(index_select(b, 1, idx).to_vector(), (std::vector<double>{2, 0, 5, 3}));
}

TEST(OpsTest, LargeContiguousOpsUseThreadsCorrectly) {
  Tensor a = Tensor::ones({300000}, DType::Float32), b = Tensor::full({300000}, 2.0);
  Tensor c = add(a, b);
  EXPECT_EQ(sum_all(c), 900000.0);
}

}  // namespace
}  // namespace ember
