#pragma once
/// Helpers the containers share to copy and sum activities (Tensors or nested Tables) into buffers
/// they own, reusing those buffers from one call to the next (no allocation in the steady state).

#include <string>
#include <string_view>

#include "ember/nn/activity.h"

namespace ember::nn::detail {

/// dst = a deep copy of src. dst's tensors are resized in place (their storage reused when large
/// enough); a Table in dst keeps its element buffers. dst must not be a view of another module's buffer.
void copy_activity(Activity& dst, const Activity& src);

/// Why two activities could not be summed: nothing (kOk), a shape, or a dtype/structure mismatch.
struct SumMismatch {
  enum Kind { kOk, kShape, kType } kind = kOk;
  std::string detail;  // "expected shape [2, 3], got [2, 4]"
  explicit operator bool() const { return kind != kOk; }
};

/// dst += src, element-wise and recursively through Tables. On a mismatch in structure, shape or
/// dtype it stops and says why (dst is then partly summed); the caller raises with its context.
SumMismatch add_activity(Activity& dst, const Activity& src);

/// ShapeError unless a Tensor grad_input of child `key` has the Tensor input's shape (other
/// combinations are left to add_activity): "grad_input of child '1' has shape [1]: expected ...".
void check_child_grad_input(const Activity& grad, const Activity& input, std::string_view key);

/// Throws ShapeError or TypeError: "<what> cannot be summed with the others: <detail>".
[[noreturn]] void throw_sum_mismatch(const SumMismatch& m, const std::string& what);

}  // namespace ember::nn::detail
