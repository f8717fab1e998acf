#include "ember/train/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "common/gradient_check.h"
#include "ember/data/mnist.h"
#include "ember/io/checkpoint.h"
#include "ember/models/models.h"
#include "ember/nn/all.h"
#include "ember/optim/methods/sgd.h"
#include "ember/optim/schedules/step.h"
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"

namespace ember::train {
namespace {

namespace fs = std::filesystem;
using namespace nn;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("ember_train_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// Two Gaussian blobs per class in 4-d, 3 classes; labels int64.
std::shared_ptr<data::ArrayDataSet> blobs(int64_t n, uint64_t seed) {
  Generator g(seed);
  Tensor x = Tensor::empty({n, 4});
  Tensor y = Tensor::empty({n}, DType::Int64);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = static_cast<int64_t>(g.next_below(3));
    y.data<int64_t>()[i] = c;
    for (int64_t j = 0; j < 4; ++j)
      x.data<float>()[i * 4 + j] = static_cast<float>((j == c ? 2.0 : 0.0) + 0.5 * g.next_normal());
  }
  return std::make_shared<data::ArrayDataSet>(x, y);
}

// Dropout (RNG), BatchNorm (buffers) and momentum (optim state) all have to resume exactly.
ModulePtr small_model() {
  return std::make_shared<Sequential>(std::vector<ModulePtr>{
      std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 16}),
      std::make_shared<BatchNorm1d>(BatchNormOptions{.num_features = 16}), std::make_shared<ReLU>(),
      std::make_shared<Dropout>(DropoutOptions{.p = 0.2}),
      std::make_shared<Linear>(LinearOptions{.in_features = 16, .out_features = 3}), std::make_shared<LogSoftMax>()});
}

std::shared_ptr<optim::OptimMethod> sgd() {
  auto m = std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 0.1, .momentum = 0.9});
  m->set_schedule(std::make_shared<optim::Step>(optim::StepOptions{.step_size = 6, .gamma = 0.5}));
  return m;
}

LogOptions quiet() { return LogOptions{.stream = nullptr}; }

Optimizer make_optimizer(ModulePtr model, std::shared_ptr<data::ArrayDataSet> train, int64_t batch) {
  Optimizer opt(std::move(model), std::move(train), std::make_shared<ClassNLLCriterion>(), batch);
  opt.set_optim_method(sgd()).set_log(quiet()).set_data_options({.seed = 7, .num_workers = 1});
  return opt;
}

TEST(OptimizerTest, LearnsAndValidatesEveryEpoch) {
  manual_seed(1);
  auto model = small_model();
  Optimizer opt = make_optimizer(model, blobs(300, 1), 32);
  opt.set_end_when(optim::Trigger::max_epoch(4))
      .set_validation(optim::Trigger::every_epoch(), blobs(200, 2), {optim::make_validation_method("top1")});
  opt.optimize();
  ASSERT_EQ(opt.validation_history().size(), 4u);
  EXPECT_EQ(opt.history().size(), 4u * 10u);  // ceil(300 / 32) = 10 iterations per epoch
  EXPECT_EQ(opt.state().epoch, 5);
  EXPECT_GT(opt.validation_history().back().results[0].value(), 0.9);
  EXPECT_EQ(opt.validation_history().back().results[0].count, 200);
  EXPECT_LT(opt.history().back().loss, opt.history().front().loss);
}

TEST(OptimizerTest, SkipsTheInputGradientWhileTrainingAndRestoresTheFlag) {
  manual_seed(1);
  auto model = small_model();
  Optimizer opt = make_optimizer(model, blobs(64, 1), 32);
  opt.set_end_when(optim::Trigger::max_epoch(1));
  opt.optimize();
  // The first layer never computed an input gradient during training, and the flag is back afterwards.
  EXPECT_TRUE(model->named_children()[0].second->grad_input().empty());
  EXPECT_TRUE(model->propagate_back());
  EXPECT_TRUE(model->named_children()[0].second->propagate_back());
  // A model whose owner turned it off keeps it off.
  model->set_propagate_back(false);
  Optimizer again = make_optimizer(model, blobs(64, 1), 32);
  again.set_end_when(optim::Trigger::max_epoch(1));
  again.optimize();
  EXPECT_FALSE(model->propagate_back());
}

TEST(OptimizerTest, ResumingFromACheckpointContinuesExactly) {
  TempDir dir;
  auto train = blobs(100, 3);  // batch 16: 7 iterations per epoch, the last one with 4 samples
  manual_seed(5);
  auto reference = small_model();
  {
    Optimizer opt = make_optimizer(reference, train, 16);
    opt.set_end_when(optim::Trigger::max_epoch(3)).optimize();
  }
  manual_seed(5);
  auto first = small_model();
  {
    Optimizer opt = make_optimizer(first, train, 16);
    // Stop mid-epoch 2 (iteration 12 = 7 + 5), with a checkpoint every 4 iterations: the last at 12.
    opt.set_end_when(optim::Trigger::max_iteration(12))
        .set_checkpoint(dir.path.string(), optim::Trigger::several_iteration(4), 2)
        .optimize();
    EXPECT_EQ(opt.state().iteration, 12);
  }
  manual_seed(99);  // a different initialization and RNG state: everything must come from the checkpoint
  auto resumed = small_model();
  {
    Optimizer opt = make_optimizer(resumed, train, 16);
    opt.set_end_when(optim::Trigger::max_epoch(3)).resume_from(dir.path.string()).optimize();
    EXPECT_EQ(opt.state().iteration, 21);
  }
  const Tensor a = reference->get_parameters().first, b = resumed->get_parameters().first;
  EXPECT_EQ(max_abs_diff(a, b), 0.0);
  EXPECT_NE(max_abs_diff(first->get_parameters().first, a), 0.0);
  auto bufs_a = reference->named_buffers(), bufs_b = resumed->named_buffers();
  ASSERT_EQ(bufs_a.size(), bufs_b.size());
  for (size_t i = 0; i < bufs_a.size(); ++i) EXPECT_EQ(max_abs_diff(*bufs_a[i].second, *bufs_b[i].second), 0.0);
  // keep_last = 2: checkpoints 8 and 12 remain.
  int count = 0;
  for (const auto& e : fs::directory_iterator(dir.path)) count += e.is_directory() ? 1 : 0;
  EXPECT_EQ(count, 2);
}

TEST(OptimizerTest, SummariesRecordLossAndValidationScores) {
  TempDir dir;
  manual_seed(6);
  auto train_summary = std::make_shared<summary::TrainSummary>(dir.path.string(), "blobs");
  auto val_summary = std::make_shared<summary::ValidationSummary>(dir.path.string(), "blobs");
  Optimizer opt = make_optimizer(small_model(), blobs(64, 6), 16);
  opt.set_end_when(optim::Trigger::max_epoch(2))
      .set_validation(optim::Trigger::every_epoch(), blobs(40, 7), {optim::make_validation_method("top1")})
      .set_train_summary(train_summary)
      .set_validation_summary(val_summary)
      .optimize();
  const auto losses = train_summary->read_scalar("Loss");
  ASSERT_EQ(losses.size(), opt.history().size());
  for (size_t i = 0; i < losses.size(); ++i) {
    EXPECT_EQ(losses[i].step, opt.history()[i].iteration);
    EXPECT_FLOAT_EQ(losses[i].value, static_cast<float>(opt.history()[i].loss));
  }
  EXPECT_EQ(train_summary->read_scalar("LearningRate").front().value, 0.1f);
  const auto scores = val_summary->read_scalar("Top1Accuracy");
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(scores[1].step, 8);  // 64 / 16 = 4 iterations per epoch
  EXPECT_FLOAT_EQ(scores[1].value, static_cast<float>(opt.validation_history()[1].results[0].value()));
}

TEST(OptimizerTest, AnyBatchSizeWorks) {
  // No BatchNorm here: like PyTorch's, it needs two samples per batch in training mode, and batch
  // 1 or a last batch of 1 (50 = 7 * 7 + 1) would be refused with a clear error.
  for (int64_t batch : {1, 7, 64, 1000}) {
    manual_seed(2);
    auto model = std::make_shared<Sequential>(std::vector<ModulePtr>{
        std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 3}), std::make_shared<LogSoftMax>()});
    Optimizer opt = make_optimizer(model, blobs(50, 4), batch);
    opt.set_end_when(optim::Trigger::max_epoch(1)).optimize();
    EXPECT_EQ(static_cast<int64_t>(opt.history().size()), (50 + batch - 1) / batch) << "batch " << batch;
  }
}

TEST(OptimizerTest, GradientClippingByNormBoundsTheStep) {
  manual_seed(3);
  auto model = small_model();
  const Tensor before = model->get_parameters().first.clone();
  Optimizer opt(model, blobs(64, 5), std::make_shared<ClassNLLCriterion>(), 64);
  opt.set_optim_method(std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 1.0}))
      .set_gradient_clipping_by_l2_norm(0.01)
      .set_end_when(optim::Trigger::max_iteration(1))
      .set_log(quiet())
      .optimize();
  const Tensor step = sub(model->get_parameters().first, before);
  EXPECT_LE(std::sqrt(sum(mul(step, step)).item()), 0.01 + 1e-6);
}

TEST(OptimizerTest, ErrorsNameTheProblem) {
  EXPECT_THROW_WITH(Optimizer(small_model(), blobs(10, 1), std::make_shared<ClassNLLCriterion>(), 0), ValueError,
                    "[Optimizer] batch_size must be >= 1, got 0");
  TempDir dir;
  manual_seed(4);
  {
    Optimizer opt = make_optimizer(small_model(), blobs(32, 1), 16);
    opt.set_end_when(optim::Trigger::max_iteration(2))
        .set_checkpoint(dir.path.string(), optim::Trigger::several_iteration(2))
        .optimize();
  }
  auto other = models::lenet5();
  Optimizer opt(other, blobs(32, 1), std::make_shared<ClassNLLCriterion>(), 16);
  opt.set_log(quiet()).resume_from(dir.path.string());
  EXPECT_THROW_WITH(opt.optimize(), ValueError, "from another model");
  // A learning rate that makes the loss overflow stops training with a clear message.
  Optimizer diverge(small_model(), blobs(64, 1), std::make_shared<ClassNLLCriterion>(), 16);
  diverge.set_optim_method(std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 1e30}))
      .set_log(quiet())
      .set_end_when(optim::Trigger::max_epoch(5));
  EXPECT_THROW_WITH(diverge.optimize(), ValueError, "training diverged");
}

TEST(OptimizerTest, LeNetLearnsRealMnist) {
  const std::string dir = std::string(EMBER_SOURCE_DIR) + "/data/mnist";
  if (!fs::exists(dir + "/t10k-images-idx3-ubyte") && !fs::exists(dir + "/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "MNIST not fetched (scripts/fetch-data)";
  // The 10000 test images: 8000 to train on for one epoch, 2000 to validate.
  auto all = data::load_mnist(dir, {.train = false});
  auto head = std::make_shared<data::ArrayDataSet>(all->features().narrow(0, 0, 8000), all->labels().narrow(0, 0, 8000));
  auto tail = std::make_shared<data::ArrayDataSet>(all->features().narrow(0, 8000, 2000), all->labels().narrow(0, 8000, 2000));
  manual_seed(1);
  auto model = models::lenet5();
  Optimizer opt(model, head, std::make_shared<ClassNLLCriterion>(), 32);
  opt.set_optim_method(std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 0.05, .momentum = 0.9}))
      .set_end_when(optim::Trigger::max_epoch(1))
      .set_validation(optim::Trigger::every_epoch(), tail, {optim::make_validation_method("top1")})
      .set_log(quiet())
      .optimize();
  EXPECT_GT(opt.validation_history().back().results[0].value(), 0.93);
}

TEST(OptimizerTest, ALocalRunRefusesADistributedCheckpoint) {
  TempDir dir;
  manual_seed(4);
  auto model = small_model();
  {
    Optimizer opt = make_optimizer(model, blobs(32, 1), 16);
    opt.set_end_when(optim::Trigger::max_iteration(2))
        .set_checkpoint(dir.path.string(), optim::Trigger::several_iteration(2))
        .optimize();
  }
  // The same checkpoint as a distributed run on 3 ranks would mark it.
  auto [saved, state, path] = io::CheckpointManager::load(dir.path.string());
  state.set("dist.world_size", int64_t{3});
  io::CheckpointManager(dir.path.string()).save(4, *saved, state);
  Optimizer opt = make_optimizer(model, blobs(32, 1), 16);
  opt.resume_from(dir.path.string());
  EXPECT_THROW_WITH(opt.optimize(), ValueError,
                    "was written by distributed training on 3 ranks: resume it with a dist::DistributedOptimizer");
}

// A trainer subclass sees the hooks in the documented order, and its choices hold: no outputs
// written where writes_outputs() is false, the failure hook called with the cause.
class RecordingOptimizer : public Optimizer {
 public:
  using Optimizer::Optimizer;
  std::vector<std::string> calls;
  std::string failure;

 protected:
  void begin_training() override {
    calls.push_back("begin_training");
    Optimizer::begin_training();
  }
  TrainingData training_data() override {
    calls.push_back("training_data");
    TrainingData d = Optimizer::training_data();
    d.iteration_records = 1000;  // as if other processes trained too
    return d;
  }
  void begin_epoch(int64_t epoch) override { calls.push_back("begin_epoch " + std::to_string(epoch)); }
  double step(const data::MiniBatch& batch, PhaseTimes& times) override {
    calls.push_back("step");
    return Optimizer::step(batch, times);
  }
  void merge_validation(std::vector<optim::ValidationResult>& results) override {
    calls.push_back("merge_validation");
    results[0].count *= 2;
  }
  StateDict checkpoint_state() override {
    calls.push_back("checkpoint_state");
    return Optimizer::checkpoint_state();
  }
  bool writes_outputs() const override { return false; }
  void on_failure(const std::string& cause) noexcept override { failure = cause; }
};

TEST(OptimizerTest, SubclassHooksRunInOrder) {
  TempDir dir;
  manual_seed(4);
  RecordingOptimizer opt(small_model(), blobs(32, 1), std::make_shared<ClassNLLCriterion>(), 16);
  opt.set_log(quiet())
      .set_end_when(optim::Trigger::max_epoch(2))
      .set_validation(optim::Trigger::every_epoch(), blobs(10, 2), {optim::make_validation_method("top1")})
      .set_checkpoint(dir.path.string(), optim::Trigger::every_epoch());
  opt.optimize();
  const std::vector<std::string> expected = {
      "begin_training", "training_data", "begin_epoch 1", "step", "step", "merge_validation", "checkpoint_state",
      "begin_epoch 2",  "step",          "step",          "merge_validation", "checkpoint_state"};
  EXPECT_EQ(opt.calls, expected);
  EXPECT_EQ(opt.validation_history()[0].results[0].count, 20);
  EXPECT_EQ(opt.last_checkpoint(), "");
  EXPECT_TRUE(fs::is_empty(dir.path));
  EXPECT_EQ(opt.failure, "");

  RecordingOptimizer diverge(small_model(), blobs(64, 1), std::make_shared<ClassNLLCriterion>(), 16);
  diverge.set_optim_method(std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 1e30}))
      .set_log(quiet())
      .set_end_when(optim::Trigger::max_epoch(5));
  EXPECT_THROW_WITH(diverge.optimize(), ValueError, "training diverged");
  EXPECT_NE(diverge.failure.find("training diverged"), std::string::npos) << diverge.failure;
}

TEST(TrainingLogTest, ShowsTheCollectivePhasesAndThePrefix) {
  PhaseTimes local{.data = 0.001, .forward = 0.002, .backward = 0.003, .update = 0.004, .iterations = 1};
  EXPECT_EQ(local.repr(), "data 10% (1.00 ms), forward 20% (2.00 ms), backward 30% (3.00 ms), update 40% (4.00 ms)");
  PhaseTimes dist{.data = 0.002, .forward = 0.002, .backward = 0.004, .update = 0.004, .reduce_scatter = 0.006,
                  .all_gather = 0.002, .iterations = 2};
  EXPECT_DOUBLE_EQ(dist.compute(), 0.006);
  EXPECT_EQ(dist.repr(),
            "data 10% (1.00 ms), compute 30% (3.00 ms), reduce-scatter 30% (3.00 ms), update 20% (2.00 ms), "
            "all-gather 10% (1.00 ms)");
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  TrainingLog log({.stream = f, .progress_bar = LogOptions::Bar::Off, .timing_breakdown = true,
                   .prefix = "[Rank 1] "});
  log.iteration({.epoch = 1, .iteration = 1, .records_in_epoch = 8, .epoch_size = 16, .batch_records = 8,
                 .seconds = 0.02, .loss = 0.5, .phases = dist});
  log.epoch_end(1, 16, 1.0, 0.5, dist);
  log.line("[Validation] done");
  std::rewind(f);
  std::string text(4096, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  std::fclose(f);
  EXPECT_NE(text.find("[Rank 1] [Epoch 1 8/16][Iteration 1]"), std::string::npos) << text;
  EXPECT_NE(text.find("Time: data 10% (1.00 ms), compute 30% (3.00 ms), reduce-scatter"), std::string::npos) << text;
  EXPECT_NE(text.find("[Rank 1] [Epoch 1 done] 16 records"), std::string::npos) << text;
  EXPECT_NE(text.find("\n[Rank 1] [Validation] done\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace ember::train
