// Direct calls of the oneDNN and reference entry points of the eltwise, softmax and broadcast-sum
// kernels, so that the comparison cannot silently run the reference twice.
#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/kernels/broadcast_reduce.h"
#include "ember/tensor/kernels/eltwise.h"
#include "ember/tensor/kernels/softmax.h"
#include "ember/tensor/ops.h"

namespace ember::kernels {
namespace {

using test::random_tensor;

TEST(ActKernelsTest, OneDnnIsUsedForFloat32) {
#ifdef EMBER_USE_ONEDNN
  EXPECT_TRUE(use_onednn(DType::Float32));
#endif
  EXPECT_FALSE(use_onednn(DType::Float64));
}

TEST(ActKernelsTest, EltwiseOneDnnMatchesReference) {
  const std::vector<EltwiseParams> algs = {
      {Eltwise::ReLU},         {Eltwise::LeakyReLU, 0.1}, {Eltwise::LeakyReLU, -0.3}, {Eltwise::ELU, 1.0},
      {Eltwise::ELU, 0.0},     {Eltwise::Tanh},           {Eltwise::Sigmoid},         {Eltwise::HardTanh, -1, 1},
      {Eltwise::HardTanh, 0, 6}, {Eltwise::SoftPlus, 20, 1}};
  const Tensor x = random_tensor({3, 37}, 1, -8, 8, DType::Float32);
  const Tensor gy = random_tensor({3, 37}, 2, -1, 1, DType::Float32);
  for (const auto& p : algs) {
    ASSERT_TRUE(onednn::eltwise_supported(p)) << static_cast<int>(p.alg);
    Tensor y0 = Tensor::empty(x.shape()), y1 = Tensor::empty(x.shape());
    Tensor g0 = Tensor::empty(x.shape()), g1 = Tensor::empty(x.shape());
    reference::eltwise_forward(p, x, y0);
    onednn::eltwise_forward(p, x, y1);
    EXPECT_LT(max_abs_diff(y0, y1), 1e-5) << static_cast<int>(p.alg) << " alpha " << p.alpha;
    reference::eltwise_backward(p, x, y0, gy, g0);
    onednn::eltwise_backward(p, x, y1, gy, g1);
    EXPECT_LT(max_abs_diff(g0, g1), 1e-5) << static_cast<int>(p.alg) << " alpha " << p.alpha;
    EXPECT_GT(norm(g0), 0.0);
  }
}

TEST(ActKernelsTest, SoftmaxOneDnnMatchesReference) {
  const Tensor x = random_tensor({4, 9, 5}, 3, -5, 5, DType::Float32);
  const Tensor gy = random_tensor({4, 9, 5}, 4, -1, 1, DType::Float32);
  for (bool log : {false, true}) {
    for (int64_t dim : {0, 1, 2}) {
      Tensor y0 = Tensor::empty(x.shape()), y1 = Tensor::empty(x.shape());
      Tensor g0 = Tensor::empty(x.shape()), g1 = Tensor::empty(x.shape());
      reference::softmax_forward(x, dim, log, y0);
      onednn::softmax_forward(x, dim, log, y1);
      EXPECT_LT(max_abs_diff(y0, y1), 1e-5) << "log " << log << " dim " << dim;
      reference::softmax_backward(y0, gy, dim, log, g0);
      onednn::softmax_backward(y1, gy, dim, log, g1);
      EXPECT_LT(max_abs_diff(g0, g1), 1e-5) << "log " << log << " dim " << dim;
    }
  }
}

TEST(ActKernelsTest, BroadcastSumReducesBroadcastDims) {
  const Tensor a = Tensor::arange(24).view({2, 3, 4});
  Tensor dst = Tensor::ones({3, 1});
  accumulate_broadcast_sum(a, Tensor(), dst);
  // dst[c] = 1 + sum over n and w of a[n, c, w].
  const Tensor expected = add(sum(sum(a, 0), 1, true), 1.0);
  EXPECT_EQ(max_abs_diff(dst, expected), 0.0);
  Tensor prod = Tensor::zeros({4});
  accumulate_broadcast_sum(a, a, prod);
  EXPECT_EQ(max_abs_diff(prod, sum(sum(mul(a, a), 0), 0)), 0.0);
  EXPECT_TRUE(broadcasts_to({3, 1}, {2, 3, 4}));
  EXPECT_FALSE(broadcasts_to({2, 1}, {2, 3, 4}));
  EXPECT_FALSE(broadcasts_to({1, 1, 1, 1}, {2, 3, 4}));
  EXPECT_EQ(align_right({3, 1}, 4), Shape({1, 1, 3, 1}));
}

}  // namespace
}  // namespace ember::kernels
