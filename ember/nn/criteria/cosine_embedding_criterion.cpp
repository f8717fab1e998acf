#include "ember/nn/criteria/cosine_embedding_criterion.h"

#include "ember/nn/criteria/loss_utils.h"
#include "ember/nn/module.h"

namespace ember::nn {

namespace {
constexpr double kEps = 1e-12;  // PyTorch's guard added to each squared norm

// Per-row dot product and squared norms (+ eps) of two [N, D] contiguous arrays.
struct RowStats {
  double dot, m1, m2, denom, cos;
};
template <class T>
RowStats row_stats(const T* a, const T* b, int64_t d) {
  RowStats s{0, kEps, kEps, 0, 0};
  for (int64_t j = 0; j < d; ++j) {
    const double x = a[j], y = b[j];
    s.dot += x * y;
    s.m1 += x * x;
    s.m2 += y * y;
  }
  s.denom = std::sqrt(s.m1 * s.m2);
  s.cos = s.dot / s.denom;
  return s;
}
}  // namespace

CosineEmbeddingCriterion::CosineEmbeddingCriterion(CosineEmbeddingCriterionOptions options) : options_(options) {
  EMBER_CHECK(options_.margin >= -1 && options_.margin <= 1,
              "[nn.CosineEmbeddingCriterion] margin must be in [-1, 1] (a cosine), got ", options_.margin);
}

void CosineEmbeddingCriterion::check(const Activity& input, const Activity& target) {
  EMBER_CHECK_TYPE(input.is_table(), "input must be a Table{x1, x2}: expected a Table of 2 tensors, got ",
                   input.describe());
  const Table& t = input.table();
  EMBER_CHECK_SHAPE(t.size() == 2, "input table size mismatch: expected 2 tensors {x1, x2}, got ", input.describe());
  EMBER_CHECK_TYPE(t[0].is_tensor() && t[1].is_tensor(), "input must hold two tensors {x1, x2}, got ",
                   input.describe());
  const Tensor& x1 = t[0].tensor();
  const Tensor& x2 = t[1].tensor();
  detail::check_float_input(x1, "x1");
  detail::check_float_input(x2, "x2");
  check_input_dims(x1, {1, 2}, "x1");
  EMBER_CHECK_SHAPE(x1.shape() == x2.shape(), "x1 and x2 shape mismatch: expected the same shape, got x1 ",
                    x1.shape(), " and x2 ", x2.shape());
  EMBER_CHECK_TYPE(x1.dtype() == x2.dtype(), "x1 and x2 dtype mismatch: expected the same dtype, got x1 ", x1.dtype(),
                   " and x2 ", x2.dtype());
  EMBER_CHECK_TYPE(target.is_tensor(), "target must be a Tensor of 1 and -1, got ", target.describe());
  const Tensor& y = target.tensor();
  EMBER_CHECK(y.defined(), "target is undefined");
  const int64_t n = x1.dim() == 1 ? 1 : x1.size(0);
  EMBER_CHECK_SHAPE(y.numel() == n && y.dim() <= 1, "target shape mismatch: expected ", n,
                    " labels (shape [", n, "]) for inputs of shape ", x1.shape(), ", got target of shape ", y.shape());
  detail::read_values(y, labels_);
  for (size_t i = 0; i < labels_.size(); ++i) detail::check_plus_minus_one(labels_[i], static_cast<int64_t>(i));
}

double CosineEmbeddingCriterion::update_output(const Activity& input, const Activity& target) {
  check(input, target);
  const Tensor& t0 = input.table()[0].tensor();
  const Tensor x1 = (t0.dim() == 1 ? t0.unsqueeze(0) : t0).contiguous();
  const Tensor& t1 = input.table()[1].tensor();
  const Tensor x2 = (t1.dim() == 1 ? t1.unsqueeze(0) : t1).contiguous();
  const int64_t n = x1.size(0), d = x1.size(1);
  double loss = 0;
  dispatch_floating(x1.dtype(), "nn.CosineEmbeddingCriterion", [&]<class T>() {
    const T* a = x1.data<T>();
    const T* b = x2.data<T>();
    for (int64_t i = 0; i < n; ++i) {
      const double c = row_stats(a + i * d, b + i * d, d).cos;
      loss += labels_[i] > 0 ? 1.0 - c : std::max(0.0, c - options_.margin);
    }
  });
  output_ = loss * detail::average_scale(options_.size_average, n);
  return output_;
}

const Activity& CosineEmbeddingCriterion::update_grad_input(const Activity& input, const Activity& target) {
  check(input, target);
  const Tensor& t0 = input.table()[0].tensor();
  const Tensor x1 = (t0.dim() == 1 ? t0.unsqueeze(0) : t0).contiguous();
  const Tensor& t1 = input.table()[1].tensor();
  const Tensor x2 = (t1.dim() == 1 ? t1.unsqueeze(0) : t1).contiguous();
  const int64_t n = x1.size(0), d = x1.size(1);
  const double scale = detail::average_scale(options_.size_average, n);
  if (!grad_input_.is_table() || grad_input_.table().size() != 2) grad_input_ = Activity(Table{Tensor(), Tensor()});
  Tensor& g1 = grad_input_.table()[0].tensor();
  Tensor& g2 = grad_input_.table()[1].tensor();
  g1.resize_(t0.shape(), t0.dtype());
  g2.resize_(t1.shape(), t1.dtype());
  dispatch_floating(x1.dtype(), "nn.CosineEmbeddingCriterion", [&]<class T>() {
    const T* a = x1.data<T>();
    const T* b = x2.data<T>();
    T* ga = g1.data<T>();
    T* gb = g2.data<T>();
    for (int64_t i = 0; i < n; ++i) {
      const RowStats s = row_stats(a + i * d, b + i * d, d);
      // d loss / d cos: -1 for similar pairs, +1 for dissimilar pairs inside the margin, else 0.
      const double k = (labels_[i] > 0 ? -1.0 : (s.cos > options_.margin ? 1.0 : 0.0)) * scale;
      for (int64_t j = 0; j < d; ++j) {
        const double x = a[i * d + j], y = b[i * d + j];
        ga[i * d + j] = static_cast<T>(k * (y / s.denom - s.cos * x / s.m1));
        gb[i * d + j] = static_cast<T>(k * (x / s.denom - s.cos * y / s.m2));
      }
    }
  });
  return grad_input_;
}

}  // namespace ember::nn
