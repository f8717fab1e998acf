#pragma once
/// Optimizer: trains a model on one machine (BigDL: Optimizer / LocalOptimizer).
///
///   train::Optimizer opt(model, train_set, std::make_shared<nn::ClassNLLCriterion>(), 128);
///   opt.set_optim_method(std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 0.05}))
///      .set_end_when(optim::Trigger::max_epoch(10))
///      .set_validation(optim::Trigger::every_epoch(), test_set, {optim::make_validation_method("top1")})
///      .set_checkpoint("ckpt", optim::Trigger::every_epoch());
///   opt.optimize();
///
/// Each iteration: the next batch from a prefetching DataLoader (shuffled per epoch with the seed),
/// forward, criterion, backward, regularization and gradient clipping, one step of the optim method
/// on the model's flat weights. Then the log, the summaries, and the validation and checkpoint
/// triggers. Any batch size works: the last batch of an epoch holds what is left. Training resumes
/// exactly from a checkpoint: weights, optim state, RNG, epoch, iteration and data position.
///
/// The Optimizer sits above ember/io and ember/summary (it writes checkpoints and event files), so
/// it lives in its own floor, ember/train, not in ember/optim.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/data/data_loader.h"
#include "ember/data/dataset.h"
#include "ember/nn/criterion.h"
#include "ember/nn/module.h"
#include "ember/optim/optim_method.h"
#include "ember/optim/trigger.h"
#include "ember/optim/validation.h"
#include "ember/summary/summary.h"
#include "ember/train/training_log.h"

namespace ember::train {

/// How the training data is read.
struct DataOptions {
  bool shuffle = true;
  /// Seed of the shuffling and of random transformers.
  uint64_t seed = 1;
  /// Background threads decoding and batching (0: on the training thread).
  int num_workers = 1;
  int prefetch = 4;
};

/// One entry of the training history.
struct IterationRecord {
  int64_t epoch, iteration;
  double loss, throughput, learning_rate;
};
/// One validation run.
struct ValidationRecord {
  int64_t epoch, iteration;
  std::vector<optim::ValidationResult> results;
};

class Optimizer {
 public:
  /// `batch_size` samples per iteration (any positive number).
  Optimizer(nn::ModulePtr model, std::shared_ptr<const data::DataSet> train_set, nn::CriterionPtr criterion,
            int64_t batch_size);
  ~Optimizer();
  Optimizer(Optimizer&&) noexcept;
  Optimizer& operator=(Optimizer&&) noexcept;

  /// The update rule (default: SGD with learning rate 0.01).
  Optimizer& set_optim_method(std::shared_ptr<optim::OptimMethod> method);
  /// When to stop (default: max_epoch(10)).
  Optimizer& set_end_when(optim::Trigger trigger);
  /// Validate on `val_set` with `methods` when `trigger` fires (batch_size 0: the training batch size).
  Optimizer& set_validation(optim::Trigger trigger, std::shared_ptr<const data::DataSet> val_set,
                            std::vector<std::shared_ptr<optim::ValidationMethod>> methods, int64_t batch_size = 0);
  /// Write a checkpoint into `dir` when `trigger` fires, keeping the last `keep_last`.
  Optimizer& set_checkpoint(std::string dir, optim::Trigger trigger, int keep_last = 3);
  /// TensorBoard scalars: Loss, Throughput, LearningRate (and parameter histograms if asked).
  Optimizer& set_train_summary(std::shared_ptr<summary::TrainSummary> summary);
  /// TensorBoard scalars: one per validation method.
  Optimizer& set_validation_summary(std::shared_ptr<summary::ValidationSummary> summary);
  /// Clamp every gradient element into [min, max] before the update.
  Optimizer& set_constant_gradient_clipping(double min, double max);
  /// Scale the whole gradient down when its L2 norm exceeds max_norm.
  Optimizer& set_gradient_clipping_by_l2_norm(double max_norm);
  Optimizer& disable_gradient_clipping();
  /// Per-sample transformers for training and validation data (e.g. augmentation).
  Optimizer& set_train_transform(data::TransformerPtr transform);
  Optimizer& set_validation_transform(data::TransformerPtr transform);
  Optimizer& set_data_options(DataOptions options);
  Optimizer& set_log(LogOptions options);
  /// Continue from a checkpoint (a checkpoint directory, or a checkpoint root with a `latest`
  /// pointer) when optimize() starts. The model must have the same structure.
  Optimizer& resume_from(std::string checkpoint);

  /// Trains until the end trigger fires; returns the model (trained in place).
  nn::ModulePtr optimize();

  /// Where training stands: epoch, iteration, last loss, last validation score.
  const optim::TrainingState& state() const { return state_; }
  /// Cumulative time per phase of the training step.
  const PhaseTimes& timing() const { return total_times_; }
  /// Loss, throughput and learning rate of every iteration.
  const std::vector<IterationRecord>& history() const { return history_; }
  const std::vector<ValidationRecord>& validation_history() const { return validation_history_; }
  /// The path of the last checkpoint written ("" when none).
  const std::string& last_checkpoint() const { return last_checkpoint_; }
  /// Runs the validation methods over a data set (evaluation mode) and merges the results.
  static std::vector<optim::ValidationResult> evaluate(nn::Module& model, std::shared_ptr<const data::DataSet> data,
                                                       const std::vector<std::shared_ptr<optim::ValidationMethod>>& methods,
                                                       int64_t batch_size, data::TransformerPtr transform = nullptr);

 private:
  enum class Clipping { None, Constant, L2Norm };
  struct Validation {
    optim::Trigger trigger;
    std::shared_ptr<const data::DataSet> data;
    std::vector<std::shared_ptr<optim::ValidationMethod>> methods;
    int64_t batch_size;
  };
  struct Checkpointing {
    std::string dir;
    optim::Trigger trigger;
    int keep_last;
  };

  double forward_backward(const data::MiniBatch& batch, PhaseTimes& times);
  void validate();
  void write_train_summary(double loss, double throughput, double lr);
  void write_checkpoint();
  void restore(const std::string& path);
  StateDict trainer_state() const;

  nn::ModulePtr model_;
  std::shared_ptr<const data::DataSet> train_set_;
  nn::CriterionPtr criterion_;
  int64_t batch_size_;
  std::shared_ptr<optim::OptimMethod> optim_;
  std::optional<optim::Trigger> end_when_;
  std::optional<Validation> validation_;
  std::optional<Checkpointing> checkpoint_;
  std::shared_ptr<summary::TrainSummary> train_summary_;
  std::shared_ptr<summary::ValidationSummary> validation_summary_;
  std::optional<optim::Trigger> summary_triggers_[4];  // Loss, Throughput, LearningRate, Parameters
  Clipping clipping_ = Clipping::None;
  double clip_min_ = 0, clip_max_ = 0, clip_norm_ = 0;
  data::TransformerPtr train_transform_, validation_transform_;
  DataOptions data_options_;
  LogOptions log_options_;
  std::string resume_from_;

  std::unique_ptr<data::DataLoader> loader_;
  std::unique_ptr<TrainingLog> log_;
  Tensor weights_, gradients_;
  int64_t batch_in_epoch_ = 0, records_in_epoch_ = 0;

  optim::TrainingState state_;
  PhaseTimes total_times_;
  std::vector<IterationRecord> history_;
  std::vector<ValidationRecord> validation_history_;
  std::string last_checkpoint_;
};

}  // namespace ember::train
