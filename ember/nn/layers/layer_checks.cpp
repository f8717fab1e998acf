#include "ember/nn/layers/layer_checks.h"

namespace ember::nn::detail {

void check_floating_input(const Tensor& input) {
  EMBER_CHECK(input.defined(), "input is undefined");
  EMBER_CHECK_TYPE(input.dtype() == DType::Float32 || input.dtype() == DType::Float64,
                   "unsupported input dtype: expected float32 or float64, got ", input.dtype());
}

void check_grad_output(const Tensor& like, const Tensor& grad_output, const char* like_name) {
  EMBER_CHECK(grad_output.defined(), "grad_output is undefined");
  EMBER_CHECK_SHAPE(grad_output.shape() == like.shape(), "grad_output shape mismatch: expected ", like.shape(),
                    " (the ", like_name, " shape), got ", grad_output.shape());
  EMBER_CHECK_TYPE(grad_output.dtype() == like.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match ", like_name, " dtype ", like.dtype());
}

void check_saved_for_backward(const Tensor& saved, const Tensor& input, const char* what) {
  EMBER_CHECK(saved.defined() && saved.shape() == input.shape() && saved.dtype() == input.dtype(),
              "backward needs the ", what, " of forward for this input: expected shape ", input.shape(), ", got ",
              saved.defined() ? ember::detail::str_cat(saved.shape()) : std::string("none"),
              ". Hint: call forward(input) before backward(input, grad_output)");
}

void check_param_dtype(const Tensor& input, const Tensor& param, const char* param_name) {
  EMBER_CHECK_TYPE(input.dtype() == param.dtype(), "input dtype ", input.dtype(), " does not match ", param_name,
                   " dtype ", param.dtype(), ". Hint: convert the input, or call to(", input.dtype(), ") on the model");
}

}  // namespace ember::nn::detail
