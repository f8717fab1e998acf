#include <gtest/gtest.h>

#include <cmath>

#include "common/gradient_check.h"
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"

namespace ember {
namespace {

Tensor iota(const Shape& s, DType dt = DType::Float32) { return Tensor::arange(s.numel(), dt).view(s); }

TEST(TensorTest, FactoriesAndProperties) {
  Tensor z = Tensor::zeros({2, 3});
  EXPECT_EQ(z.dtype(), DType::Float32);
  EXPECT_EQ(z.shape(), Shape({2, 3}));
  EXPECT_EQ(z.strides(), Shape({3, 1}));
  EXPECT_EQ(z.numel(), 6);
  EXPECT_TRUE(z.is_contiguous());
  EXPECT_EQ(Tensor::full({2}, 2.5, DType::Float64).at({1}), 2.5);
  EXPECT_EQ(Tensor::scalar(3).dim(), 0);
  EXPECT_EQ(Tensor::scalar(3).item(), 3.0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(z.raw_data()) % 64, 0u);
}

TEST(TensorTest, ViewsShareStorage) {
  Tensor x = iota({2, 3});
  Tensor t = x.transpose(0, 1);
  EXPECT_EQ(t.shape(), Shape({3, 2}));
  EXPECT_FALSE(t.is_contiguous());
  EXPECT_TRUE(t.shares_storage(x));
  EXPECT_EQ(t.at({2, 1}), 5.0);
  t.fill_(7);
  EXPECT_EQ(x.at({1, 2}), 7.0);
}

TEST(TensorTest, NarrowSelectSqueezeUnsqueezePermute) {
  Tensor x = iota({2, 3, 4});
  EXPECT_EQ(x.narrow(2, 1, 2).at({1, 2, 1}), 1 * 12 + 2 * 4 + 2);
  EXPECT_EQ(x.select(1, 2).shape(), Shape({2, 4}));
  EXPECT_EQ(x.select(1, -1).at({1, 3}), 23.0);
  EXPECT_EQ(x.unsqueeze(1).shape(), Shape({2, 1, 3, 4}));
  EXPECT_EQ(x.unsqueeze(-1).shape(), Shape({2, 3, 4, 1}));
  EXPECT_EQ(x.unsqueeze(1).squeeze().shape(), Shape({2, 3, 4}));
  EXPECT_EQ(x.unsqueeze(0).squeeze(0).shape(), Shape({2, 3, 4}));
  Tensor p = x.permute({2, 0, 1});
  EXPECT_EQ(p.shape(), Shape({4, 2, 3}));
  EXPECT_EQ(p.at({3, 1, 2}), x.at({1, 2, 3}));
}

TEST(TensorTest, ViewAndReshape) {
  Tensor x = iota({2, 6});
  EXPECT_EQ(x.view({3, -1}).shape(), Shape({3, 4}));
  EXPECT_EQ(x.view({3, 4}).at({2, 3}), 11.0);
  Tensor t = x.t();
  EXPECT_THROW_WITH(t.view({12}), ShapeError, "cannot view tensor of shape [6, 2]");
  EXPECT_FALSE(t.can_view({12}));
  EXPECT_TRUE(t.can_view({6, 2, 1}));
  EXPECT_FALSE(x.can_view({5}));
  Tensor r = t.reshape({12});
  EXPECT_EQ(r.at({1}), 6.0);
  EXPECT_FALSE(r.shares_storage(x));
  EXPECT_TRUE(x.narrow(0, 1, 1).view({6}).shares_storage(x));
  EXPECT_THROW_WITH(x.view({5, -1}), ShapeError, "shape [5, -1] is invalid for input of shape [2, 6]");
  EXPECT_EQ(iota({2, 3, 4}).flatten(1).shape(), Shape({2, 12}));
  EXPECT_EQ(Tensor::scalar(4).view({1, 1}).at({0, 0}), 4.0);
  EXPECT_EQ(Tensor::ones({1, 1}).view({}).dim(), 0);
}

TEST(TensorTest, ExpandAndContiguous) {
  Tensor x = iota({3, 1});
  Tensor e = x.expand({2, 3, 4});
  EXPECT_EQ(e.strides()[0], 0);
  EXPECT_EQ(e.at({1, 2, 3}), 2.0);
  Tensor c = e.contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_EQ(c.at({1, 2, 3}), 2.0);
  EXPECT_THROW_WITH(x.expand({2, 2}), ShapeError, "cannot expand shape [3, 1] to [2, 2]");
}

TEST(TensorTest, CopyConvertsAndBroadcasts) {
  Tensor d = Tensor::zeros({2, 3}, DType::Float64);
  d.copy_(iota({3}, DType::Int32));
  EXPECT_EQ(d.at({1, 2}), 2.0);
  Tensor b = iota({4}).to(DType::BFloat16);
  EXPECT_EQ(b.dtype(), DType::BFloat16);
  EXPECT_EQ(b.to(DType::Float32).at({3}), 3.0);
  // Round to nearest even: 1 + 2^-8 is halfway between two bfloat16 values.
  EXPECT_EQ(static_cast<float>(BFloat16(1.00390625f)), 1.0f);
  EXPECT_EQ(static_cast<float>(BFloat16(1.01171875f)), 1.015625f);
  EXPECT_THROW_WITH(d.copy_(Tensor::zeros({4})), ShapeError, "do not broadcast");
}

TEST(TensorTest, FromBlobDoesNotCopy) {
  std::vector<float> buf{1, 2, 3, 4, 5, 6};
  Tensor t = Tensor::from_blob(buf.data(), {2, 3}, DType::Float32);
  t.fill_(9);
  EXPECT_EQ(buf[5], 9.0f);
  Tensor strided = Tensor::from_blob(buf.data(), {3}, DType::Float32, nullptr, {2});
  EXPECT_EQ(strided.numel(), 3);
  auto owned = std::make_shared<std::vector<double>>(4, 1.5);
  Tensor o = Tensor::from_blob(owned->data(), {4}, DType::Float64, owned, {}, false);
  EXPECT_EQ(o.at({3}), 1.5);
  EXPECT_THROW_WITH(o.fill_(1), ValueError, "read-only");
  EXPECT_THROW_WITH(uniform_(o, 0, 1), ValueError, "[uniform_] tensor is read-only");
  EXPECT_THROW_WITH(normal_(o, 0, 1), ValueError, "[normal_] tensor is read-only");
  EXPECT_THROW_WITH(bernoulli_(o, 0.5), ValueError, "[bernoulli_] tensor is read-only");
  EXPECT_EQ(o.at({0}), 1.5);
}

TEST(TensorTest, DataChecksDtype) {
  Tensor t = Tensor::zeros({2});
  EXPECT_THROW_WITH(t.data<double>(), TypeError, "[Tensor.data] dtype mismatch: expected float64, got float32");
}

TEST(TensorTest, OutOfRangeDimsAndIndices) {
  Tensor t = Tensor::zeros({2, 3});
  EXPECT_THROW_WITH(t.transpose(0, 2), IndexError, "[Tensor.transpose] dimension out of range: expected dim in [-2, 1], got 2");
  EXPECT_THROW_WITH(t.select(1, 3), IndexError, "index 3 out of range for dimension 1 of size 3");
  EXPECT_THROW_WITH(t.narrow(0, 1, 2), IndexError, "range [1, 3) out of bounds for dimension 0 of size 2");
}

TEST(TensorTest, ResizeReusesStorage) {
  Tensor t = Tensor::empty({4, 4});
  const void* p = t.raw_data();
  t.resize_({2, 8});
  EXPECT_EQ(t.raw_data(), p);
  t.resize_({10, 10});
  EXPECT_EQ(t.shape(), Shape({10, 10}));
}

TEST(TensorTest, PrintsLikeNumPy) {
  EXPECT_EQ(iota({2, 2}).to_string(), "tensor([[0., 1.],\n        [2., 3.]])");
  EXPECT_EQ(Tensor::from_vector(std::vector<double>{0.5, -1.25}, {2}, DType::Float64).to_string(),
            "tensor([ 0.5000, -1.2500], dtype=float64)");
  EXPECT_EQ(iota({3}, DType::Int64).to_string(), "tensor([0, 1, 2], dtype=int64)");
  EXPECT_NE(iota({2000}).to_string().find("..."), std::string::npos);
}

TEST(RandomTest, SeededAndReproducible) {
  Generator a(42), b(42), c(43);
  Tensor x = Tensor::empty({100}), y = Tensor::empty({100}), z = Tensor::empty({100});
  uniform_(x, -1, 1, &a);
  uniform_(y, -1, 1, &b);
  uniform_(z, -1, 1, &c);
  EXPECT_EQ(max_abs_diff(x, y), 0.0);
  EXPECT_GT(max_abs_diff(x, z), 0.0);
  EXPECT_GE(min(x).item(), -1.0);
  EXPECT_LT(max(x).item(), 1.0);
  // Saving and restoring the state replays the stream.
  Generator g(7);
  auto st = g.state();
  const double v1 = g.next_normal();
  g.set_state(st);
  EXPECT_EQ(g.next_normal(), v1);
}

TEST(RandomTest, DistributionsHaveTheRightMoments) {
  Generator g(1);
  Tensor n = Tensor::empty({20000}, DType::Float64);
  normal_(n, 2.0, 3.0, &g);
  EXPECT_NEAR(mean(n).item(), 2.0, 0.1);
  EXPECT_NEAR(std::sqrt(mean(square(sub(n, 2.0))).item()), 3.0, 0.1);
  Tensor b = Tensor::empty({20000}, DType::Float64);
  bernoulli_(b, 0.3, &g);
  EXPECT_NEAR(mean(b).item(), 0.3, 0.02);
  EXPECT_THROW_WITH(bernoulli_(b, 1.5, &g), ValueError, "expected probability p in [0, 1], got 1.5");
}

}  // namespace
}  // namespace ember
