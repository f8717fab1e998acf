#pragma once
/// Input checks shared by the element-wise, softmax, dropout and arithmetic layers. Messages follow
/// the house format; the module adds its `[nn.Xxx 'path']` prefix.

#include "ember/tensor/tensor.h"

namespace ember::nn::detail {

/// ValueError if undefined, TypeError unless float32/float64.
void check_floating_input(const Tensor& input);
/// ShapeError unless grad_output has the shape of `like` (the layer's input, or its output when
/// `like_name` says so); TypeError unless the dtypes match.
void check_grad_output(const Tensor& like, const Tensor& grad_output, const char* like_name = "input");
/// ValueError unless `saved` (a forward result kept for backward, named `what`) has input's shape
/// and dtype: backward was called without a forward on this input.
void check_saved_for_backward(const Tensor& saved, const Tensor& input, const char* what);
/// TypeError unless input has the parameter's dtype.
void check_param_dtype(const Tensor& input, const Tensor& param, const char* param_name);

}  // namespace ember::nn::detail
