#pragma once
/// Internal helpers shared by the shape and table layers: views instead of copies wherever the
/// layout allows, and copies into a module-owned buffer otherwise.

#include <vector>

#include "ember/nn/activity.h"
#include "ember/tensor/tensor.h"

namespace ember::nn::detail {


/// `src` viewed as `shape` when the layout allows it, else a contiguous copy written into `buf`.
/// `buf` must be owned by the caller and never alias user data: a module's output may be a view of
/// its input, so copying through `output_` could overwrite that input.
Tensor view_or_copy(const Tensor& src, const Shape& shape, Tensor& buf);

/// Resolves one -1 in `sizes` for `numel` elements. ShapeError (naming `what`) when the sizes do not fit.
Shape infer_shape(const std::vector<int64_t>& sizes, int64_t numel, const char* what, const Shape& input_shape);

/// `dim` wrapped into [0, ndim) (negative counts from the end); IndexError naming the option otherwise.
int64_t wrap_dim_checked(int64_t dim, int64_t ndim, const char* option, const Shape& input_shape);

/// The Table held by `a`; TypeError naming `what` ("input", "grad_output") and what it got otherwise.
const Table& as_table(const Activity& a, const char* what);
/// Entry i of a table as a defined Tensor; TypeError naming `what` and the position otherwise.
const Tensor& tensor_at(const Table& t, size_t i, const char* what);
/// The tensor held by `a`; TypeError naming `what` otherwise.
const Tensor& as_tensor(const Activity& a, const char* what);
/// `a` made a Table of n entries, keeping its vector when it already is one (no reallocation).
Table& reuse_table(Activity& a, size_t n);
/// Broadcast shape of every tensor of `ts` (NumPy rules); ShapeError naming both offending entries.
Shape broadcast_all(const Table& t, const char* what);
/// Input checks of the element-wise table layers (CAddTable, CMulTable): a non-empty Table of
/// tensors of one dtype whose shapes broadcast; returns the broadcast shape.
Shape check_elementwise_table(const Table& in);

/// out = in[0] op in[1] op ... for a table that check_elementwise_table accepts (CAddTable,
/// CMulTable); `op(out, x)` updates out in place. out is resized to the broadcast shape.
template <class Op>
void fold_elementwise_table(const Table& in, Tensor& out, Op op) {
  const Shape shape = check_elementwise_table(in);
  out.resize_(shape, in[0].tensor().dtype());
  out.copy_(in[0].tensor());
  for (size_t i = 1; i < in.size(); ++i) op(out, in[i].tensor());
}

}  // namespace ember::nn::detail
