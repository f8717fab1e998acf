#pragma once
/// DataLoader: batches of a DataSet, shuffled per epoch with a seed, transformed and collated on
/// background threads so that training never waits for decoding.
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

struct DataLoaderOptions {
  /// Samples per batch; the last batch of an epoch holds the rest unless drop_last.
  int64_t batch_size = 32;
  bool shuffle = true;
  /// Seed of the per-epoch permutation and of the per-sample transformer generators.
  uint64_t seed = 0;
  bool drop_last = false;
  /// Background threads that load, transform and collate (0: everything on the caller's thread).
  int num_workers = 2;
  /// Batches prepared ahead of the consumer.
  int prefetch = 4;
  /// Per-sample transformer (nullptr: none).
  TransformerPtr transform;
};

class DataLoader {
 public:
  DataLoader(std::shared_ptr<const DataSet> dataset, DataLoaderOptions options);
  ~DataLoader();

  /// Batches per epoch.
  int64_t num_batches() const;
  int64_t dataset_size() const;
  /// Starts epoch `epoch` (1-based) at batch `first_batch` (to resume mid-epoch). The order of an
  /// epoch depends only on (seed, epoch).
  void start_epoch(int64_t epoch, int64_t first_batch = 0);
  /// The next batch of the current epoch; false when the epoch is done. Errors raised while loading
  /// (a corrupt image, ...) are rethrown here with the sample index.
  bool next(MiniBatch& batch);
  /// (epoch, next batch index): where a checkpoint resumes.
  StateDict state_dict() const;
  void load_state_dict(const StateDict& state);

  const DataLoaderOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::data
