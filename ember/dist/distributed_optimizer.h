#pragma once
/// DistributedOptimizer: synchronous data-parallel training over a Collective, with the local
/// Optimizer's API (BigDL: DistriOptimizer). Every rank runs the same program with its own shard of
/// the data; rank 0 writes the log, the summaries and the checkpoints.
///
///   auto collective = std::make_shared<dist::Collective>(std::move(listener), options);
///   dist::DistributedOptimizer opt(collective, model, my_shard, criterion, /*global batch*/ 128);
///   opt.set_optim_method(adam).set_end_when(optim::Trigger::max_epoch(5))
///      .set_validation(optim::Trigger::every_epoch(), my_val_shard, {top1});
///   opt.optimize();                     // every rank returns the same trained weights
///
/// One iteration:
///   1. data: this rank's share of the global batch (the batch split as evenly as possible over the
///      ranks: rank r gets B / R samples, plus one when r < B % R) from its shard;
///   2. compute: forward/backward (and regularization) on it;
///   3. reduce-scatter: the flat gradient, scaled by (local samples / global batch), summed over ranks,
///      so each rank holds the sample-averaged gradient of its shard of the flat parameters
///      (optionally sent as bfloat16 with float32 accumulation);
///   4. update: gradient clipping (the L2 norm is all-reduced) and the optim method on this rank's
///      shard of the weights; the optim state (momentum, Adam moments) exists only for that shard;
///   5. all-gather: every rank's updated shard goes to every rank.
/// Every rank runs the same number of iterations per epoch, ceil(total samples / B): a rank whose
/// shard runs out starts it again (reshuffled), so unequal shards work with any B. A shard must not
/// be empty. Rank 0's initial weights are broadcast before the first iteration.
///
/// Implementation notes (details in docs/design.md, "train: one loop, two trainers"): the loop is
/// train::Optimizer's, this class overrides its protected hooks. Epoch e of rank r reads
/// iterations * b_r samples of its shard, walking round it from where epoch e - 1 stopped, shuffled
/// with DataOptions::seed + r. The criterion must average over the batch (the default) for the
/// gradient to be the mean over the global batch. The optim method must evaluate the model once
/// per step (LBFGS is refused). Every rank must be configured alike (batch, optim method, triggers,
/// validation methods, clipping, data options): checked before the first iteration. The log shows
/// the data / compute / reduce-scatter / update / all-gather split; rank 0 alone logs unless
/// LogOptions::all_ranks.
///
/// Validation runs on every rank's validation shard; the (total, count) results are all-reduced.
/// Checkpoints hold the full weights, the trainer state and every rank's optim shard, written by
/// rank 0 (the directory must be reachable from rank 0); resume_from() is read by rank 0 and
/// broadcast/scattered, and needs the same world size. State keys: "trainer.*", "optim.type",
/// "dist.world_size", and per rank k "optim.rank<k>.*" (its optim shard) and "rng.rank<k>.*".
///
/// An exception on any rank (in the model, the data, the optim method) aborts the collective, so
/// every rank throws within the collective's timeout, naming the rank and cause.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/dist/collective.h"
#include "ember/train/optimizer.h"

namespace ember::dist {

class DistributedOptimizer : public train::Optimizer {
 public:
  /// `local_shard`: this rank's part of the training data (not empty). `global_batch_size`: samples
  /// per iteration over all ranks (any value >= world_size).
  DistributedOptimizer(std::shared_ptr<Collective> collective, nn::ModulePtr model,
                       std::shared_ptr<const data::DataSet> local_shard, nn::CriterionPtr criterion,
                       int64_t global_batch_size);
  ~DistributedOptimizer() override;

  /// Send gradients as bfloat16 in the reduce-scatter (weights always travel in full precision).
  DistributedOptimizer& set_gradient_compression(bool bfloat16);

  const Collective& collective() const;

 protected:
  // The train::Optimizer hooks (see optimizer.h); the loop itself is train::Optimizer's.
  void begin_training() override;
  TrainingData training_data() override;
  void begin_epoch(int64_t epoch) override;
  double step(const data::MiniBatch& batch, train::PhaseTimes& times) override;
  void merge_validation(std::vector<optim::ValidationResult>& results) override;
  StateDict checkpoint_state() override;
  bool writes_outputs() const override;
  bool has_whole_gradients() const override { return false; }
  train::LogOptions effective_log_options(const train::LogOptions& options) const override;
  void on_failure(const std::string& cause) noexcept override;

 private:
  class EpochView;

  /// "[dist.DistributedOptimizer rank 1]".
  std::string where() const;
  void check_settings();
  void restore_from_rank0();
  void broadcast_model();

  std::shared_ptr<Collective> collective_;
  int64_t global_batch_;
  int64_t local_batch_;  // this rank's share of every global batch
  bool compression_ = false;
  int64_t iterations_per_epoch_ = 0;
  std::shared_ptr<EpochView> view_;  // null when the shard is exactly one epoch's share
  Tensor weight_shard_, gradient_shard_;  // this rank's part of the flat buffers (views)
};

}  // namespace ember::dist
