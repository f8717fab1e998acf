#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "common/gradient_check.h"
#include "ember/core/parallel.h"
#include "ember/data/data_loader.h"
#include "ember/tensor/ops.h"

namespace ember::data {
namespace {

// Sample i: feature [i, 2i, 3i] float32, label i int64.
std::shared_ptr<ArrayDataSet> make_dataset(int64_t n) {
  Tensor x = Tensor::empty({n, 3});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < 3; ++j) x.data<float>()[i * 3 + j] = static_cast<float>(i * (j + 1));
  return std::make_shared<ArrayDataSet>(x, Tensor::arange(n, DType::Int64));
}

// The same samples through the generic DataSet interface (no fast path).
class Wrapped : public DataSet {
 public:
  explicit Wrapped(std::shared_ptr<ArrayDataSet> d) : d_(std::move(d)) {}
  int64_t size() const override { return d_->size(); }
  Sample get(int64_t i) const override { return d_->get(i); }
  std::string repr() const override { return "Wrapped"; }

 private:
  std::shared_ptr<ArrayDataSet> d_;
};

struct Batch {
  Tensor input, target;
};

// Runs the rest of the current epoch, cloning each batch (the loader reuses its buffers).
std::vector<Batch> drain(DataLoader& loader, int64_t max_batches = -1) {
  std::vector<Batch> out;
  MiniBatch b;
  while ((max_batches < 0 || static_cast<int64_t>(out.size()) < max_batches) && loader.next(b)) {
    EXPECT_EQ(b.size, b.input.tensor().size(0));
    out.push_back({b.input.tensor().clone(), b.target.tensor().clone()});
  }
  return out;
}

std::vector<Batch> epoch(DataLoader& loader, int64_t e) {
  loader.start_epoch(e);
  return drain(loader);
}

void expect_same(const std::vector<Batch>& a, const std::vector<Batch>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].input.to_vector(), b[i].input.to_vector()) << "batch " << i;
    EXPECT_EQ(a[i].target.to_vector(), b[i].target.to_vector()) << "batch " << i;
  }
}

std::vector<double> labels_of(const std::vector<Batch>& batches) {
  std::vector<double> all;
  for (const Batch& b : batches) {
    auto l = b.target.to_vector();
    all.insert(all.end(), l.begin(), l.end());
  }
  return all;
}

// Adds uniform noise drawn from the per-sample generator.
TransformerPtr noise() {
  return std::make_shared<Lambda>("Noise", [](Sample s, Generator& g) {
    Tensor x = s.features[0].clone();
    for (int64_t j = 0; j < x.numel(); ++j) x.data<float>()[j] += static_cast<float>(g.next_double());
    s.features[0] = x;
    return s;
  });
}

TEST(DataLoaderTest, EverySampleExactlyOncePerEpochWithPartialLastBatch) {
  DataLoader loader(make_dataset(103), {.batch_size = 10, .shuffle = true, .seed = 5, .num_workers = 2});
  EXPECT_EQ(loader.num_batches(), 11);
  EXPECT_EQ(loader.dataset_size(), 103);
  for (int64_t e = 1; e <= 2; ++e) {
    auto batches = epoch(loader, e);
    ASSERT_EQ(batches.size(), 11u);
    EXPECT_EQ(batches.back().input.shape(), Shape({3, 3}));
    for (const Batch& b : batches)  // features travel with their labels
      for (int64_t r = 0; r < b.input.size(0); ++r) EXPECT_EQ(b.input.at({r, 2}), 3 * b.target.at({r}));
    auto labels = labels_of(batches);
    std::sort(labels.begin(), labels.end());
    for (int64_t i = 0; i < 103; ++i) EXPECT_EQ(labels[i], i);
  }
  MiniBatch b;
  EXPECT_FALSE(loader.next(b));  // the epoch is over until start_epoch
}

TEST(DataLoaderTest, OrderDependsOnlyOnSeedAndEpoch) {
  auto ds = make_dataset(50);
  DataLoader a(ds, {.batch_size = 50, .seed = 1, .num_workers = 0});
  DataLoader b(ds, {.batch_size = 7, .seed = 1, .num_workers = 3});
  DataLoader c(ds, {.batch_size = 50, .seed = 2, .num_workers = 0});
  const auto a1 = labels_of(epoch(a, 1)), a2 = labels_of(epoch(a, 2));
  EXPECT_NE(a1, a2);
  EXPECT_EQ(labels_of(epoch(b, 1)), a1);
  EXPECT_EQ(labels_of(epoch(b, 2)), a2);
  EXPECT_NE(labels_of(epoch(c, 1)), a1);
  EXPECT_EQ(labels_of(epoch(a, 1)), a1);  // going back to an epoch repeats it
}

TEST(DataLoaderTest, NoShuffleIsDatasetOrder) {
  DataLoader loader(make_dataset(9), {.batch_size = 4, .shuffle = false, .num_workers = 1});
  const auto labels = labels_of(epoch(loader, 3));
  EXPECT_EQ(labels, (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(DataLoaderTest, DropLastDropsThePartialBatch) {
  DataLoader loader(make_dataset(103), {.batch_size = 10, .drop_last = true, .num_workers = 2});
  EXPECT_EQ(loader.num_batches(), 10);
  auto batches = epoch(loader, 1);
  ASSERT_EQ(batches.size(), 10u);
  for (const Batch& b : batches) EXPECT_EQ(b.input.size(0), 10);
  DataLoader exact(make_dataset(100), {.batch_size = 10, .drop_last = false});
  EXPECT_EQ(exact.num_batches(), 10);
}

TEST(DataLoaderTest, IdenticalBatchesForAnyWorkerCount) {
  auto ds = make_dataset(61);
  for (bool transform : {false, true}) {
    std::vector<std::vector<Batch>> runs;
    for (int workers : {0, 1, 3}) {
      DataLoader loader(ds, {.batch_size = 8, .seed = 9, .num_workers = workers, .prefetch = 2,
                             .transform = transform ? noise() : nullptr});
      auto run = epoch(loader, 1);
      auto second = epoch(loader, 2);
      run.insert(run.end(), second.begin(), second.end());
      runs.push_back(std::move(run));
    }
    expect_same(runs[0], runs[1]);
    expect_same(runs[0], runs[2]);
  }
}

TEST(DataLoaderTest, FastPathMatchesTheGenericPath) {
  auto ds = make_dataset(30);
  DataLoader fast(ds, {.batch_size = 8, .seed = 4, .num_workers = 2});
  DataLoader generic(std::make_shared<Wrapped>(ds), {.batch_size = 8, .seed = 4, .num_workers = 2});
  expect_same(epoch(fast, 1), epoch(generic, 1));
}

TEST(DataLoaderTest, TransformRandomnessDiffersPerSampleAndEpoch) {
  auto ds = std::make_shared<ArrayDataSet>(Tensor::zeros({4, 1}), Tensor::arange(4, DType::Int64));
  DataLoader loader(ds, {.batch_size = 4, .shuffle = false, .num_workers = 1, .transform = noise()});
  auto e1 = epoch(loader, 1)[0].input.to_vector(), e2 = epoch(loader, 2)[0].input.to_vector();
  EXPECT_NE(e1[0], e1[1]);
  EXPECT_NE(e1, e2);
  EXPECT_EQ(ds->features().to_vector(), (std::vector<double>{0, 0, 0, 0}));  // the data set is untouched
}

TEST(DataLoaderTest, ResumeFromStateDictEqualsContinuing) {
  auto ds = make_dataset(77);
  DataLoader a(ds, {.batch_size = 6, .seed = 11, .num_workers = 2, .transform = noise()});
  a.start_epoch(3);
  drain(a, 5);
  const StateDict state = a.state_dict();
  EXPECT_EQ(state.integer("epoch"), 3);
  EXPECT_EQ(state.integer("batch"), 5);
  EXPECT_EQ(state.integer("seed"), 11);
  const auto rest = drain(a);
  EXPECT_EQ(rest.size(), 13u - 5u);
  DataLoader b(ds, {.batch_size = 6, .seed = 999, .num_workers = 3, .transform = noise()});
  b.load_state_dict(state);
  EXPECT_EQ(b.options().seed, 11u);
  expect_same(drain(b), rest);
  // Resuming from a finished epoch delivers nothing until the next one starts.
  StateDict done = b.state_dict();
  EXPECT_EQ(done.integer("batch"), 13);
  DataLoader c(ds, {.batch_size = 6, .num_workers = 0, .transform = noise()});
  c.load_state_dict(done);
  MiniBatch mb;
  EXPECT_FALSE(c.next(mb));
  expect_same(epoch(c, 4), epoch(a, 4));
}

TEST(DataLoaderTest, StateDictErrors) {
  auto ds = make_dataset(20);
  DataLoader a(ds, {.batch_size = 4});
  EXPECT_EQ(a.state_dict().integer("epoch"), 0);
  DataLoader other_batch(ds, {.batch_size = 5});
  EXPECT_THROW_WITH(other_batch.load_state_dict(a.state_dict()), ValueError,
                    "the state was saved with batch_size 4, this loader has batch_size 5");
  DataLoader other_data(make_dataset(21), {.batch_size = 4});
  EXPECT_THROW_WITH(other_data.load_state_dict(a.state_dict()), ValueError,
                    "the state was saved for 20 samples, this loader's dataset has 21");
  EXPECT_THROW_WITH(a.start_epoch(0), ValueError, "[data.DataLoader] epochs count from 1, got epoch 0");
  EXPECT_THROW_WITH(a.start_epoch(1, 6), IndexError, "first_batch 6 out of range: expected [0, 5]");
}

TEST(DataLoaderTest, MovedLoaderKeepsItsPlace) {
  auto ds = make_dataset(40);
  DataLoader a(ds, {.batch_size = 5, .seed = 8, .num_workers = 2});
  a.start_epoch(1);
  const auto head = drain(a, 3);
  DataLoader b = std::move(a);
  auto rest = drain(b);
  EXPECT_EQ(rest.size(), 5u);
  DataLoader ref(ds, {.batch_size = 5, .seed = 8, .num_workers = 0});
  auto all = epoch(ref, 1);
  expect_same(head, {all.begin(), all.begin() + 3});
  expect_same(rest, {all.begin() + 3, all.end()});
}

TEST(DataLoaderTest, OptionErrors) {
  auto ds = make_dataset(4);
  EXPECT_THROW_WITH(DataLoader(ds, {.batch_size = 0}), ValueError, "batch_size must be positive, got 0");
  EXPECT_THROW_WITH(DataLoader(ds, {.num_workers = -1}), ValueError, "num_workers must be >= 0, got -1");
  EXPECT_THROW_WITH(DataLoader(ds, {.prefetch = 0}), ValueError, "prefetch must be >= 1, got 0");
  EXPECT_THROW_WITH(DataLoader(nullptr, {}), ValueError, "[data.DataLoader] dataset is null");
}

TEST(DataLoaderTest, WorkerExceptionSurfacesWithItsIndex) {
  auto failing = std::make_shared<Lambda>("Fail", [](Sample s, Generator&) {
    if (s.label().item() == 57) throw FormatError("[image.decode] img57.jpg: not a JPEG");
    return s;
  });
  for (int workers : {0, 3}) {
    DataLoader loader(make_dataset(100),
                      {.batch_size = 10, .shuffle = false, .num_workers = workers, .transform = failing});
    loader.start_epoch(1);
    EXPECT_EQ(drain(loader, 5).size(), 5u);  // the batches before the bad one arrive intact
    MiniBatch b;
    const char* expected =
        "[data.DataLoader] epoch 1, batch 5, sample 7 (dataset index 57): [image.decode] img57.jpg: not a JPEG";
    EXPECT_THROW_WITH(loader.next(b), FormatError, expected);
    EXPECT_THROW_WITH(loader.next(b), FormatError, expected);  // reported again, never skipped
    loader.start_epoch(2, 6);  // past the bad batch the loader works again
    EXPECT_EQ(drain(loader).size(), 4u);
  }
}

TEST(DataLoaderTest, CollateErrorNamesTheBatch) {
  auto ragged = std::make_shared<Lambda>("Ragged", [](Sample s, Generator&) {
    if (s.label().item() == 3) s.features[0] = Tensor::zeros({5});
    return s;
  });
  DataLoader loader(make_dataset(8), {.batch_size = 4, .shuffle = false, .num_workers = 1, .transform = ragged});
  MiniBatch b;
  EXPECT_THROW_WITH(loader.next(b), ShapeError,
                    "[data.DataLoader] epoch 1, batch 0: [data.collate] feature 0 of sample 3 has shape [5]");
}

TEST(DataLoaderTest, WorkersRunSeriallyOffTheOpenMpPool) {
  auto seen = std::make_shared<std::atomic<int>>(0);
  auto probe = std::make_shared<Lambda>("Probe", [seen](Sample s, Generator&) {
    if (in_parallel_region()) ++*seen;
    return s;
  });
  DataLoader loader(make_dataset(12), {.batch_size = 4, .num_workers = 2, .transform = probe});
  EXPECT_EQ(epoch(loader, 1).size(), 3u);
  EXPECT_EQ(seen->load(), 12);  // parallel_for inside a worker runs inline
  EXPECT_FALSE(in_parallel_region());
}

TEST(DataLoaderTest, SerialScopeRunsParallelForInline) {
  std::vector<std::pair<int64_t, int64_t>> chunks;
  {
    SerialScope serial;
    parallel_for(0, 1000, 1, [&](int64_t lo, int64_t hi) { chunks.emplace_back(lo, hi); });
  }
  EXPECT_EQ(chunks, (std::vector<std::pair<int64_t, int64_t>>{{0, 1000}}));
  EXPECT_FALSE(in_parallel_region());
}

TEST(DataLoaderTest, HandedOutBatchIsNotOverwrittenByPrefetch) {
  DataLoader loader(make_dataset(64), {.batch_size = 4, .seed = 3, .num_workers = 3, .prefetch = 4});
  loader.start_epoch(1);
  MiniBatch b;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(loader.next(b));
    const auto before = b.input.tensor().to_vector();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let the workers fill every free buffer
    EXPECT_EQ(b.input.tensor().to_vector(), before);
  }
}

TEST(DataLoaderTest, DestroyingOrRestartingMidEpochStopsTheWorkers) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto slow = std::make_shared<Lambda>("Slow", [calls](Sample s, Generator&) {
    ++*calls;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    return s;
  });
  auto ds = make_dataset(400);
  {
    DataLoader loader(ds, {.batch_size = 10, .num_workers = 3, .prefetch = 4, .transform = slow});
    loader.start_epoch(1);
    drain(loader, 2);
    loader.start_epoch(2);  // joins the epoch-1 workers mid-epoch
    const auto first = drain(loader, 2);
    DataLoader fresh(ds, {.batch_size = 10, .num_workers = 0, .transform = slow});
    fresh.start_epoch(2);
    expect_same(first, drain(fresh, 2));
  }  // destroyed mid-epoch
  const int after = calls->load();
  // Work ahead is bounded by prefetch: at most (2 + 4) batches per started epoch plus the 2 fresh ones.
  EXPECT_LE(after, (6 + 6 + 2) * 10);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(calls->load(), after);  // no worker is left running
}

}  // namespace
}  // namespace ember::data
