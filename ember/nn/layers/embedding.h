#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `Embedding` (PyTorch's nn.Embedding keywords).
///
/// Example:
///   EmbeddingOptions{.num_embeddings = 10000, .embedding_dim = 128, .padding_idx = 0}
struct EmbeddingOptions {
  /// Number of rows (the vocabulary size).
  int64_t num_embeddings = 0;
  /// Size of each row.
  int64_t embedding_dim = 0;
  /// A row that stays zero at init and gets no gradient; -1 = none.
  int64_t padding_idx = -1;
  /// When > 0, rows looked up in forward whose norm exceeds max_norm are rescaled to max_norm, in
  /// place (PyTorch/BigDL maxNorm); 0 = off.
  double max_norm = 0.0;
  /// The p of the p-norm used with max_norm.
  double norm_type = 2.0;
  /// Divides each row's gradient by how often its index occurs in the batch.
  bool scale_grad_by_freq = false;
  template <class V>
  void visit(V&& v) {
    v("num_embeddings", num_embeddings);
    v("embedding_dim", embedding_dim);
    v("padding_idx", padding_idx);
    v("max_norm", max_norm);
    v("norm_type", norm_type);
    v("scale_grad_by_freq", scale_grad_by_freq);
  }
};

/// A lookup table: input indices of any shape S (int64, int32, or whole-valued float32/float64)
/// -> output S + [embedding_dim], row `index` of weight [num_embeddings, embedding_dim] for each
/// index. Indices are 0-based (BigDL's LookupTable counts from 1). Weight init N(0, 1) like
/// PyTorch. Indices have no gradient: grad_input is zeros of the input's shape; the weight
/// gradient accumulates the rows of grad_output (index_add). BigDL: LookupTable.
///
/// Example:
///   auto emb = std::make_shared<Embedding>(EmbeddingOptions{.num_embeddings = 10, .embedding_dim = 3});
///   emb->forward(Tensor::from_vector(std::vector<int64_t>{1, 2, 4, 5}, {2, 2}));   // [2, 2, 3]
class Embedding final : public TensorModule {
 public:
  using Options = EmbeddingOptions;
  static constexpr std::string_view kTypeName = "nn.Embedding";

  explicit Embedding(EmbeddingOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  void acc_grad_parameters(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const EmbeddingOptions& options() const { return options_; }

  Tensor& weight() { return weight_; }
  Tensor& grad_weight() { return grad_weight_; }

 protected:
  void reset_parameters() override;

 private:
  /// Checks the input and writes its indices, flattened, into idx_ (int64).
  const Tensor& indices(const Tensor& input);
  Shape output_shape(const Tensor& input) const;
  EmbeddingOptions options_;
  Tensor weight_, grad_weight_;  // "weight": [num_embeddings, embedding_dim]
  Tensor idx_;
};

}  // namespace ember::nn
