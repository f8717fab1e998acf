#pragma once
/// PyTorch fixtures: small text files written by tools/fixtures/*.py (Debian's python3-torch) and
/// committed under tests/fixtures/. Each file holds named tensors:
///
///   @ <name> <dtype> <d0,d1,...>      ("-" for a 0-d tensor)
///   <values separated by spaces, row-major, full precision>
///
/// Example:
///   Fixture f = load_fixture("nn/linear");       // tests/fixtures/nn/linear.txt
///   Tensor x = f.get("input");

#include <map>
#include <string>

#include "ember/nn/module.h"
#include "ember/tensor/tensor.h"

namespace ember::test {

struct Fixture {
  std::string path;
  std::map<std::string, Tensor> tensors;
  /// The named tensor; fails the test (throws) when absent.
  const Tensor& get(const std::string& name) const;
  bool has(const std::string& name) const { return tensors.count(name) > 0; }
};

/// Loads tests/fixtures/<name>.txt.
Fixture load_fixture(const std::string& name);

/// Runs m forward on "<prefix>_input" and backward with "<prefix>_grad_output", and expects
/// "<prefix>_output" and "<prefix>_grad_input" within `tol` (gtest failures name the case).
void expect_fixture_case(nn::TensorModule& m, const Fixture& f, const std::string& prefix, double tol = 1e-12);

}  // namespace ember::test
