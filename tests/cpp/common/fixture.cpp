#include "common/fixture.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ember/tensor/ops.h"

namespace ember::test {

const Tensor& Fixture::get(const std::string& name) const {
  auto it = tensors.find(name);
  if (it == tensors.end()) throw std::runtime_error("fixture " + path + " has no tensor '" + name + "'");
  return it->second;
}

Fixture load_fixture(const std::string& name) {
  Fixture f;
  f.path = std::string(EMBER_FIXTURE_DIR) + "/" + name + ".txt";
  std::ifstream in(f.path);
  if (!in) throw std::runtime_error("cannot open fixture " + f.path + " (regenerate with tools/make_fixtures.py)");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] != '@') throw std::runtime_error("fixture " + f.path + ": expected '@ name dtype shape', got " + line);
    std::istringstream hs(line.substr(1));
    std::string tname, dtype, shape_s;
    hs >> tname >> dtype >> shape_s;
    Shape shape;
    if (shape_s != "-") {
      std::istringstream ss(shape_s);
      std::string d;
      while (std::getline(ss, d, ',')) shape.push_back(std::stoll(d));
    }
    std::string values_line;
    std::getline(in, values_line);
    std::istringstream vs(values_line);
    std::vector<double> values;
    std::string tok;
    while (vs >> tok) values.push_back(std::stod(tok));
    DType dt = DType::Float64;
    if (dtype == "float32") dt = DType::Float32;
    else if (dtype == "int64") dt = DType::Int64;
    else if (dtype == "int32") dt = DType::Int32;
    else if (dtype != "float64") throw std::runtime_error("fixture " + f.path + ": unknown dtype " + dtype);
    f.tensors[tname] = Tensor::from_vector(values, shape, dt);
  }
  return f;
}

void expect_fixture_case(nn::TensorModule& m, const Fixture& f, const std::string& prefix, double tol) {
  SCOPED_TRACE("case " + prefix);
  const Tensor x = f.get(prefix + "_input");
  EXPECT_LT(max_abs_diff(m.forward(x), f.get(prefix + "_output")), tol);
  EXPECT_LT(max_abs_diff(m.backward(x, f.get(prefix + "_grad_output")), f.get(prefix + "_grad_input")), tol);
}

}  // namespace ember::test
