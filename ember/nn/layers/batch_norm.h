#pragma once
/// Batch normalization layers. BatchNorm1d and BatchNorm2d differ only in the input ranks they
/// accept, so they share one implementation (`BatchNormBase`) in this file pair.
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `BatchNorm1d` and `BatchNorm2d`. Field names are the Python keyword arguments.
///
/// Example:
///   BatchNormOptions{.num_features = 64, .momentum = 0.01}
struct BatchNormOptions {
  int64_t num_features = 0;
  double eps = 1e-5;
  /// Weight of the new batch statistic in the running averages (PyTorch's convention; BigDL's
  /// momentum means the same).
  double momentum = 0.1;
  bool affine = true;
  bool track_running_stats = true;
  template <class V>
  void visit(V&& v) {
    v("num_features", num_features);
    v("eps", eps);
    v("momentum", momentum);
    v("affine", affine);
    v("track_running_stats", track_running_stats);
  }
};

/// Shared implementation of batch normalization over channel dim 1:
/// y = (x - mean) / sqrt(var + eps) * weight + bias, per channel. In training mode (or without
/// running statistics) mean/var are the biased batch statistics and the running buffers are updated
/// as running = (1 - momentum) * running + momentum * batch (the variance unbiased, as PyTorch);
/// evaluate() uses the running buffers. Parameters "weight" (init 1) and "bias" (init 0), [C], when
/// affine; buffers "running_mean" (0) and "running_var" (1), [C], when track_running_stats.
class BatchNormBase : public TensorModule {
 public:
  using Options = BatchNormOptions;

  const Tensor& update_output(const Tensor& input) override;
  const Tensor& update_grad_input(const Tensor& input, const Tensor& grad_output) override;
  void acc_grad_parameters(const Tensor& input, const Tensor& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const BatchNormOptions& options() const { return options_; }

  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }
  Tensor& grad_weight() { return grad_weight_; }
  Tensor& grad_bias() { return grad_bias_; }
  Tensor& running_mean() { return running_mean_; }
  Tensor& running_var() { return running_var_; }

 protected:
  BatchNormBase(BatchNormOptions options, std::string_view type, bool spatial);
  void reset_parameters() override;

 private:
  /// Checks the input and returns it as a contiguous [N, C, S] view.
  Tensor check_input(const Tensor& input) const;
  /// Checks that a forward ran on an input of this shape (backward reuses its statistics).
  void check_forward_shape(const Tensor& input) const;
  bool use_batch_stats() const { return is_training() || !options_.track_running_stats; }

  BatchNormOptions options_;
  bool spatial_;  // BatchNorm2d: 4-d input; BatchNorm1d: 2-d or 3-d
  Tensor weight_, grad_weight_, bias_, grad_bias_;  // [C]; undefined when !affine
  Tensor running_mean_, running_var_;              // [C]; undefined when !track_running_stats
  Tensor save_mean_, save_var_;                    // batch statistics of the last training forward
  bool saved_batch_stats_ = false;                 // which statistics the last forward used
  // Per-channel sum(gy) and sum(gy * xhat) ([2, C] float64) from update_grad_input, reused by the
  // acc_grad_parameters that Module::backward calls right after it with the same tensors.
  Tensor grad_sums_;
  const void* sums_for_ = nullptr;
  Shape forward_shape_;                            // input shape of the last forward (empty before one)
};

/// Batch normalization of [N, C] or [N, C, L] inputs (statistics over N, or N and L).
/// BigDL: BatchNormalization.
///
/// Example:
///   auto bn = std::make_shared<BatchNorm1d>(BatchNormOptions{.num_features = 100});
class BatchNorm1d final : public BatchNormBase {
 public:
  static constexpr std::string_view kTypeName = "nn.BatchNorm1d";
  explicit BatchNorm1d(BatchNormOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
};

/// Batch normalization of [N, C, H, W] inputs (statistics over N, H and W).
/// BigDL: SpatialBatchNormalization.
///
/// Example:
///   auto bn = std::make_shared<BatchNorm2d>(BatchNormOptions{.num_features = 64});
class BatchNorm2d final : public BatchNormBase {
 public:
  static constexpr std::string_view kTypeName = "nn.BatchNorm2d";
  explicit BatchNorm2d(BatchNormOptions options = {});
  std::string_view type_name() const override { return kTypeName; }
};

}  // namespace ember::nn
