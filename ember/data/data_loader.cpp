#include "ember/data/data_loader.h"

#include <condition_variable>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <typeinfo>
#include <vector>

#include "ember/core/error.h"
#include "ember/core/parallel.h"

namespace ember::data {

namespace {

uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// One 64-bit seed per (seed, epoch, stream); stream is a dataset index or kOrderStream.
uint64_t derive_seed(uint64_t seed, int64_t epoch, uint64_t stream) {
  uint64_t h = mix64(seed + 0x9e3779b97f4a7c15ULL);
  h = mix64(h ^ (static_cast<uint64_t>(epoch) * 0xd6e8feb86659fd93ULL));
  return mix64(h ^ (stream + 0x632be59bd9b4e019ULL));
}
constexpr uint64_t kOrderStream = ~0ULL;

// Rethrows the exception being handled as the same Ember type with `where` in front of its message.
[[noreturn]] void rethrow_with(const std::string& where) {
  try {
    throw;
  } catch (const ShapeError& e) {
    throw ShapeError(where + e.what());
  } catch (const ValueError& e) {
    throw ValueError(where + e.what());
  } catch (const TypeError& e) {
    throw TypeError(where + e.what());
  } catch (const IndexError& e) {
    throw IndexError(where + e.what());
  } catch (const NotImplementedError& e) {
    throw NotImplementedError(where + e.what());
  } catch (const IOError& e) {
    throw IOError(where + e.what());
  } catch (const FormatError& e) {
    throw FormatError(where + e.what());
  } catch (const InternalError& e) {
    throw InternalError(where + e.what());
  } catch (const std::invalid_argument& e) {
    throw ValueError(where + e.what());
  } catch (const std::out_of_range& e) {
    throw IndexError(where + e.what());
  } catch (const std::exception& e) {
    throw RuntimeError(where + e.what());
  } catch (...) {
    throw RuntimeError(where + "unknown exception");
  }
}

// Makes `slot` a tensor of `shape`/`dtype`, keeping its storage when it is large enough.
Tensor& prepare(nn::Activity& slot, const Shape& shape, DType dtype) {
  if (!slot.is_tensor()) slot = Tensor();
  Tensor& t = slot.tensor();
  if (t.defined())
    t.resize_(shape, dtype);
  else
    t = Tensor::empty(shape, dtype);
  return t;
}

// Rows idx[0..count) of src [N, ...] into slot [count, ...]: one memcpy per row when src is dense.
void gather_rows(const Tensor& src, const int64_t* idx, int64_t count, nn::Activity& slot) {
  Shape shape = src.shape();
  shape[0] = count;
  Tensor& out = prepare(slot, shape, src.dtype());
  if (src.is_contiguous()) {
    const size_t row = static_cast<size_t>(src.numel() / std::max<int64_t>(src.size(0), 1)) * itemsize(src.dtype());
    const auto* s = static_cast<const unsigned char*>(src.raw_data());
    auto* d = static_cast<unsigned char*>(out.raw_data());
    for (int64_t i = 0; i < count; ++i) std::memcpy(d + i * row, s + idx[i] * row, row);
  } else {
    for (int64_t i = 0; i < count; ++i) out.select(0, i).copy_(src.select(0, idx[i]));
  }
}

struct Produced {
  MiniBatch batch;
  std::exception_ptr error;
};

}  // namespace

struct DataLoader::Impl {
  std::shared_ptr<const DataSet> dataset;
  std::shared_ptr<const ArrayDataSet> array;  // set when the fast path applies
  DataLoaderOptions options;
  int64_t num_batches = 0;

  // Written only by the consumer while no worker runs.
  int64_t epoch = 0;
  std::vector<int64_t> order;

  std::mutex mu;
  std::condition_variable work_cv, ready_cv;
  bool stop = false;
  int64_t delivered = 0;   // next batch to hand out (the consumer writes it under mu)
  int64_t next_claim = 0;  // next batch a worker takes
  std::map<int64_t, Produced> ready;
  std::vector<MiniBatch> free_buffers;
  MiniBatch held;  // the batch the consumer has now
  bool holding = false;
  std::vector<Sample> samples;  // num_workers = 0: the caller's scratch list
  std::vector<std::thread> workers;

  // Fills `out` with batch `b` of the current epoch. Errors carry the epoch, batch and sample.
  void produce(int64_t b, MiniBatch& out, std::vector<Sample>& samples) const {
    const int64_t n = dataset->size();
    const int64_t begin = b * options.batch_size;
    const int64_t count = std::min(options.batch_size, n - begin);
    const int64_t* idx = order.data() + begin;
    const std::string where = ember::detail::str_cat("[data.DataLoader] epoch ", epoch, ", batch ", b, ": ");
    if (array) {
      try {
        gather_rows(array->features(), idx, count, out.input);
        if (array->labels().defined())
          gather_rows(array->labels(), idx, count, out.target);
        else
          out.target = nn::Activity();
        out.size = count;
      } catch (...) {
        rethrow_with(where);
      }
      return;
    }
    samples.clear();
    for (int64_t i = 0; i < count; ++i) {
      try {
        Sample s = dataset->get(idx[i]);
        if (options.transform) {
          Generator rng(derive_seed(options.seed, epoch, static_cast<uint64_t>(idx[i])));
          s = options.transform->apply(std::move(s), rng);
        }
        samples.push_back(std::move(s));
      } catch (...) {
        rethrow_with(ember::detail::str_cat("[data.DataLoader] epoch ", epoch, ", batch ", b, ", sample ", i,
                                            " (dataset index ", idx[i], "): "));
      }
    }
    try {
      collate_into(samples, out);
    } catch (...) {
      rethrow_with(where);
    }
  }

  void worker_loop() {
    SerialScope serial;  // per-batch work stays on this thread; training owns the OpenMP pool
    std::vector<Sample> samples;
    const int64_t ahead = options.prefetch;
    std::unique_lock<std::mutex> lk(mu);
    for (;;) {
      work_cv.wait(lk, [&] { return stop || (next_claim < num_batches && next_claim < delivered + ahead); });
      if (stop) return;
      const int64_t b = next_claim++;
      Produced p;
      if (!free_buffers.empty()) {
        p.batch = std::move(free_buffers.back());
        free_buffers.pop_back();
      }
      lk.unlock();
      try {
        produce(b, p.batch, samples);
      } catch (...) {
        p.error = std::current_exception();
      }
      samples.clear();  // drop references to sample tensors between batches
      lk.lock();
      ready.emplace(b, std::move(p));
      ready_cv.notify_all();
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lk(mu);
      stop = true;
    }
    work_cv.notify_all();
    for (auto& t : workers) t.join();
    workers.clear();
    stop = false;
    // Buffers of batches nobody will read go back to the pool.
    for (auto& [b, p] : ready)
      if (!p.error) free_buffers.push_back(std::move(p.batch));
    ready.clear();
    if (holding) free_buffers.push_back(std::move(held));
    holding = false;
  }

  void make_order() {
    const int64_t n = dataset->size();
    order.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) order[i] = i;
    if (!options.shuffle) return;
    Generator g(derive_seed(options.seed, epoch, kOrderStream));
    for (int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[g.next_below(static_cast<uint64_t>(i) + 1)]);
  }
};

DataLoader::DataLoader(std::shared_ptr<const DataSet> dataset, DataLoaderOptions options) : impl_(new Impl) {
  EMBER_CHECK(dataset != nullptr, "[data.DataLoader] dataset is null");
  EMBER_CHECK(options.batch_size >= 1, "[data.DataLoader] batch_size must be positive, got ", options.batch_size);
  EMBER_CHECK(options.num_workers >= 0, "[data.DataLoader] num_workers must be >= 0, got ", options.num_workers);
  EMBER_CHECK(options.prefetch >= 1, "[data.DataLoader] prefetch must be >= 1, got ", options.prefetch);
  impl_->dataset = std::move(dataset);
  impl_->options = std::move(options);
  // Exact type only: a subclass may override get().
  if (!impl_->options.transform && typeid(*impl_->dataset) == typeid(ArrayDataSet))
    impl_->array = std::static_pointer_cast<const ArrayDataSet>(impl_->dataset);
  const int64_t n = impl_->dataset->size(), bs = impl_->options.batch_size;
  impl_->num_batches = impl_->options.drop_last ? n / bs : (n + bs - 1) / bs;
}

DataLoader::~DataLoader() {
  if (impl_) impl_->stop_workers();
}

// Workers hold the Impl, not the DataLoader, so moving the handle leaves them running.
DataLoader::DataLoader(DataLoader&&) noexcept = default;

DataLoader& DataLoader::operator=(DataLoader&& other) noexcept {
  if (this != &other) {
    if (impl_) impl_->stop_workers();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

int64_t DataLoader::num_batches() const { return impl_->num_batches; }
int64_t DataLoader::dataset_size() const { return impl_->dataset->size(); }
const DataLoaderOptions& DataLoader::options() const { return impl_->options; }

void DataLoader::start_epoch(int64_t epoch, int64_t first_batch) {
  EMBER_CHECK(epoch >= 1, "[data.DataLoader] epochs count from 1, got epoch ", epoch);
  EMBER_CHECK_INDEX(first_batch >= 0 && first_batch <= impl_->num_batches, "[data.DataLoader] first_batch ",
                    first_batch, " out of range: expected [0, ", impl_->num_batches, "] for ", impl_->num_batches,
                    " batches per epoch");
  Impl& m = *impl_;
  m.stop_workers();
  m.epoch = epoch;
  m.make_order();
  m.delivered = m.next_claim = first_batch;
  for (int w = 0; w < m.options.num_workers; ++w) m.workers.emplace_back([&m] { m.worker_loop(); });
}

bool DataLoader::next(MiniBatch& batch) {
  Impl& m = *impl_;
  if (m.epoch == 0) start_epoch(1);
  if (m.options.num_workers == 0) {
    if (m.delivered >= m.num_batches) return false;
    if (!m.holding && m.held.input.empty() && !m.free_buffers.empty()) {
      m.held = std::move(m.free_buffers.back());
      m.free_buffers.pop_back();
    }
    m.holding = false;  // the previous batch's buffer is refilled: its contract ended with this call
    m.produce(m.delivered, m.held, m.samples);
    m.samples.clear();
    m.holding = true;
    ++m.delivered;
    batch = m.held;
    return true;
  }
  std::unique_lock<std::mutex> lk(m.mu);
  if (m.holding) {
    m.free_buffers.push_back(std::move(m.held));
    m.holding = false;
  }
  if (m.delivered >= m.num_batches) return false;
  m.ready_cv.wait(lk, [&] { return m.ready.count(m.delivered) > 0; });
  auto it = m.ready.find(m.delivered);
  // A failed batch stays in place: calling next() again reports the same error.
  if (it->second.error) std::rethrow_exception(it->second.error);
  m.held = std::move(it->second.batch);
  m.holding = true;
  m.ready.erase(it);
  ++m.delivered;
  lk.unlock();
  m.work_cv.notify_all();
  batch = m.held;
  return true;
}

StateDict DataLoader::state_dict() const {
  StateDict s;
  s.set("epoch", impl_->epoch);
  s.set("batch", impl_->delivered);
  s.set("seed", static_cast<int64_t>(impl_->options.seed));
  s.set("batch_size", impl_->options.batch_size);
  s.set("dataset_size", impl_->dataset->size());
  return s;
}

void DataLoader::load_state_dict(const StateDict& state) {
  const int64_t bs = state.integer("batch_size"), n = state.integer("dataset_size");
  EMBER_CHECK(bs == impl_->options.batch_size, "[data.DataLoader] load_state_dict: the state was saved with batch_size ",
              bs, ", this loader has batch_size ", impl_->options.batch_size, ": the batch order would differ");
  EMBER_CHECK(n == impl_->dataset->size(), "[data.DataLoader] load_state_dict: the state was saved for ", n,
              " samples, this loader's dataset has ", impl_->dataset->size(), ": is it the same data set?");
  const int64_t epoch = state.integer("epoch"), batch = state.integer("batch");
  EMBER_CHECK(epoch >= 0, "[data.DataLoader] load_state_dict: epoch must be >= 0, got ", epoch);
  EMBER_CHECK_INDEX(batch >= 0 && batch <= impl_->num_batches, "[data.DataLoader] load_state_dict: batch ", batch,
                    " out of range: expected [0, ", impl_->num_batches, "]");
  const auto seed = static_cast<uint64_t>(state.integer("seed"));
  impl_->stop_workers();  // they read the seed
  impl_->options.seed = seed;
  if (epoch == 0) {
    impl_->epoch = 0;
    impl_->delivered = impl_->next_claim = 0;
    return;
  }
  start_epoch(epoch, batch);
}

}  // namespace ember::data
