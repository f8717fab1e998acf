#include "ember/dist/distributed_optimizer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <span>
#include <string_view>

#include "ember/core/error.h"
#include "ember/io/state_file.h"
#include "ember/optim/clipping.h"
#include "ember/tensor/ops.h"

namespace ember::dist {

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
std::vector<uint8_t> to_vector(const std::string& s) { return {s.begin(), s.end()}; }
std::string_view as_chars(const std::vector<uint8_t>& v) {
  return {reinterpret_cast<const char*>(v.data()), v.size()};
}

// a * b mod n for a, b >= 0 and n >= 1, without overflow.
int64_t mul_mod(int64_t a, int64_t b, int64_t n) {
  uint64_t result = 0, x = static_cast<uint64_t>(a % n), y = static_cast<uint64_t>(b % n);
  const auto m = static_cast<uint64_t>(n);
  for (; y > 0; y >>= 1) {
    if (y & 1) result = (result + x) % m;
    x = (x * 2) % m;
  }
  return static_cast<int64_t>(result);
}

// "a=1, b=f(x, y), c=[p, q]" -> {"a=1", "b=f(x, y)", "c=[p, q]"}: splits at top-level ", ".
std::vector<std::string_view> split_settings(std::string_view s) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(' || s[i] == '[' || s[i] == '{') ++depth;
    if (s[i] == ')' || s[i] == ']' || s[i] == '}') --depth;
    if (depth == 0 && s.substr(i, 2) == ", ") {
      out.push_back(s.substr(start, i - start));
      start = i + 2;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

std::string where_of(const std::shared_ptr<Collective>& c) {
  return "[dist.DistributedOptimizer rank " + std::to_string(c->rank()) + "]";
}

// Checked before train::Optimizer's constructor sees the shard, so an empty shard is reported with
// the rank (the base would say only "the training data set is empty").
std::shared_ptr<const data::DataSet> checked_shard(const std::shared_ptr<Collective>& collective,
                                                   std::shared_ptr<const data::DataSet> shard,
                                                   int64_t global_batch_size) {
  EMBER_CHECK(collective != nullptr, "[dist.DistributedOptimizer] collective is null");
  const std::string where = where_of(collective);
  EMBER_CHECK(shard != nullptr, where, " the training shard is null");
  EMBER_CHECK(shard->size() >= 1, where, " the training shard is empty: every rank needs at least one sample");
  EMBER_CHECK(global_batch_size >= collective->world_size(), where, " global_batch_size must be >= the world size ",
              collective->world_size(), " (every rank trains at least one sample per iteration), got ",
              global_batch_size);
  return shard;
}
}  // namespace

/// One epoch of this rank's data when the shard is not exactly one epoch's share: `size` samples,
/// sample i of epoch e being shard[(start(e) + i) % n], where start(e) = (e - 1) * size. So the
/// epochs walk round the shard like a stream: a short shard repeats, a long one is read in turns,
/// and no sample is left out for good. The loader shuffles (or not) within the epoch as usual, and
/// an epoch depends only on its number, so resuming mid-epoch reads the same batches.
class DistributedOptimizer::EpochView final : public data::DataSet {
 public:
  EpochView(std::shared_ptr<const data::DataSet> shard, int64_t size) : shard_(std::move(shard)), size_(size) {}
  // Called between epochs, when the loader has no sample in flight (it hands out every batch of an
  // epoch before the next start_epoch); atomic all the same, as the loader's workers read it.
  void set_epoch(int64_t epoch) { start_.store(mul_mod(epoch - 1, size_, shard_->size()), std::memory_order_release); }
  int64_t size() const override { return size_; }
  data::Sample get(int64_t index) const override {
    EMBER_CHECK_INDEX(index >= 0 && index < size_, "[dist.EpochView] index ", index, " out of range [0, ", size_, ")");
    return shard_->get((start_.load(std::memory_order_acquire) + index) % shard_->size());
  }
  std::string repr() const override {
    return "EpochView(" + std::to_string(size_) + " samples per epoch of " + shard_->repr() + ")";
  }

 private:
  std::shared_ptr<const data::DataSet> shard_;
  int64_t size_;
  std::atomic<int64_t> start_{0};
};

DistributedOptimizer::DistributedOptimizer(std::shared_ptr<Collective> collective, nn::ModulePtr model,
                                           std::shared_ptr<const data::DataSet> local_shard,
                                           nn::CriterionPtr criterion, int64_t global_batch_size) try
    : train::Optimizer(std::move(model), checked_shard(collective, std::move(local_shard), global_batch_size),
                       std::move(criterion), global_batch_size),
      collective_(collective),
      global_batch_(global_batch_size) {
  const int world = collective_->world_size(), rank = collective_->rank();
  local_batch_ = global_batch_ / world + (rank < global_batch_ % world ? 1 : 0);
} catch (const std::exception& e) {
  // A rank that cannot even set up tells the others, which would otherwise wait for it until their
  // collective's timeout.
  if (collective) collective->abort(e.what());
}

DistributedOptimizer::~DistributedOptimizer() = default;

DistributedOptimizer& DistributedOptimizer::set_gradient_compression(bool bfloat16) {
  compression_ = bfloat16;
  return *this;
}

const Collective& DistributedOptimizer::collective() const { return *collective_; }

std::string DistributedOptimizer::where() const { return where_of(collective_); }

bool DistributedOptimizer::writes_outputs() const { return collective_->rank() == 0; }

train::LogOptions DistributedOptimizer::effective_log_options(const train::LogOptions& options) const {
  train::LogOptions out = options;
  out.timing_breakdown = true;  // where the time goes is the first question about a distributed run
  if (options.all_ranks) out.prefix = "[Rank " + std::to_string(collective_->rank()) + "] " + options.prefix;
  else if (collective_->rank() != 0) out.stream = nullptr;
  return out;
}

void DistributedOptimizer::on_failure(const std::string& cause) noexcept { collective_->abort(cause); }

void DistributedOptimizer::check_settings() {
  // Every rank must take the same decisions (triggers, shapes of the collectives) at the same
  // iteration, or the collectives would pair unrelated operations: compare the settings once.
  const Tensor& w = weights();
  std::string mine = train::Optimizer::settings_repr() + ", world_size=" + std::to_string(collective_->world_size()) +
                     ", parameters=" + std::to_string(w.numel()) + " " + std::string(dtype_name(w.dtype())) +
                     ", buffers=" + std::to_string(model().named_buffers().size()) +
                     ", gradient_compression=" + (compression_ ? "bfloat16" : "none");
  const auto all = collective_->all_gather_bytes(as_bytes(mine));
  const std::vector<std::string_view> reference = split_settings(as_chars(all[0]));
  for (size_t r = 1; r < all.size(); ++r) {
    const std::vector<std::string_view> theirs = split_settings(as_chars(all[r]));
    for (size_t i = 0; i < std::max(theirs.size(), reference.size()); ++i) {
      const std::string_view a = i < theirs.size() ? theirs[i] : "(nothing)";
      const std::string_view b = i < reference.size() ? reference[i] : "(nothing)";
      EMBER_CHECK(a == b, where(), " every rank must be set up alike, but rank ", r, " has ", a, " where rank 0 has ",
                  b);
    }
  }
}

void DistributedOptimizer::restore_from_rank0() {
  const int world = collective_->world_size();
  StateDict common;
  std::vector<std::vector<uint8_t>> parts;
  if (collective_->rank() == 0) {
    std::string loaded;
    const StateDict st = read_checkpoint(resume_path(), loaded);
    EMBER_CHECK(st.contains("dist.world_size"), where(), " checkpoint '", loaded,
                "' was written by local training: a distributed run resumes from distributed checkpoints only");
    EMBER_CHECK(st.integer("dist.world_size") == world, where(), " checkpoint '", loaded, "' was written by ",
                st.integer("dist.world_size"), " ranks, this run has ", world,
                ": every rank's optim state is a shard of the weights, so resuming needs the same world size");
    for (const auto& [key, value] : st.items()) {
      if (!key.starts_with("optim.rank") && !key.starts_with("rng.rank")) common.set(key, value);
    }
    common.set("dist.checkpoint", loaded);
    for (int r = 0; r < world; ++r) {
      StateDict part;
      part.merge(st.sub("optim.rank" + std::to_string(r) + "."), "optim.");
      part.merge(st.sub("rng.rank" + std::to_string(r) + "."), "rng.");
      parts.push_back(to_vector(io::save_state_to_bytes(part)));
    }
  }
  std::vector<uint8_t> bytes = collective_->broadcast_bytes(
      collective_->rank() == 0 ? to_vector(io::save_state_to_bytes(common)) : std::vector<uint8_t>{}, 0);
  if (collective_->rank() != 0) common = io::load_state_from_bytes(as_chars(bytes), "the trainer state from rank 0");
  const std::vector<uint8_t> mine = collective_->scatter_bytes(parts, 0);
  const StateDict part = io::load_state_from_bytes(as_chars(mine), "this rank's optim state from rank 0");
  load_trainer_state(common, common.string("dist.checkpoint"));
  load_local_state(part);
}

void DistributedOptimizer::broadcast_model() {
  collective_->broadcast(weights(), 0);
  // Buffers (batch-norm statistics) are per rank during training; rank 0's start every rank off.
  auto buffers = model().named_buffers();
  if (buffers.empty()) return;
  StateDict st;
  if (collective_->rank() == 0) {
    for (const auto& [name, t] : buffers) st.set(name, *t);
  }
  const std::vector<uint8_t> bytes = collective_->broadcast_bytes(
      collective_->rank() == 0 ? to_vector(io::save_state_to_bytes(st)) : std::vector<uint8_t>{}, 0);
  if (collective_->rank() == 0) return;
  st = io::load_state_from_bytes(as_chars(bytes), "the model buffers from rank 0");
  for (const auto& [name, t] : buffers) t->copy_(st.tensor(name));
}

void DistributedOptimizer::begin_training() {
  check_settings();
  EMBER_CHECK(optim_method().type_name() != std::string_view("optim.LBFGS"), where(),
              " optim.LBFGS cannot train distributed: it evaluates the model several times per step and takes dot "
              "products over all the weights, while each rank updates only its shard. Use a first-order method "
              "(SGD, Adam, ...)");
  const int world = collective_->world_size();
  EMBER_CHECK(weights().numel() >= world, where(), " the model has ", weights().numel(), " parameters, fewer than the ",
              world, " ranks: every rank updates a shard of at least one");
  EMBER_CHECK(!compression_ || gradients().dtype() == DType::Float32, where(),
              " gradient compression sends float32 gradients as bfloat16; this model's gradients are ",
              gradients().dtype());

  std::vector<uint8_t> resume(1, resume_path().empty() ? 0 : 1);
  resume = collective_->broadcast_bytes(std::move(resume), 0);  // rank 0 decides
  if (resume.at(0) != 0) restore_from_rank0();
  broadcast_model();

  const auto [begin, end] = collective_->shard_range(weights().numel());
  weight_shard_ = weights().narrow(0, begin, end - begin);
  gradient_shard_ = gradients().narrow(0, begin, end - begin);

  double total = static_cast<double>(train_set()->size());
  collective_->all_reduce(std::span<double>(&total, 1));
  const auto samples = static_cast<int64_t>(std::llround(total));
  iterations_per_epoch_ = (samples + global_batch_ - 1) / global_batch_;
  const int64_t epoch_share = iterations_per_epoch_ * local_batch_;
  view_ = epoch_share == train_set()->size() ? nullptr : std::make_shared<EpochView>(train_set(), epoch_share);
}

train::Optimizer::TrainingData DistributedOptimizer::training_data() {
  return {.data = view_ ? std::static_pointer_cast<const data::DataSet>(view_) : train_set(),
          .batch_size = local_batch_,
          .seed = data_options().seed + static_cast<uint64_t>(collective_->rank()),
          .epoch_records = iterations_per_epoch_ * global_batch_,
          .iteration_records = global_batch_};
}

void DistributedOptimizer::begin_epoch(int64_t epoch) {
  if (view_) view_->set_epoch(epoch);
}

double DistributedOptimizer::step(const data::MiniBatch& batch, train::PhaseTimes& times) {
  EMBER_INTERNAL_ASSERT(batch.size == local_batch_, "rank ", collective_->rank(), " got a batch of ", batch.size,
                        " samples, expected ", local_batch_);
  // Two pointers in the closure, so std::function stores it without allocating.
  struct StepContext {
    const data::MiniBatch& batch;
    train::PhaseTimes& times;
    double feval_seconds = 0;
    double loss = 0;
    int evaluations = 0;
  } ctx{batch, times};
  const auto t_update = Clock::now();
  optim_method().optimize(
      [this, &ctx](const Tensor&) {
        EMBER_CHECK(++ctx.evaluations == 1, where(), " ", optim_method().type_name(),
                    " evaluated the model twice in one step: distributed training supports optim methods that "
                    "evaluate it once per step (each evaluation is a collective operation)");
        const auto t = Clock::now();
        const double local_loss = forward_backward(ctx.batch, ctx.times);
        // Each rank's gradient is the mean over its samples: weighted by its share of the global
        // batch, the sum over ranks is the mean over the global batch.
        auto t_comm = Clock::now();
        const double share = static_cast<double>(ctx.batch.size) / static_cast<double>(global_batch_);
        if (share != 1.0) mul_(gradients(), share);
        collective_->reduce_scatter(gradients(), compression_ ? Wire::BFloat16 : Wire::Native);
        double sums[2] = {local_loss * share, clips_by_norm() ? optim::squared_norm(gradient_shard_) : 0.0};
        collective_->all_reduce(std::span<double>(sums, clips_by_norm() ? 2 : 1));
        ctx.times.reduce_scatter += seconds_since(t_comm);
        ctx.loss = sums[0];
        check_loss(ctx.loss);  // the same global loss on every rank, so every rank stops alike
        const auto t_clip = Clock::now();
        clip_gradients(gradient_shard_, sums[1]);
        ctx.times.backward += seconds_since(t_clip);
        ctx.feval_seconds += seconds_since(t);
        return std::pair<double, Tensor>{ctx.loss, gradient_shard_};
      },
      weight_shard_);
  times.update += seconds_since(t_update) - ctx.feval_seconds;
  const auto t_gather = Clock::now();
  collective_->all_gather(weights());
  times.all_gather += seconds_since(t_gather);
  return ctx.loss;
}

void DistributedOptimizer::merge_validation(std::vector<optim::ValidationResult>& results) {
  std::vector<double> sums;
  sums.reserve(2 * results.size());
  for (const auto& r : results) {
    sums.push_back(r.total);
    sums.push_back(static_cast<double>(r.count));
  }
  collective_->all_reduce(std::span<double>(sums));
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].total = sums[2 * i];
    results[i].count = static_cast<int64_t>(std::llround(sums[2 * i + 1]));
  }
}

StateDict DistributedOptimizer::checkpoint_state() {
  // Every rank's optim state is a shard (momentum, moments of its part of the weights), and its RNG
  // is its own: rank 0 gathers them all into the one checkpoint.
  const std::string mine = io::save_state_to_bytes(local_state());
  const auto parts = collective_->gather_bytes(as_bytes(mine), 0);
  if (collective_->rank() != 0) return {};
  StateDict st = trainer_state();
  st.set("dist.world_size", static_cast<int64_t>(collective_->world_size()));
  st.set("optim.type", std::string(optim_method().type_name()));
  for (size_t r = 0; r < parts.size(); ++r) {
    const StateDict part = io::load_state_from_bytes(as_chars(parts[r]), "rank " + std::to_string(r) + "'s state");
    st.merge(part.sub("optim."), "optim.rank" + std::to_string(r) + ".");
    st.merge(part.sub("rng."), "rng.rank" + std::to_string(r) + ".");
  }
  return st;
}

}  // namespace ember::dist
