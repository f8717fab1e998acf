#pragma once
/// Internal helpers shared by the 2-d pooling layers (not part of the public API): option
/// validation and the window geometry of an input.

#include <string_view>

#include "ember/nn/module.h"
#include "ember/tensor/kernels/pooling.h"

namespace ember::nn::detail {

/// Checks kernel_size > 0, stride >= 0 and 0 <= padding <= kernel_size / 2; messages start with
/// `[<type>] `. Returns the stride with 0 replaced by kernel_size.
ExpandingArray<2> check_pool_options(std::string_view type, const ExpandingArray<2>& kernel_size,
                                     const ExpandingArray<2>& stride, const ExpandingArray<2>& padding);

/// Checks a [C, H, W] or [N, C, H, W] floating input and returns its 4-d view (made contiguous).
Tensor pool_input_4d(const Tensor& input);

/// The geometry for a 4-d input; ShapeError when the output would be empty.
kernels::Pool2dParams pool_params(const Tensor& x4, const ExpandingArray<2>& kernel_size,
                                  const ExpandingArray<2>& stride, const ExpandingArray<2>& padding, bool ceil_mode,
                                  bool count_include_pad);


}  // namespace ember::nn::detail
