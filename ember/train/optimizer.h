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
/// dist::DistributedOptimizer derives from this class and runs the same loop: it overrides the
/// protected hooks (the data each rank reads, the step, the merge of validation results, the
/// checkpoint state, who writes the outputs, what to do on failure).
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
  /// Seed of the shuffling and of random transformers. Distributed training: rank r uses seed + r,
  /// so the ranks' shards are shuffled independently.
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
  /// Virtual: dist::DistributedOptimizer derives from it (and Python holds trainers by base pointer).
  virtual ~Optimizer();
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
  /// The path of the last checkpoint written ("" when none, and on processes that write none).
  const std::string& last_checkpoint() const { return last_checkpoint_; }
  /// Runs the validation methods over a data set (evaluation mode) and merges the results.
  static std::vector<optim::ValidationResult> evaluate(nn::Module& model, std::shared_ptr<const data::DataSet> data,
                                                       const std::vector<std::shared_ptr<optim::ValidationMethod>>& methods,
                                                       int64_t batch_size, data::TransformerPtr transform = nullptr);

 protected:
  // ---- Hooks: what a trainer subclass (dist::DistributedOptimizer) changes. optimize() owns the
  // loop, the triggers, the history, the log and the summaries; the hooks are called on the thread
  // that runs optimize(), in this order: effective_log_options, begin_training, training_data,
  // then begin_epoch at the start of each epoch, step once per iteration, merge_validation after
  // each validation, checkpoint_state when the checkpoint trigger fires; on_failure when anything
  // throws.

  /// What the data loader reads: a data set, the batch the loader cuts from it each iteration, and
  /// the seed of its shuffling and transformers. An epoch is ceil(data->size() / batch_size)
  /// batches (the last one partial when it does not divide).
  struct TrainingData {
    std::shared_ptr<const data::DataSet> data;
    int64_t batch_size = 1;
    uint64_t seed = 0;
    /// Samples an epoch trains over all processes, for the log (0: data->size()).
    int64_t epoch_records = 0;
    /// Samples an iteration trains over all processes, for the log and throughput (0: the batch's).
    int64_t iteration_records = 0;
  };

  /// Once, after get_parameters() and before the loader is made: restores from resume_from() when
  /// it is set (restore_checkpoint()). Distributed: checks, restore by rank 0, broadcasts.
  virtual void begin_training();
  /// Once, after begin_training(): local: the training set, batch_size, data_options().seed.
  virtual TrainingData training_data();
  /// Before the loader starts each epoch (also the epoch resumed mid-way); local: nothing.
  virtual void begin_epoch(int64_t /*epoch*/) {}
  /// One iteration on `batch` (a loader batch): forward/backward, clipping, the optim method's step
  /// on the weights. Returns the loss reported for the iteration (history, log, triggers, the
  /// Plateau schedule); adds its phase times to `times`.
  virtual double step(const data::MiniBatch& batch, PhaseTimes& times);
  /// Combines this process's validation results with the other processes' (local: nothing to do).
  virtual void merge_validation(std::vector<optim::ValidationResult>& /*results*/) {}
  /// The state a checkpoint holds besides the model (trainer_state() + local_state() here). A
  /// subclass may make it collective; only called when the checkpoint trigger fires (on every
  /// process), and only written where writes_outputs().
  virtual StateDict checkpoint_state();
  /// Whether this process writes the log, the summaries and the checkpoints (local: yes).
  virtual bool writes_outputs() const { return true; }
  /// Whether gradients() holds the whole gradient after a step (distributed: only the rank's shard
  /// is reduced), i.e. whether the "Parameters" summary also writes gradient histograms.
  virtual bool has_whole_gradients() const { return true; }
  /// The log options optimize() uses, from those given to set_log().
  virtual LogOptions effective_log_options(const LogOptions& options) const { return options; }
  /// Called with the exception's message when anything in optimize() throws, before it is rethrown
  /// (distributed: aborts the collective so the other ranks fail promptly). Must not throw.
  virtual void on_failure(const std::string& /*cause*/) noexcept {}

  // ---- Building blocks shared by the trainers.

  /// Zeroes the gradients, runs forward, the criterion, backward and regularization on `batch`;
  /// returns the loss (not checked, not clipped). Adds the forward and backward time to `times`.
  double forward_backward(const data::MiniBatch& batch, PhaseTimes& times);
  /// ValueError "training diverged" when `loss` is not finite.
  void check_loss(double loss) const;
  /// True when L2-norm clipping is set (the caller supplies the squared norm to clip_gradients).
  bool clips_by_norm() const { return clipping_ == Clipping::L2Norm; }
  /// Applies the configured clipping to `grad` (all of the gradient, or one rank's shard of it);
  /// `squared_norm` is the squared L2 norm of the whole gradient (used by L2-norm clipping only).
  void clip_gradients(Tensor& grad, double squared_norm) const;
  /// "trainer.*": epoch, iteration, data position, loss, score, batch_size, seed.
  StateDict trainer_state() const;
  /// What is particular to this process: "optim.*" (the optim method's state and "optim.type") and
  /// "rng.*" (the default generator).
  StateDict local_state() const;
  /// Reads a checkpoint (a directory or a root with `latest`) into the model; returns its state
  /// and sets `loaded` to the directory read. ValueError when the model differs.
  StateDict read_checkpoint(const std::string& path, std::string& loaded);
  /// Takes over the "trainer.*" entries and checks the optim type ("optim.type") and batch size;
  /// `loaded` names the checkpoint in messages. Logs the resume line.
  void load_trainer_state(const StateDict& state, const std::string& loaded);
  /// Takes over local_state()'s entries ("optim.*", "rng.*").
  void load_local_state(const StateDict& state);
  /// The local resume: read_checkpoint + load_trainer_state + load_local_state.
  void restore_checkpoint(const std::string& path);

  nn::Module& model() { return *model_; }
  const std::shared_ptr<const data::DataSet>& train_set() const { return train_set_; }
  optim::OptimMethod& optim_method() { return *optim_; }
  /// The model's flat weights and gradients (valid from begin_training() on).
  Tensor& weights() { return weights_; }
  Tensor& gradients() { return gradients_; }
  /// The batch_size given to the constructor.
  int64_t batch_size() const { return batch_size_; }
  const DataOptions& data_options() const { return data_options_; }
  /// The checkpoint set by resume_from() ("" when none).
  const std::string& resume_path() const { return resume_from_; }
  /// Log lines (valid during optimize()).
  TrainingLog& log() { return *log_; }
  /// The settings that every process of a distributed run must share: batch size, optim method,
  /// triggers, validation methods, clipping, shuffling and seed ("batch_size=128, optim=..., ...").
  std::string settings_repr() const;

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

  void train_loop();
  void validate();
  void write_train_summary(double loss, double throughput, double lr);
  void write_checkpoint();

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
  int64_t loader_batch_size_ = 0;  // the batch the loader cuts (validation's default batch size)

  optim::TrainingState state_;
  PhaseTimes total_times_;
  std::vector<IterationRecord> history_;
  std::vector<ValidationRecord> validation_history_;
  std::string last_checkpoint_;
};

}  // namespace ember::train
