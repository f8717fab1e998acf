#pragma once
/// Tensor operations: element-wise with NumPy broadcasting, reductions along dims, matrix
/// products (OpenBLAS), joining, and comparison helpers. Inputs may be any strided views; outputs
/// are new contiguous tensors unless the name ends in `_` (in place) or `_out` (into a given tensor).
/// Operands must share a dtype; mixing raises TypeError (convert with Tensor::to first).

#include <utility>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// ---- element-wise, binary (broadcasting) ---------------------------------------------------------
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, double b);
Tensor sub(const Tensor& a, double b);
Tensor mul(const Tensor& a, double b);
Tensor div(const Tensor& a, double b);
/// a ** exponent, element-wise.
Tensor pow(const Tensor& a, double exponent);

/// a += alpha * b (b broadcast to a's shape).
Tensor& add_(Tensor& a, const Tensor& b, double alpha = 1.0);
Tensor& sub_(Tensor& a, const Tensor& b);
Tensor& mul_(Tensor& a, const Tensor& b);
Tensor& div_(Tensor& a, const Tensor& b);
Tensor& add_(Tensor& a, double b);
Tensor& mul_(Tensor& a, double b);

// ---- element-wise, unary -------------------------------------------------------------------------
Tensor neg(const Tensor& a);
Tensor abs(const Tensor& a);
Tensor exp(const Tensor& a);
Tensor log(const Tensor& a);
Tensor sqrt(const Tensor& a);
Tensor square(const Tensor& a);
Tensor tanh(const Tensor& a);
Tensor sigmoid(const Tensor& a);
Tensor relu(const Tensor& a);
Tensor sign(const Tensor& a);
/// Values limited to [min, max].
Tensor clamp(const Tensor& a, double min, double max);

// ---- comparison (1 where true, 0 elsewhere, in a's dtype) ----------------------------------------
Tensor eq(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);

// ---- reductions ----------------------------------------------------------------------------------
/// Sum of all elements (0-d tensor).
Tensor sum(const Tensor& a);
/// Sum along dim; keepdim keeps it with size 1.
Tensor sum(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor mean(const Tensor& a);
Tensor mean(const Tensor& a, int64_t dim, bool keepdim = false);
/// Largest / smallest element (0-d tensor).
Tensor max(const Tensor& a);
Tensor min(const Tensor& a);
/// {values, int64 indices} of the maxima / minima along dim (first index on ties).
std::pair<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim = false);
std::pair<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim = false);
/// int64 indices of the maxima along dim.
Tensor argmax(const Tensor& a, int64_t dim, bool keepdim = false);
/// Euclidean norm of all elements (as double).
double norm(const Tensor& a);
/// Sum of all elements as double (convenience for losses and tests).
double sum_all(const Tensor& a);

// ---- linear algebra ------------------------------------------------------------------------------
/// Matrix product: [n,k]@[k,m] -> [n,m]; [k]@[k,m], [n,k]@[k]; batched [b,n,k]@[b,k,m] -> [b,n,m].
Tensor matmul(const Tensor& a, const Tensor& b);
/// beta * c + alpha * (a @ b) for 2-d a, b; c broadcast to [n, m].
Tensor addmm(const Tensor& c, const Tensor& a, const Tensor& b, double beta = 1.0, double alpha = 1.0);
/// out = beta * out + alpha * (a @ b) in place; out is a contiguous [n, m] tensor. With beta = 0
/// out's previous contents are ignored (may be uninitialised). The GEMM used by layers.
void addmm_out(Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha);

// ---- joining, indexing ---------------------------------------------------------------------------
/// Concatenation along dim; all other sizes must match.
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim);
/// Stacks same-shaped tensors along a new dim.
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim);
/// Rows of a along dim picked by an int64/int32 index tensor (1-d).
Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index);

// ---- comparison helpers --------------------------------------------------------------------------
/// |a - b| <= atol + rtol * |b| everywhere (shapes must match).
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8);
/// Largest |a - b| (shapes must match).
double max_abs_diff(const Tensor& a, const Tensor& b);

}  // namespace ember
