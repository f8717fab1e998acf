#pragma once
/// Helpers shared by the criterion tests: PyTorch fixture comparison and float32/float64 agreement.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/nn/criterion.h"
#include "ember/tensor/ops.h"

namespace ember::test {

inline double rel_tol(double ref, double tol) { return tol * std::max(1.0, std::abs(ref)); }

/// Expects `crit` (built with size_average=true) and `sum_crit` (size_average=false) to reproduce the
/// fixture's loss/grad_input and loss_sum/grad_input_sum.
inline void expect_matches_fixture(nn::TensorCriterion& crit, nn::TensorCriterion& sum_crit, const Fixture& f,
                                   double tol = 1e-12) {
  const Tensor& x = f.get("input");
  const Tensor& y = f.get("target");
  const double ref = f.get("loss").item();
  EXPECT_NEAR(crit.forward(x, y), ref, rel_tol(ref, tol)) << f.path;
  EXPECT_LT(max_abs_diff(crit.backward(x, y), f.get("grad_input")), tol) << f.path;
  const double ref_sum = f.get("loss_sum").item();
  EXPECT_NEAR(sum_crit.forward(x, y), ref_sum, rel_tol(ref_sum, tol)) << f.path;
  EXPECT_LT(max_abs_diff(sum_crit.backward(x, y), f.get("grad_input_sum")), tol) << f.path;
}

/// Runs `crit` on float64 and float32 copies of (input, target) and expects the loss and gradient to
/// agree to float32 precision. The target is converted only when it is a float tensor.
inline void expect_float32_agrees(nn::TensorCriterion& crit, const Tensor& x64, const Tensor& t64, double tol = 1e-5) {
  const Tensor t32 = is_floating(t64.dtype()) ? t64.to(DType::Float32) : t64;
  const double l64 = crit.forward(x64, t64);
  const Tensor g64 = crit.backward(x64, t64).clone();
  const Tensor x32 = x64.to(DType::Float32);
  const double l32 = crit.forward(x32, t32);
  const Tensor g32 = crit.backward(x32, t32);
  EXPECT_EQ(g32.dtype(), DType::Float32);
  EXPECT_NEAR(l32, l64, rel_tol(l64, tol));
  EXPECT_LT(max_abs_diff(g32.to(DType::Float64), g64), tol);
}

/// Expects a second backward on the same shapes to reuse the grad_input buffer (no allocation).
inline void expect_reuses_grad_buffer(nn::TensorCriterion& crit, const Tensor& x, const Tensor& y) {
  crit.forward(x, y);
  const void* p = crit.backward(x, y).raw_data();
  crit.forward(x, y);
  EXPECT_EQ(crit.backward(x, y).raw_data(), p);
}

}  // namespace ember::test
