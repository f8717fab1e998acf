#pragma once
/// DataLoader: batches of a DataSet, shuffled per epoch with a seed, transformed and collated on
/// background threads so that training never waits for decoding.
///
/// Determinism: the order of epoch e is a Fisher-Yates permutation drawn from (seed, e) (identity
/// when !shuffle), and the transformer of dataset sample i in epoch e gets a Generator seeded from
/// (seed, e, i), so batches are identical for any num_workers and resume exactly from state_dict().
/// Workers run their per-batch work serially (SerialScope) and hand batches out strictly in order.
///
///   DataLoader loader(dataset, {.batch_size = 128, .shuffle = true, .seed = 42});
///   loader.start_epoch(1);
///   MiniBatch b;
///   while (loader.next(b)) { ... }

#include <cstdint>
#include <memory>

#include "ember/data/dataset.h"
#include "ember/data/transformer.h"
#include "ember/tensor/state_dict.h"

namespace ember::data {

/// Options of DataLoader (the names of PyTorch's DataLoader keyword arguments where they exist).
struct DataLoaderOptions {
  /// Samples per batch; the last batch of an epoch holds the rest unless drop_last.
  int64_t batch_size = 32;
  /// A new permutation every epoch (false: dataset order).
  bool shuffle = true;
  /// Seed of the per-epoch permutation and of the per-sample transformer generators.
  uint64_t seed = 0;
  /// Drop the last batch of an epoch when it holds fewer than batch_size samples.
  bool drop_last = false;
  /// Background threads that load, transform and collate (0: everything on the caller's thread).
  int num_workers = 2;
  /// Batches prepared ahead of the consumer.
  int prefetch = 4;
  /// Per-sample transformer (nullptr: none).
  TransformerPtr transform = nullptr;
};

/// Batches of a DataSet (BigDL: DataSet.data(train) with SampleToMiniBatch). An ArrayDataSet without
/// transformer is gathered row by row into reused buffers, with no per-sample Sample objects.
/// One consumer thread calls start_epoch/next/state_dict; the loader is not shared between threads.
class DataLoader {
 public:
  /// ValueError for batch_size < 1, num_workers < 0, prefetch < 1 or a null dataset.
  DataLoader(std::shared_ptr<const DataSet> dataset, DataLoaderOptions options);
  /// Stops and joins the workers (waits at most for the batches they are preparing).
  ~DataLoader();
  DataLoader(const DataLoader&) = delete;
  DataLoader& operator=(const DataLoader&) = delete;
  /// Movable (the workers keep running; a moved-from loader may only be destroyed or assigned).
  DataLoader(DataLoader&&) noexcept;
  DataLoader& operator=(DataLoader&&) noexcept;

  /// Batches per epoch.
  int64_t num_batches() const;
  int64_t dataset_size() const;
  /// Starts epoch `epoch` (1-based) at batch `first_batch` in [0, num_batches()] (to resume
  /// mid-epoch), stopping the workers of the previous epoch first. The order of an epoch depends
  /// only on (seed, epoch).
  void start_epoch(int64_t epoch, int64_t first_batch = 0);
  /// The next batch of the current epoch; false when the epoch is done (and until the next
  /// start_epoch). Starts epoch 1 when no epoch was started. The batch's tensors are loader buffers,
  /// valid until the next call to next() or start_epoch(): clone what must live longer. Errors raised
  /// while loading (a corrupt image, ...) are rethrown here, same type, with "epoch E, batch B,
  /// sample S (dataset index I)" in front of the message; calling next() again reports it again.
  bool next(MiniBatch& batch);
  /// {"epoch", "batch" (the next batch to hand out), "seed", "batch_size", "dataset_size"}: where a
  /// checkpoint resumes. Before the first epoch, epoch is 0.
  StateDict state_dict() const;
  /// Resumes at the saved (epoch, batch) with the saved seed; ValueError when batch_size or the
  /// dataset size differ from the saved ones.
  void load_state_dict(const StateDict& state);

  /// The options (seed as loaded by load_state_dict).
  const DataLoaderOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::data
