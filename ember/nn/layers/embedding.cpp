#include "ember/nn/layers/embedding.h"

#include <cmath>
#include <sstream>

#include "ember/tensor/kernels/embedding.h"

namespace ember::nn {

Embedding::Embedding(EmbeddingOptions options) : options_(options) {
  EMBER_CHECK(options_.num_embeddings > 0, "[nn.Embedding] num_embeddings must be positive, got ",
              options_.num_embeddings);
  EMBER_CHECK(options_.embedding_dim > 0, "[nn.Embedding] embedding_dim must be positive, got ",
              options_.embedding_dim);
  EMBER_CHECK(options_.padding_idx >= -1 && options_.padding_idx < options_.num_embeddings,
              "[nn.Embedding] padding_idx out of range: expected -1 (none) or a value in [0, ",
              options_.num_embeddings, "), got ", options_.padding_idx);
  EMBER_CHECK(options_.max_norm >= 0, "[nn.Embedding] max_norm must be >= 0 (0 = off), got ", options_.max_norm);
  EMBER_CHECK(options_.norm_type > 0, "[nn.Embedding] norm_type must be positive, got ", options_.norm_type);
  weight_ = Tensor::empty({options_.num_embeddings, options_.embedding_dim});
  grad_weight_ = Tensor::zeros(weight_.shape());
  register_parameter("weight", &weight_, &grad_weight_);
  reset_parameters();
}

void Embedding::reset_parameters() {
  const RandomNormal standard_normal(0.0, 1.0);
  init_parameter(weight_, weight_init_, standard_normal, options_.embedding_dim, options_.num_embeddings);
  if (options_.padding_idx >= 0) weight_.select(0, options_.padding_idx).zero_();
}

namespace {
std::string position_of(int64_t flat, const Shape& shape) {
  Shape idx = shape;
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    idx[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  std::ostringstream os;
  os << idx;
  return os.str();
}
}  // namespace

const Tensor& Embedding::indices(const Tensor& input) {
  EMBER_CHECK(input.defined(), "input is undefined");
  const DType dt = input.dtype();
  EMBER_CHECK_TYPE(dt == DType::Int64 || dt == DType::Int32 || dt == DType::Float32 || dt == DType::Float64,
                   "input dtype not supported for indices: expected int64, int32, float32 or float64, got ", dt);
  const int64_t n = input.numel();
  const int64_t v = options_.num_embeddings;
  if (is_floating(dt)) {
    // Checked before converting: a float that is not a small whole number has no int64 value.
    const Tensor src = input.contiguous();
    for (int64_t i = 0; i < n; ++i) {
      const double x = dt == DType::Float32 ? src.data<float>()[i] : src.data<double>()[i];
      EMBER_CHECK(std::isfinite(x) && std::floor(x) == x, "index at position ", position_of(i, input.shape()),
                  " is not a whole number: expected an integer index, got ", x);
      EMBER_CHECK_INDEX(x >= 0 && x < static_cast<double>(v), "index out of range at position ",
                        position_of(i, input.shape()), ": expected 0 <= index < num_embeddings=", v, ", got ", x,
                        ". Hint: indices are 0-based (BigDL's LookupTable counts from 1)");
    }
  }
  idx_.resize_({n}, DType::Int64);
  idx_.view(input.shape()).copy_(input);
  const int64_t* p = idx_.data<int64_t>();
  for (int64_t i = 0; i < n; ++i)
    EMBER_CHECK_INDEX(p[i] >= 0 && p[i] < v, "index out of range at position ", position_of(i, input.shape()),
                      ": expected 0 <= index < num_embeddings=", v, ", got ", p[i],
                      ". Hint: indices are 0-based (BigDL's LookupTable counts from 1)");
  return idx_;
}

Shape Embedding::output_shape(const Tensor& input) const {
  EMBER_CHECK_SHAPE(input.dim() < Shape::kMaxDims, "input has too many dims: expected at most ", Shape::kMaxDims - 1,
                    ", got input of shape ", input.shape());
  Shape s = input.shape();
  s.push_back(options_.embedding_dim);
  return s;
}

const Tensor& Embedding::update_output(const Tensor& input) {
  const Tensor& idx = indices(input);
  const Shape shape = output_shape(input);
  if (options_.max_norm > 0) kernels::embedding_renorm(weight_, idx, options_.max_norm, options_.norm_type);
  output_.resize_(shape, weight_.dtype());
  Tensor rows = output_.view({idx.numel(), options_.embedding_dim});
  kernels::embedding_forward(weight_, idx, rows);
  return output_;
}

const Tensor& Embedding::update_grad_input(const Tensor& input, const Tensor& grad_output) {
  indices(input);
  const Shape shape = output_shape(input);
  EMBER_CHECK_SHAPE(grad_output.shape() == shape, "grad_output shape mismatch: expected ", shape, ", got ",
                    grad_output.shape());
  EMBER_CHECK_TYPE(grad_output.dtype() == weight_.dtype(), "grad_output dtype ", grad_output.dtype(),
                   " does not match weight dtype ", weight_.dtype());
  grad_input_.resize_(input.shape(), input.dtype());
  grad_input_.zero_();
  return grad_input_;
}

void Embedding::acc_grad_parameters(const Tensor& input, const Tensor& grad_output) {
  const Tensor& idx = indices(input);
  const Shape shape = output_shape(input);
  EMBER_CHECK_SHAPE(grad_output.shape() == shape, "grad_output shape mismatch: expected ", shape, ", got ",
                    grad_output.shape());
  const Tensor g = grad_output.reshape({idx.numel(), options_.embedding_dim});
  kernels::embedding_backward(idx, g, grad_weight_, options_.padding_idx, options_.scale_grad_by_freq);
}

}  // namespace ember::nn
