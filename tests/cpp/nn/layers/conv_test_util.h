#pragma once
/// Test helpers shared by the convolution layer tests (Conv1d, Conv2d, ConvTranspose2d): each runs the
/// same fixture, finite-difference and oneDNN-vs-reference comparisons on its own cases.

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/fixture.h"
#include "common/gradient_check.h"
#include "ember/tensor/kernels/backend.h"
#include "ember/tensor/ops.h"

namespace ember::nn::conv_test {

/// A layer's options and an input shape.
template <class Layer>
using Cases = std::vector<std::pair<typename Layer::Options, Shape>>;

/// `Layer` built from `options` and converted to `dtype`.
template <class Layer>
std::shared_ptr<Layer> make_layer(const typename Layer::Options& options, DType dtype = DType::Float32) {
  auto m = std::make_shared<Layer>(options);
  m->to(dtype);
  return m;
}

/// For each named case of the PyTorch fixture `fixture` (keys <case>.options/weight/bias/input/
/// grad_output/output/grad_input/grad_weight/grad_bias), checks output, grad_input and parameter
/// gradients in float64 (reference kernel) and float32 (oneDNN when built in). `options_from` decodes
/// the <case>.options tensor written by tools/fixtures/gen_conv.py.
template <class Layer>
void expect_fixture_cases_match(const std::string& fixture, std::initializer_list<const char*> names,
                                typename Layer::Options (*options_from)(const Tensor&)) {
  const auto f = test::load_fixture(fixture);
  for (const char* name : names) {
    for (DType dtype : {DType::Float64, DType::Float32}) {
      const std::string c = name;
      SCOPED_TRACE(c + (dtype == DType::Float64 ? " float64" : " float32"));
      const double tol = dtype == DType::Float64 ? 1e-12 : 1e-4;
      auto m = make_layer<Layer>(options_from(f.get(c + ".options")), dtype);
      m->weight().copy_(f.get(c + ".weight"));
      if (m->options().bias) m->bias().copy_(f.get(c + ".bias"));
      const Tensor x = f.get(c + ".input").to(dtype), gy = f.get(c + ".grad_output").to(dtype);
      const Tensor y = m->forward(x);
      ASSERT_EQ(y.shape(), f.get(c + ".output").shape());
      EXPECT_LT(max_abs_diff(y.to(DType::Float64), f.get(c + ".output")), tol);
      m->zero_grad_parameters();
      const Tensor gx = m->backward(x, gy);
      ASSERT_EQ(gx.shape(), x.shape());
      EXPECT_LT(max_abs_diff(gx.to(DType::Float64), f.get(c + ".grad_input")), tol);
      EXPECT_LT(max_abs_diff(m->grad_weight().to(DType::Float64), f.get(c + ".grad_weight")), tol);
      if (m->options().bias) {
        EXPECT_LT(max_abs_diff(m->grad_bias().to(DType::Float64), f.get(c + ".grad_bias")), tol);
      }
    }
  }
}

/// float64 finite-difference check of input and parameter gradients for each case; random inputs
/// from seeds 1, 2, ...
template <class Layer>
void expect_gradients_match_finite_differences(const Cases<Layer>& cases) {
  uint64_t seed = 1;
  for (const auto& [opts, shape] : cases) {
    SCOPED_TRACE(options_repr(opts));
    auto m = make_layer<Layer>(opts, DType::Float64);
    EXPECT_TRUE(test::check_module_gradients(*m, test::random_tensor(shape, seed++)));
  }
}

/// float32 forward and backward with the default backend (oneDNN when built in) against the
/// reference kernels, for each case; random inputs from seeds 10, 11, ...
template <class Layer>
void expect_onednn_matches_reference(const Cases<Layer>& cases) {
  uint64_t seed = 10;
  for (const auto& [opts, shape] : cases) {
    SCOPED_TRACE(options_repr(opts));
    auto m = make_layer<Layer>(opts);
    const Tensor x = test::random_tensor(shape, seed++, -1, 1, DType::Float32);
    const Tensor gy = test::random_tensor(m->forward(x).shape(), seed++, -1, 1, DType::Float32);
    Tensor y_ref, gx_ref, gw_ref, gb_ref;
    {
      kernels::ScopedBackend ref(kernels::Backend::Reference);
      y_ref = m->forward(x).clone();
      m->zero_grad_parameters();
      gx_ref = m->backward(x, gy).clone();
      gw_ref = m->grad_weight().clone();
      if (opts.bias) gb_ref = m->grad_bias().clone();
    }
    EXPECT_LT(max_abs_diff(m->forward(x), y_ref), 1e-4);
    m->zero_grad_parameters();
    EXPECT_LT(max_abs_diff(m->backward(x, gy), gx_ref), 1e-4);
    EXPECT_LT(max_abs_diff(m->grad_weight(), gw_ref), 1e-4);
    if (opts.bias) {
      EXPECT_LT(max_abs_diff(m->grad_bias(), gb_ref), 1e-4);
    }
  }
}

}  // namespace ember::nn::conv_test
