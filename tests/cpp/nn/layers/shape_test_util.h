#pragma once
// Helpers for the shape, table and embedding layer tests.

#include <gtest/gtest.h>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/module.h"
#include "ember/tensor/ops.h"

namespace ember::test {

/// The same values as x in a non-contiguous layout (every other element of a buffer twice as large).
inline Tensor noncontig(const Tensor& x) {
  if (x.dim() == 0) return x;
  Shape wide = x.shape();
  wide.push_back(2);
  Tensor big = Tensor::full(wide, 7.0, x.dtype());
  Tensor v = big.select(-1, 0);
  v.copy_(x);
  EXPECT_FALSE(v.is_contiguous() && x.numel() > 1);
  return v;
}

/// Forward/backward of `m` on (x, gy) and on non-contiguous copies of them give the same output
/// and grad_input (a TensorModule).
inline ::testing::AssertionResult same_for_noncontiguous(nn::Module& m, const Tensor& x, const Tensor& gy) {
  const Tensor y0 = m.forward(x).tensor().clone();
  const Tensor g0 = m.backward(x, gy).tensor().clone();
  const Tensor xn = noncontig(x), gn = noncontig(gy);
  const Tensor y1 = m.forward(xn).tensor().clone();
  const Tensor g1 = m.backward(xn, gn).tensor().clone();
  if (y0.shape() != y1.shape() || max_abs_diff(y0, y1) != 0)
    return ::testing::AssertionFailure() << "outputs differ: " << y0 << " vs " << y1;
  if (g0.shape() != g1.shape() || max_abs_diff(g0, g1) != 0)
    return ::testing::AssertionFailure() << "grad_inputs differ: " << g0 << " vs " << g1;
  // The non-contiguous input must be left as it was.
  if (max_abs_diff(xn, x) != 0) return ::testing::AssertionFailure() << "input was modified";
  return ::testing::AssertionSuccess();
}

/// Runs forward and backward of a single-tensor module on fixture entries "<name>.input" etc. and
/// returns the largest difference from PyTorch's output and grad_input.
inline double fixture_diff(nn::Module& m, const Fixture& f, const std::string& name) {
  const Tensor& x = f.get(name + ".input");
  EXPECT_EQ(m.forward(x).tensor().shape(), f.get(name + ".output").shape()) << name;
  EXPECT_EQ(m.backward(x, f.get(name + ".grad_output")).tensor().shape(), x.shape()) << name;
  if (m.output().tensor().shape() != f.get(name + ".output").shape()) return 1e300;
  const double dy = max_abs_diff(m.forward(x).tensor(), f.get(name + ".output"));
  const double dx = max_abs_diff(m.backward(x, f.get(name + ".grad_output")).tensor(), f.get(name + ".grad_input"));
  return std::max(dy, dx);
}

}  // namespace ember::test
