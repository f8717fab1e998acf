#include "ember/dist/distributed_optimizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <thread>

#include "common/gradient_check.h"
#include "ember/data/mnist.h"
#include "ember/io/checkpoint.h"
#include "ember/models/models.h"
#include "ember/nn/all.h"
#include "ember/optim/methods/adam.h"
#include "ember/optim/methods/lbfgs.h"
#include "ember/optim/methods/sgd.h"
#include "ember/optim/schedules/step.h"
#include "ember/summary/summary.h"
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"

// Ranks run as threads of this process, each with its own Collective over 127.0.0.1. What they
// share is the process-global state: the default RNG (models are built on the main thread, and
// hold no dropout) and the thread pool. Every rank starts from rank 0's weights anyway: the ranks'
// models are built with different seeds to show the initial broadcast. On resume every rank
// restores its saved RNG state into the one default generator; here all ranks saved the same
// state (one generator), so the threads write equal values.

namespace ember::dist {
namespace {

namespace fs = std::filesystem;
using namespace nn;
using train::LogOptions;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("ember_dist_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// Runs body(rank, collective) on one thread per rank, each with its own Collective; returns what
// every rank threw (null where it returned).
std::vector<std::exception_ptr> run_ranks(int world, const std::function<void(int, std::shared_ptr<Collective>)>& body,
                                          double timeout = 30) {
  std::vector<std::optional<Listener>> listeners(world);
  std::vector<std::string> peers;
  for (int r = 0; r < world; ++r) {
    listeners[r].emplace("127.0.0.1");
    peers.push_back("127.0.0.1:" + std::to_string(listeners[r]->port()));
  }
  std::vector<std::exception_ptr> errors(world);
  std::vector<std::thread> threads;
  for (int r = 0; r < world; ++r) {
    threads.emplace_back([&, r] {
      try {
        auto c = std::make_shared<Collective>(
            std::move(*listeners[r]), CollectiveOptions{.rank = r,
                                                        .world_size = world,
                                                        .peers = peers,
                                                        .secret = std::vector<uint8_t>(32, 0x5a),
                                                        .timeout = timeout});
        body(r, c);
      } catch (...) {
        errors[r] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  return errors;
}

std::string message(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  }
}

void expect_no_errors(const std::vector<std::exception_ptr>& errors) {
  for (size_t r = 0; r < errors.size(); ++r)
    if (errors[r]) ADD_FAILURE() << "rank " << r << " threw: " << message(errors[r]);
}

// Gaussian blobs: 4 features, 3 classes (class c shifts feature c); labels int64.
std::shared_ptr<data::ArrayDataSet> blobs(int64_t n, uint64_t seed, DType dtype = DType::Float64) {
  Generator g(seed);
  Tensor x = Tensor::empty({n, 4}, DType::Float64);
  Tensor y = Tensor::empty({n}, DType::Int64);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = static_cast<int64_t>(g.next_below(3));
    y.data<int64_t>()[i] = c;
    for (int64_t j = 0; j < 4; ++j) x.data<double>()[i * 4 + j] = (j == c ? 1.5 : 0.0) + 0.7 * g.next_normal();
  }
  return std::make_shared<data::ArrayDataSet>(x.to(dtype), y);
}

// The samples (shard, index) in this order, as one data set.
std::shared_ptr<data::ArrayDataSet> gather(const std::vector<std::shared_ptr<data::ArrayDataSet>>& shards,
                                           const std::vector<std::pair<int, int64_t>>& picks) {
  const auto n = static_cast<int64_t>(picks.size());
  Tensor x = Tensor::empty({n, 4}, shards[0]->features().dtype());
  Tensor y = Tensor::empty({n}, DType::Int64);
  for (int64_t k = 0; k < n; ++k) {
    const auto& [r, i] = picks[k];
    x.narrow(0, k, 1).copy_(shards[r]->features().narrow(0, i, 1));
    y.narrow(0, k, 1).copy_(shards[r]->labels().narrow(0, i, 1));
  }
  return std::make_shared<data::ArrayDataSet>(x, y);
}

// What a distributed run without shuffling trains on over `epochs`, as one local data set whose
// batch k of size B is the union of the ranks' batches k: every epoch has ceil(total / B)
// iterations; rank r takes B / R (+1 for r < B % R) samples per iteration, walking round its shard.
std::shared_ptr<data::ArrayDataSet> interleaved(const std::vector<std::shared_ptr<data::ArrayDataSet>>& shards,
                                                int64_t B, int64_t epochs) {
  const int R = static_cast<int>(shards.size());
  int64_t total = 0;
  for (const auto& s : shards) total += s->size();
  const int64_t iters = (total + B - 1) / B;
  std::vector<std::pair<int, int64_t>> picks;
  for (int64_t e = 0; e < epochs; ++e)
    for (int64_t k = 0; k < iters; ++k)
      for (int r = 0; r < R; ++r) {
        const int64_t b = B / R + (r < B % R ? 1 : 0), n = shards[r]->size();
        for (int64_t j = 0; j < b; ++j) picks.emplace_back(r, (e * iters * b + k * b + j) % n);
      }
  return gather(shards, picks);
}

// A small MLP without dropout or batch norm; L2 regularization on the first layer's weight.
ModulePtr mlp(DType dtype, uint64_t seed) {
  manual_seed(seed);
  auto fc1 = std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 8});
  fc1->set_regularizer("weight", {.l2 = 1e-2});
  auto model = std::make_shared<Sequential>(std::vector<ModulePtr>{
      fc1, std::make_shared<Tanh>(), std::make_shared<Linear>(LinearOptions{.in_features = 8, .out_features = 3}),
      std::make_shared<LogSoftMax>()});
  model->to(dtype);
  return model;
}

Tensor weights_of(const ModulePtr& m) { return m->get_parameters().first; }

double relative_diff(const Tensor& a, const Tensor& b) {
  return max_abs_diff(a, b) / std::max(max(abs(b)).item(), 1e-300);
}

std::shared_ptr<optim::OptimMethod> sgd_momentum() {
  auto m = std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 0.2, .momentum = 0.9});
  m->set_schedule(std::make_shared<optim::Step>(optim::StepOptions{.step_size = 5, .gamma = 0.5}));
  return m;
}
std::shared_ptr<optim::OptimMethod> adam() {
  return std::make_shared<optim::Adam>(optim::AdamOptions{.learning_rate = 0.02});
}

LogOptions quiet() { return LogOptions{.stream = nullptr}; }

struct TrainSetup {
  std::function<std::shared_ptr<optim::OptimMethod>()> method = sgd_momentum;
  bool shuffle = false;
  double clip_norm = 0;  // 0: no clipping
};

void configure(train::Optimizer& opt, const TrainSetup& s) {
  opt.set_optim_method(s.method()).set_log(quiet()).set_data_options({.shuffle = s.shuffle, .seed = 3});
  if (s.clip_norm > 0) opt.set_gradient_clipping_by_l2_norm(s.clip_norm);
}

// Trains `models[r]` on `shards[r]` on every rank; returns every rank's history.
std::vector<std::vector<train::IterationRecord>> train_distributed(
    const std::vector<ModulePtr>& models, const std::vector<std::shared_ptr<data::ArrayDataSet>>& shards, int64_t B,
    const optim::Trigger& end, const TrainSetup& s) {
  const int R = static_cast<int>(shards.size());
  std::vector<std::vector<train::IterationRecord>> histories(R);
  expect_no_errors(run_ranks(R, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, models[r], shards[r], std::make_shared<ClassNLLCriterion>(), B);
    configure(opt, s);
    opt.set_end_when(end).optimize();
    histories[r] = opt.history();
  }));
  return histories;
}

std::vector<train::IterationRecord> train_local(const ModulePtr& model, std::shared_ptr<data::ArrayDataSet> set,
                                                int64_t B, const optim::Trigger& end, const TrainSetup& s) {
  train::Optimizer opt(model, std::move(set), std::make_shared<ClassNLLCriterion>(), B);
  configure(opt, s);
  opt.set_end_when(end).optimize();
  return opt.history();
}

// ---- (a) the same numbers as local training with the global batch ---------------------------------

struct EqualityCase {
  std::string name;
  DType dtype;
  double tolerance;
  std::function<std::shared_ptr<optim::OptimMethod>()> method;
};

TEST(DistributedOptimizerTest, TwoRanksEqualLocalTrainingWithTheGlobalBatch) {
  const std::vector<EqualityCase> cases = {{"sgd momentum float64", DType::Float64, 1e-10, sgd_momentum},
                                           {"adam float64", DType::Float64, 1e-10, adam},
                                           {"sgd momentum float32", DType::Float32, 1e-4, sgd_momentum},
                                           {"adam float32", DType::Float32, 1e-4, adam}};
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    const std::vector<std::shared_ptr<data::ArrayDataSet>> shards = {blobs(32, 11, tc.dtype), blobs(32, 12, tc.dtype)};
    const int64_t B = 8, N = 12;  // 8 iterations per epoch: N crosses an epoch boundary
    const TrainSetup setup{.method = tc.method, .clip_norm = 0.3};
    std::vector<ModulePtr> models = {mlp(tc.dtype, 1), mlp(tc.dtype, 2)};  // rank 1 starts elsewhere
    ModulePtr local = mlp(tc.dtype, 3), unclipped = mlp(tc.dtype, 4);
    weights_of(local).copy_(weights_of(models[0]));
    weights_of(unclipped).copy_(weights_of(models[0]));

    const auto histories = train_distributed(models, shards, B, optim::Trigger::max_iteration(N), setup);
    const auto local_history =
        train_local(local, interleaved(shards, B, 1), B, optim::Trigger::max_iteration(N), setup);

    EXPECT_EQ(max_abs_diff(weights_of(models[0]), weights_of(models[1])), 0.0);  // bitwise
    EXPECT_LE(relative_diff(weights_of(models[0]), weights_of(local)), tc.tolerance);
    ASSERT_EQ(histories[0].size(), static_cast<size_t>(N));
    ASSERT_EQ(local_history.size(), static_cast<size_t>(N));
    for (int64_t i = 0; i < N; ++i) {
      // Every rank reports the global loss: the mean over the global batch.
      EXPECT_EQ(histories[0][i].loss, histories[1][i].loss);
      EXPECT_NEAR(histories[0][i].loss, local_history[i].loss, tc.tolerance * std::abs(local_history[i].loss));
      EXPECT_EQ(histories[0][i].learning_rate, local_history[i].learning_rate);
    }
    // Clipping was active (else the shard-wise clipping would go untested).
    train_local(unclipped, interleaved(shards, B, 1), B, optim::Trigger::max_iteration(N), {.method = tc.method});
    EXPECT_GT(relative_diff(weights_of(unclipped), weights_of(local)), 1e-3);
  }
}

// ---- (b) uneven shards and a global batch the ranks do not divide ----------------------------------

TEST(DistributedOptimizerTest, UnevenShardsAndAnyGlobalBatch) {
  struct Case {
    std::vector<int64_t> sizes;
    int64_t B;
  };
  for (const Case& tc : {Case{{37, 20}, 7}, Case{{13, 9, 25}, 10}}) {
    SCOPED_TRACE("global batch " + std::to_string(tc.B) + " on " + std::to_string(tc.sizes.size()) + " ranks");
    const int R = static_cast<int>(tc.sizes.size());
    std::vector<std::shared_ptr<data::ArrayDataSet>> shards;
    std::vector<ModulePtr> models;
    int64_t total = 0;
    for (int r = 0; r < R; ++r) {
      shards.push_back(blobs(tc.sizes[r], 30 + r));
      models.push_back(mlp(DType::Float64, 10 + r));
      total += tc.sizes[r];
    }
    const int64_t iters = (total + tc.B - 1) / tc.B, epochs = 3;  // 57 / 7 -> 9, 47 / 10 -> 5
    ModulePtr local = mlp(DType::Float64, 20);
    weights_of(local).copy_(weights_of(models[0]));
    const TrainSetup setup;
    const auto histories = train_distributed(models, shards, tc.B, optim::Trigger::max_epoch(epochs), setup);
    // The local run reads what the ranks read, epoch after epoch, as one long epoch.
    const auto local_history =
        train_local(local, interleaved(shards, tc.B, epochs), tc.B, optim::Trigger::max_epoch(1), setup);
    for (int r = 0; r < R; ++r) {
      ASSERT_EQ(static_cast<int64_t>(histories[r].size()), epochs * iters) << "rank " << r;
      EXPECT_EQ(histories[r].back().epoch, epochs);
      EXPECT_EQ(max_abs_diff(weights_of(models[r]), weights_of(models[0])), 0.0) << "rank " << r;
    }
    ASSERT_EQ(static_cast<int64_t>(local_history.size()), epochs * iters);
    EXPECT_LE(relative_diff(weights_of(models[0]), weights_of(local)), 1e-10);
    for (int64_t i = 0; i < epochs * iters; ++i)
      EXPECT_NEAR(histories[0][i].loss, local_history[i].loss, 1e-10 * local_history[i].loss);
    double first = 0, last = 0;
    for (int64_t i = 0; i < iters; ++i) {
      first += histories[0][i].loss;
      last += histories[0][(epochs - 1) * iters + i].loss;
    }
    EXPECT_LT(last, 0.8 * first);
  }
}

TEST(DistributedOptimizerTest, ShuffledUnevenShardsTrainAlike) {
  const std::vector<std::shared_ptr<data::ArrayDataSet>> shards = {blobs(37, 40, DType::Float32),
                                                                   blobs(20, 41, DType::Float32)};
  std::vector<ModulePtr> models = {mlp(DType::Float32, 1), mlp(DType::Float32, 2)};
  const auto histories =
      train_distributed(models, shards, 7, optim::Trigger::max_epoch(4), {.method = adam, .shuffle = true});
  ASSERT_EQ(histories[0].size(), 36u);
  ASSERT_EQ(histories[1].size(), 36u);
  EXPECT_EQ(max_abs_diff(weights_of(models[0]), weights_of(models[1])), 0.0);
  double first = 0, last = 0;
  for (int i = 0; i < 9; ++i) {
    first += histories[0][i].loss;
    last += histories[0][27 + i].loss;
  }
  EXPECT_LT(last, 0.8 * first);
}

// ---- (c) validation over every rank's shard -------------------------------------------------------

TEST(DistributedOptimizerTest, ValidationMergesEveryRanksShard) {
  const std::vector<std::shared_ptr<data::ArrayDataSet>> shards = {blobs(24, 50), blobs(24, 51)};
  const std::vector<std::shared_ptr<data::ArrayDataSet>> val = {blobs(13, 52), blobs(20, 53)};
  std::vector<ModulePtr> models = {mlp(DType::Float64, 1), mlp(DType::Float64, 2)};
  std::vector<std::vector<train::ValidationRecord>> records(2);
  expect_no_errors(run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, models[r], shards[r], std::make_shared<ClassNLLCriterion>(), 8);
    configure(opt, {});
    opt.set_end_when(optim::Trigger::max_epoch(2))
        .set_validation(optim::Trigger::every_epoch(), val[r],
                        {optim::make_validation_method("top1"),
                         optim::make_validation_method("loss", std::make_shared<ClassNLLCriterion>())},
                        5)
        .optimize();
    records[r] = opt.validation_history();
  }));
  ASSERT_EQ(records[0].size(), 2u);
  ASSERT_EQ(records[1].size(), 2u);
  // The last validation ran with the final weights: evaluate the whole validation set locally.
  std::vector<std::pair<int, int64_t>> all;
  for (int r = 0; r < 2; ++r)
    for (int64_t i = 0; i < val[r]->size(); ++i) all.emplace_back(r, i);
  const auto expected = train::Optimizer::evaluate(
      *models[0], gather(val, all),
      {optim::make_validation_method("top1"),
       optim::make_validation_method("loss", std::make_shared<ClassNLLCriterion>())},
      33);
  for (int r = 0; r < 2; ++r) {
    const auto& got = records[r].back().results;
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].name, "Top1Accuracy");
    EXPECT_EQ(got[0].count, 33);
    EXPECT_EQ(got[0].total, expected[0].total);
    EXPECT_EQ(got[1].count, expected[1].count);
    EXPECT_NEAR(got[1].total, expected[1].total, 1e-12 * expected[1].total);
  }
}

// ---- (d) checkpoint on rank 0, resume exactly --------------------------------------------------------

TEST(DistributedOptimizerTest, ResumingFromACheckpointContinuesExactly) {
  TempDir dir;
  // Uneven shards (the epoch view walks round them), shuffled, Adam (sharded moments), a schedule.
  const std::vector<std::shared_ptr<data::ArrayDataSet>> shards = {blobs(37, 60), blobs(20, 61)};
  const TrainSetup setup{.method = adam, .shuffle = true};
  const int64_t B = 7, N = 13, total = 25;  // 9 iterations per epoch: stop mid-epoch 2, end in epoch 3

  std::vector<ModulePtr> straight = {mlp(DType::Float64, 1), mlp(DType::Float64, 2)};
  train_distributed(straight, shards, B, optim::Trigger::max_iteration(total), setup);

  std::vector<ModulePtr> first = {mlp(DType::Float64, 1), mlp(DType::Float64, 2)};
  std::vector<std::string> written(2);
  expect_no_errors(run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, first[r], shards[r], std::make_shared<ClassNLLCriterion>(), B);
    configure(opt, setup);
    opt.set_end_when(optim::Trigger::max_iteration(N))
        .set_checkpoint(dir.path.string(), optim::Trigger::several_iteration(N), 2)
        .optimize();
    written[r] = opt.last_checkpoint();
  }));
  EXPECT_NE(written[0], "");
  EXPECT_EQ(written[1], "");  // only rank 0 writes
  // One checkpoint, with the full weights and every rank's optim shard.
  const io::Checkpoint ckpt = io::CheckpointManager::load(dir.path.string());
  EXPECT_EQ(ckpt.state.integer("dist.world_size"), 2);
  EXPECT_EQ(ckpt.state.integer("trainer.iteration"), N);
  EXPECT_EQ(ckpt.state.string("optim.type"), "optim.Adam");
  const int64_t n = weights_of(first[0]).numel();
  int64_t state_elements = 0;
  for (int r = 0; r < 2; ++r) {
    const StateDict part = ckpt.state.sub("optim.rank" + std::to_string(r) + ".");
    EXPECT_EQ(part.integer("iteration"), N);
    for (const auto& [key, value] : part.items())
      if (const Tensor* t = std::get_if<Tensor>(&value)) state_elements += t->numel();
    EXPECT_TRUE(ckpt.state.contains("rng.rank" + std::to_string(r) + ".s"));
  }
  const auto [b1, e1] = Collective::shard_range(n, 2, 1);
  EXPECT_EQ(ckpt.state.sub("optim.rank1.").tensor("exp_avg").numel(), e1 - b1) << "sharded moments";
  EXPECT_EQ(state_elements, 2 * n);  // first and second moments of every weight, once

  // Fresh models (other weights) and optimizers; only rank 0 is told where to resume.
  std::vector<ModulePtr> resumed = {mlp(DType::Float64, 7), mlp(DType::Float64, 8)};
  std::vector<int64_t> iterations(2);
  expect_no_errors(run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, resumed[r], shards[r], std::make_shared<ClassNLLCriterion>(), B);
    configure(opt, setup);
    opt.set_end_when(optim::Trigger::max_iteration(total));
    if (r == 0) opt.resume_from(dir.path.string());
    opt.optimize();
    iterations[r] = opt.state().iteration;
  }));
  EXPECT_EQ(iterations, (std::vector<int64_t>{total, total}));
  for (int r = 0; r < 2; ++r)
    EXPECT_EQ(max_abs_diff(weights_of(resumed[r]), weights_of(straight[0])), 0.0) << "rank " << r;
  EXPECT_GT(max_abs_diff(weights_of(first[0]), weights_of(straight[0])), 0.0);

  // Another world size cannot take over the optim shards: rank 0 says why, the others that rank 0 failed.
  const std::vector<std::shared_ptr<data::ArrayDataSet>> three = {blobs(10, 1), blobs(10, 2), blobs(10, 3)};
  const std::vector<ModulePtr> models3 = {mlp(DType::Float64, 1), mlp(DType::Float64, 2), mlp(DType::Float64, 3)};
  const auto errors = run_ranks(3, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, models3[r], three[r], std::make_shared<ClassNLLCriterion>(), B);
    configure(opt, setup);
    opt.set_end_when(optim::Trigger::max_iteration(total)).resume_from(dir.path.string());
    opt.optimize();
  });
  ASSERT_TRUE(errors[0] && errors[1] && errors[2]);
  EXPECT_NE(message(errors[0]).find("[dist.DistributedOptimizer rank 0] checkpoint '" + written[0] +
                                    "' was written by 2 ranks, this run has 3"),
            std::string::npos)
      << message(errors[0]);
  for (int r = 1; r < 3; ++r) {
    try {
      std::rethrow_exception(errors[r]);
    } catch (const CollectiveError& e) {
      EXPECT_EQ(e.failed_rank(), 0);
      EXPECT_NE(e.cause().find("was written by 2 ranks"), std::string::npos) << e.cause();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "rank " << r << ": expected a CollectiveError, got " << e.what();
    }
  }
}

// ---- (e) a failure on one rank fails every rank -------------------------------------------------------

// Throws when sample `bad` is read.
class CorruptDataSet final : public data::DataSet {
 public:
  CorruptDataSet(std::shared_ptr<data::ArrayDataSet> inner, int64_t bad) : inner_(std::move(inner)), bad_(bad) {}
  int64_t size() const override { return inner_->size(); }
  data::Sample get(int64_t index) const override {
    if (index == bad_) throw IOError("[test] sample " + std::to_string(index) + " is corrupt");
    return inner_->get(index);
  }
  std::string repr() const override { return "CorruptDataSet"; }

 private:
  std::shared_ptr<data::ArrayDataSet> inner_;
  int64_t bad_;
};

TEST(DistributedOptimizerTest, AnExceptionOnOneRankFailsEveryRankNamingIt) {
  const std::vector<ModulePtr> models = {mlp(DType::Float64, 1), mlp(DType::Float64, 2)};
  const auto errors = run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    std::shared_ptr<const data::DataSet> shard = blobs(32, 70 + r);
    if (r == 1) shard = std::make_shared<CorruptDataSet>(blobs(32, 71), 21);  // read in iteration 6
    DistributedOptimizer opt(c, models[r], shard, std::make_shared<ClassNLLCriterion>(), 8);
    configure(opt, {});
    opt.set_end_when(optim::Trigger::max_epoch(3)).optimize();
  }, /*timeout=*/120);
  ASSERT_TRUE(errors[0] && errors[1]);
  EXPECT_NE(message(errors[1]).find("sample 21 is corrupt"), std::string::npos) << message(errors[1]);
  try {
    std::rethrow_exception(errors[0]);
  } catch (const CollectiveError& e) {
    EXPECT_EQ(e.failed_rank(), 1);
    EXPECT_NE(e.cause().find("sample 21 is corrupt"), std::string::npos) << e.cause();
    EXPECT_NE(std::string(e.what()).find("rank 1"), std::string::npos) << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "rank 0: expected a CollectiveError, got " << e.what();
  }
}

// ---- (f) an empty shard; bfloat16 gradients -----------------------------------------------------------

TEST(DistributedOptimizerTest, AnEmptyShardIsAnErrorNamingTheRank) {
  const std::vector<ModulePtr> models = {mlp(DType::Float64, 1), mlp(DType::Float64, 2)};
  const auto errors = run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    auto shard = r == 1 ? blobs(0, 1) : blobs(16, 1);
    DistributedOptimizer opt(c, models[r], shard, std::make_shared<ClassNLLCriterion>(), 8);
    configure(opt, {});
    opt.set_end_when(optim::Trigger::max_epoch(1)).optimize();
  });
  ASSERT_TRUE(errors[0] && errors[1]);
  EXPECT_NE(message(errors[1]).find("[dist.DistributedOptimizer rank 1] the training shard is empty: every rank "
                                    "needs at least one sample"),
            std::string::npos)
      << message(errors[1]);
  try {
    std::rethrow_exception(errors[0]);
  } catch (const CollectiveError& e) {
    EXPECT_EQ(e.failed_rank(), 1);
    EXPECT_NE(std::string(e.what()).find("rank 1"), std::string::npos) << e.what();
    // Rank 1 aborts in its constructor and closes while rank 0 may be starting to send: the
    // collective then reports the lost connection to rank 1 (the sending side sees a broken pipe
    // before it reads rank 1's abort frame, a few runs in a hundred) instead of rank 1's cause.
    const bool cause = e.cause().find("the training shard is empty") != std::string::npos;
    const bool lost = e.cause().find("connection to rank 1") != std::string::npos;
    EXPECT_TRUE(cause || lost) << e.cause();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "rank 0: expected a CollectiveError, got " << e.what();
  }
}

TEST(DistributedOptimizerTest, Bfloat16GradientsTrain) {
  const std::vector<std::shared_ptr<data::ArrayDataSet>> shards = {blobs(40, 80, DType::Float32),
                                                                   blobs(40, 81, DType::Float32)};
  std::vector<ModulePtr> compressed = {mlp(DType::Float32, 1), mlp(DType::Float32, 2)};
  std::vector<ModulePtr> native = {mlp(DType::Float32, 1), mlp(DType::Float32, 2)};
  std::vector<std::vector<train::IterationRecord>> histories(2);
  expect_no_errors(run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, compressed[r], shards[r], std::make_shared<ClassNLLCriterion>(), 10);
    configure(opt, {});
    opt.set_gradient_compression(true).set_end_when(optim::Trigger::max_epoch(4)).optimize();
    histories[r] = opt.history();
  }));
  train_distributed(native, shards, 10, optim::Trigger::max_epoch(4), {});
  ASSERT_EQ(histories[0].size(), 32u);
  EXPECT_EQ(max_abs_diff(weights_of(compressed[0]), weights_of(compressed[1])), 0.0);
  EXPECT_LT(histories[0].back().loss, 0.8 * histories[0].front().loss);
  // The gradients did travel as bfloat16: the result is near the float32 run's, not equal to it.
  EXPECT_GT(max_abs_diff(weights_of(compressed[0]), weights_of(native[0])), 0.0);
  EXPECT_LT(relative_diff(weights_of(compressed[0]), weights_of(native[0])), 0.1);
}

TEST(DistributedOptimizerTest, LeNetLearnsRealMnistOnTwoRanks) {
  const std::string dir = std::string(EMBER_SOURCE_DIR) + "/data/mnist";
  if (!fs::exists(dir + "/t10k-images-idx3-ubyte") && !fs::exists(dir + "/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "MNIST not fetched (scripts/fetch-data)";
  // The 10000 test images: 8000 to train on (two shards of 4000), 2000 to validate (1000 per rank).
  auto all = data::load_mnist(dir, {.train = false});
  auto part = [&](int64_t begin, int64_t n) {
    return std::make_shared<data::ArrayDataSet>(all->features().narrow(0, begin, n), all->labels().narrow(0, begin, n));
  };
  manual_seed(1);
  const std::vector<ModulePtr> models = {models::lenet5(), models::lenet5()};
  std::vector<double> accuracy(2);
  expect_no_errors(run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, models[r], part(4000 * r, 4000), std::make_shared<ClassNLLCriterion>(), 32);
    opt.set_optim_method(std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 0.05, .momentum = 0.9}))
        .set_end_when(optim::Trigger::max_epoch(1))
        .set_validation(optim::Trigger::every_epoch(), part(8000 + 1000 * r, 1000),
                        {optim::make_validation_method("top1")})
        .set_log(quiet())
        .optimize();
    EXPECT_EQ(opt.validation_history().back().results[0].count, 2000);
    accuracy[r] = opt.validation_history().back().results[0].value();
  }));
  EXPECT_EQ(accuracy[0], accuracy[1]);
  EXPECT_GT(accuracy[0], 0.93);
}

// ---- what the ranks must agree on, and what is refused -------------------------------------------------

// An optim method that evaluates the model twice per step.
class TwiceSGD final : public optim::OptimMethod {
 public:
  std::string_view type_name() const override { return "test.TwiceSGD"; }
  nn::Config config() const override { return {}; }
  std::unique_ptr<OptimMethod> clone() const override { return std::make_unique<TwiceSGD>(); }
  double base_learning_rate() const override { return 0.1; }

 protected:
  double step(const optim::Feval& feval, Tensor& weights, double lr) override {
    const double loss = feval(weights).first;
    add_(weights, feval(weights).second, -lr);
    return loss;
  }
};

// Runs 2 ranks with the same set-up except for `tweak(rank, optimizer)`; returns the errors.
std::vector<std::exception_ptr> run_two(const std::function<void(int, DistributedOptimizer&)>& tweak,
                                        DType dtype = DType::Float64) {
  const std::vector<ModulePtr> models = {mlp(dtype, 1), mlp(dtype, 2)};
  return run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, models[r], blobs(16, r, dtype), std::make_shared<ClassNLLCriterion>(), 8);
    configure(opt, {});
    opt.set_end_when(optim::Trigger::max_epoch(1));
    tweak(r, opt);
    opt.optimize();
  });
}

void expect_every_rank(const std::vector<std::exception_ptr>& errors, const std::string& text) {
  for (size_t r = 0; r < errors.size(); ++r) {
    ASSERT_TRUE(errors[r]) << "rank " << r << " did not throw";
    EXPECT_NE(message(errors[r]).find(text), std::string::npos) << "rank " << r << ": " << message(errors[r]);
  }
}

TEST(DistributedOptimizerTest, ErrorsNameTheProblem) {
  auto c = std::shared_ptr<Collective>();
  EXPECT_THROW_WITH(DistributedOptimizer(c, mlp(DType::Float64, 1), blobs(4, 1), std::make_shared<ClassNLLCriterion>(),
                                         8),
                    ValueError, "[dist.DistributedOptimizer] collective is null");
  // A global batch smaller than the world: every rank must train at least one sample.
  const std::vector<ModulePtr> models = {mlp(DType::Float64, 1), mlp(DType::Float64, 2)};
  const auto small = run_ranks(2, [&](int r, std::shared_ptr<Collective> col) {
    DistributedOptimizer opt(col, models[r], blobs(4, 1), std::make_shared<ClassNLLCriterion>(), 1);
  });
  expect_every_rank(small, "global_batch_size must be >= the world size 2 (every rank trains at least one sample "
                           "per iteration), got 1");

  // Ranks set up differently would pair unrelated collectives: refused before the first iteration.
  expect_every_rank(run_two([](int r, DistributedOptimizer& o) {
                      if (r == 1) o.set_end_when(optim::Trigger::max_epoch(2));
                    }),
                    "] every rank must be set up alike, but rank 1 has end_when=max_epoch(2) where rank 0 has "
                    "end_when=max_epoch(1)");
  expect_every_rank(run_two([](int r, DistributedOptimizer& o) {
                      if (r == 1) o.set_gradient_clipping_by_l2_norm(1.0);
                    }),
                    "rank 1 has clipping=l2_norm(1) where rank 0 has clipping=none");

  expect_every_rank(run_two([](int, DistributedOptimizer& o) { o.set_optim_method(std::make_shared<optim::LBFGS>()); }),
                    "optim.LBFGS cannot train distributed");
  expect_every_rank(run_two([](int, DistributedOptimizer& o) { o.set_optim_method(std::make_shared<TwiceSGD>()); }),
                    "test.TwiceSGD evaluated the model twice in one step");
  expect_every_rank(run_two([](int, DistributedOptimizer& o) { o.set_gradient_compression(true); }),
                    "gradient compression sends float32 gradients as bfloat16; this model's gradients are float64");
  // Divergence is seen on the global loss, so every rank stops with the same message.
  expect_every_rank(run_two([](int, DistributedOptimizer& o) {
                      o.set_optim_method(std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 1e300}));
                    }),
                    "training diverged");
}

TEST(DistributedOptimizerTest, RankZeroWritesTheSummaries) {
  TempDir dir;
  const std::vector<ModulePtr> models = {mlp(DType::Float64, 1), mlp(DType::Float64, 2)};
  std::vector<std::shared_ptr<summary::TrainSummary>> train(2);
  std::vector<std::shared_ptr<summary::ValidationSummary>> val(2);
  std::vector<std::vector<train::IterationRecord>> histories(2);
  for (int r = 0; r < 2; ++r) {
    const std::string app = "rank" + std::to_string(r);
    train[r] = std::make_shared<summary::TrainSummary>(dir.path.string(), app);
    train[r]->set_summary_trigger("Parameters", optim::Trigger::every_epoch());  // weight histograms only
    val[r] = std::make_shared<summary::ValidationSummary>(dir.path.string(), app);
  }
  expect_no_errors(run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
    DistributedOptimizer opt(c, models[r], blobs(16, r), std::make_shared<ClassNLLCriterion>(), 8);
    configure(opt, {});
    opt.set_end_when(optim::Trigger::max_epoch(2))
        .set_validation(optim::Trigger::every_epoch(), blobs(6, 9 + r), {optim::make_validation_method("top1")})
        .set_train_summary(train[r])
        .set_validation_summary(val[r])
        .optimize();
    histories[r] = opt.history();
  }));
  const auto losses = train[0]->read_scalar("Loss");
  ASSERT_EQ(losses.size(), 8u);  // 32 samples, global batch 8, 2 epochs
  for (size_t i = 0; i < losses.size(); ++i) EXPECT_FLOAT_EQ(losses[i].value, static_cast<float>(histories[0][i].loss));
  EXPECT_EQ(val[0]->read_scalar("Top1Accuracy").size(), 2u);
  EXPECT_TRUE(train[1]->read_scalar("Loss").empty());
  EXPECT_TRUE(val[1]->read_scalar("Top1Accuracy").empty());
}

// ---- the log -----------------------------------------------------------------------------------------

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string text(1 << 16, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  return text;
}

TEST(DistributedOptimizerTest, RankZeroLogsTheGlobalBatchAndTheCollectivePhases) {
  for (bool all_ranks : {false, true}) {
    std::vector<std::FILE*> files = {std::tmpfile(), std::tmpfile()};
    ASSERT_TRUE(files[0] && files[1]);
    const std::vector<ModulePtr> models = {mlp(DType::Float64, 1), mlp(DType::Float64, 2)};
    expect_no_errors(run_ranks(2, [&](int r, std::shared_ptr<Collective> c) {
      DistributedOptimizer opt(c, models[r], blobs(12, r), std::make_shared<ClassNLLCriterion>(), 7);
      configure(opt, {});
      opt.set_log({.stream = files[r], .progress_bar = LogOptions::Bar::Off, .all_ranks = all_ranks})
          .set_end_when(optim::Trigger::max_epoch(1))
          .optimize();
    }));
    const std::string zero = read_all(files[0]), one = read_all(files[1]);
    for (auto* f : files) std::fclose(f);
    const std::string prefix = all_ranks ? "[Rank 0] " : "";
    // 24 samples, global batch 7: 4 iterations of 7 (rank 0: 4 samples, rank 1: 3).
    EXPECT_NE(zero.find(prefix + "[Epoch 1 7/28][Iteration 1]"), std::string::npos) << zero;
    EXPECT_NE(zero.find("Trained 7 records"), std::string::npos) << zero;
    EXPECT_NE(zero.find(" Time: data "), std::string::npos) << zero;
    EXPECT_NE(zero.find(", compute "), std::string::npos) << zero;
    EXPECT_NE(zero.find("reduce-scatter"), std::string::npos) << zero;
    EXPECT_NE(zero.find("all-gather"), std::string::npos) << zero;
    EXPECT_NE(zero.find(prefix + "[Epoch 1 done] 28 records"), std::string::npos) << zero;
    if (all_ranks) {
      EXPECT_NE(one.find("[Rank 1] [Epoch 1 28/28][Iteration 4]"), std::string::npos) << one;
    } else {
      EXPECT_EQ(one, "");
    }
  }
}

}  // namespace
}  // namespace ember::dist
