#pragma once
/// Finite-difference gradient checks for modules and criteria (float64).
///
/// The module's loss is L = sum(output * R) for a fixed random R of the output's shape, so the
/// check covers every output element. Central differences with step `eps` are compared against
/// update_grad_input / acc_grad_parameters: |analytic - numeric| <= atol + rtol * |numeric|.

#include <gtest/gtest.h>

#include "ember/nn/criterion.h"
#include "ember/nn/module.h"

namespace ember::test {

struct GradCheckOptions {
  double eps = 1e-6;
  double atol = 1e-6;
  double rtol = 1e-5;
  bool check_input = true;
  bool check_parameters = true;
  uint64_t seed = 1234;
};

/// Checks d(sum(output * R))/d(input) and d/d(parameters). Input tensors (all tensors of a Table)
/// and the module's parameters must be float64. Returns a gtest assertion result naming the first
/// mismatching element.
::testing::AssertionResult check_module_gradients(nn::Module& module, const nn::Activity& input,
                                                  const GradCheckOptions& opts = {});

/// Checks d(loss)/d(input) of a criterion for float64 input.
::testing::AssertionResult check_criterion_gradients(nn::Criterion& criterion, const nn::Activity& input,
                                                     const nn::Activity& target, const GradCheckOptions& opts = {});

/// Random float64 tensor, uniform in [lo, hi), from a fixed seed.
Tensor random_tensor(const Shape& shape, uint64_t seed, double lo = -1.0, double hi = 1.0,
                     DType dtype = DType::Float64);

/// Every tensor inside an activity, depth first (pointers into the activity).
std::vector<Tensor*> tensors_of(nn::Activity& a);

}  // namespace ember::test

/// Asserts that `statement` throws `type` whose what() contains `substring`.
#define EXPECT_THROW_WITH(statement, type, substring)                                                   \
  do {                                                                                                  \
    try {                                                                                               \
      statement;                                                                                        \
      ADD_FAILURE() << "expected " #type " containing \"" << (substring) << "\", nothing was thrown";    \
    } catch (const type& e_) {                                                                          \
      EXPECT_NE(std::string(e_.what()).find(substring), std::string::npos)                              \
          << "message was: " << e_.what() << "\nexpected to contain: " << (substring);                  \
    }                                                                                                   \
  } while (0)
