// Checkpoints: keep_last pruning and the latest pointer, load/load_into, a full disk in the
// middle of a save (RLIMIT_FSIZE), stale temporary directories, malformed pointers.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>

#include "common/gradient_check.h"
#include "ember/io/checkpoint.h"
#include "ember/io/file_util.h"
#include "ember/io/model_file.h"
#include "ember/nn/all.h"
#include "io/io_test_util.h"

namespace ember {
namespace {

namespace fs = std::filesystem;
using io::CheckpointManager;

// A LeNet-style front: conv1 -> ReLU -> flatten -> fc.
nn::ModulePtr lenet(int64_t channels) {
  auto conv = std::make_shared<nn::Conv2d>(nn::Conv2dOptions{.in_channels = 1, .out_channels = channels, .kernel_size = 5});
  conv->set_name("conv1");
  auto fc = std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = channels * 16, .out_features = 10});
  fc->set_name("fc");
  auto m = std::make_shared<nn::Sequential>();
  m->add(conv).add(std::make_shared<nn::ReLU>()).add(std::make_shared<nn::Flatten>()).add(fc);
  return m;
}

StateDict state_at(int64_t iteration) {
  StateDict s;
  s.set("iteration", iteration);
  s.set("optim.velocity", Tensor::full({4}, static_cast<double>(iteration)));
  return s;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Lowers the soft file-size limit so that writes past `bytes` fail with EFBIG (instead of SIGXFSZ),
// as on a full disk; restores both on destruction.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit lim = old_;
    lim.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lim);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  sighandler_t old_handler_;
};

TEST(Checkpoint, KeepsTheLastThreeAndPointsToTheNewest) {
  test::TempDir dir;
  CheckpointManager ckpt(dir.path(), 3);
  auto model = lenet(6);
  std::string last;
  for (int64_t it : {100, 200, 300, 400, 500}) last = ckpt.save(it, *model, state_at(it));
  EXPECT_EQ(last, dir.file("checkpoint-0000000500"));
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"checkpoint-0000000300", "checkpoint-0000000400",
                                                            "checkpoint-0000000500", "latest"}));
  EXPECT_EQ(read(dir.file("latest")), "checkpoint-0000000500\n");
  EXPECT_EQ(CheckpointManager::latest(dir.path()), last);
  io::Checkpoint c = CheckpointManager::load(dir.path());
  EXPECT_EQ(c.path, last);
  EXPECT_EQ(c.state.integer("iteration"), 500);
  EXPECT_EQ(c.state.tensor("optim.velocity").to_vector(), std::vector<double>(4, 500.0));
  EXPECT_TRUE(io::save_module_to_bytes(*c.model) == io::save_module_to_bytes(*model));
  // A checkpoint directory can be loaded directly too.
  EXPECT_EQ(CheckpointManager::load(dir.file("checkpoint-0000000300")).state.integer("iteration"), 300);
}

TEST(Checkpoint, SavingAnIterationAgainReplacesIt) {
  test::TempDir dir;
  CheckpointManager ckpt(dir.path(), 2);
  auto model = lenet(6);
  ckpt.save(7, *model, state_at(1));
  ckpt.save(7, *model, state_at(2));
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"checkpoint-0000000007", "latest"}));
  EXPECT_EQ(CheckpointManager::load(dir.path()).state.integer("iteration"), 2);
}

TEST(Checkpoint, LoadIntoCopiesWeightsAndState) {
  test::TempDir dir;
  auto model = lenet(6);
  CheckpointManager(dir.path()).save(1, *model, state_at(1));
  auto other = lenet(6);
  StateDict state;
  CheckpointManager::load_into(dir.path(), *other, state);
  EXPECT_EQ(other->find("conv1")->parameters()[0].to_vector(), model->find("conv1")->parameters()[0].to_vector());
  EXPECT_EQ(state.integer("iteration"), 1);
}

TEST(Checkpoint, LoadIntoAnotherModelIsRefused) {
  test::TempDir dir;
  CheckpointManager(dir.path()).save(1, *lenet(6), state_at(1));
  auto other = lenet(20);
  const auto before = other->parameters()[0].to_vector();
  StateDict state;
  state.set("keep", int64_t{1});
  EXPECT_THROW_WITH(CheckpointManager::load_into(dir.path(), *other, state), ValueError,
                    "checkpoint '" + dir.file("checkpoint-0000000001") +
                        "': parameter 'conv1.weight' has shape [6, 1, 5, 5] in the checkpoint but [20, 1, 5, 5] in "
                        "the model: the checkpoint is from another model");
  EXPECT_EQ(other->parameters()[0].to_vector(), before);  // untouched
  EXPECT_TRUE(state.contains("keep"));
  auto seq = std::make_shared<nn::Sequential>();
  seq->add(std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 2, .out_features = 2}));
  EXPECT_THROW_WITH(CheckpointManager::load_into(dir.path(), *seq, state), ValueError,
                    "module '(root)' has children [conv1, 1, 2, fc] in the checkpoint but [0] in the model");
}

TEST(Checkpoint, AFullDiskLeavesThePreviousCheckpointUntouched) {
  test::TempDir dir;
  CheckpointManager ckpt(dir.path(), 3);
  auto model = lenet(6);
  const std::string first = ckpt.save(1, *model, state_at(1));
  const std::string model_bytes = read(first + "/model.ember");
  auto big = lenet(64);  // about 42 KB of weights
  {
    FileSizeLimit limit(16 * 1024);
    EXPECT_THROW_WITH(ckpt.save(2, *big, state_at(2)), IOError,
                      dir.file(".checkpoint-0000000002.tmp/model.ember") + ": write failed: File too large");
  }
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"checkpoint-0000000001", "latest"}));
  EXPECT_EQ(read(dir.file("latest")), "checkpoint-0000000001\n");
  EXPECT_TRUE(read(first + "/model.ember") == model_bytes);
  EXPECT_EQ(CheckpointManager::load(dir.path()).state.integer("iteration"), 1);
  // With room again, the next save works.
  EXPECT_EQ(ckpt.save(2, *big, state_at(2)), dir.file("checkpoint-0000000002"));
}

TEST(Checkpoint, StaleTemporaryDirectoriesAreIgnoredThenCleaned) {
  test::TempDir dir;
  CheckpointManager ckpt(dir.path());
  auto model = lenet(6);
  ckpt.save(1, *model, state_at(1));
  fs::create_directory(dir.file(".checkpoint-0000000009.tmp"));
  std::ofstream(dir.file(".checkpoint-0000000009.tmp/model.ember")) << "half a file";
  EXPECT_EQ(CheckpointManager::latest(dir.path()), dir.file("checkpoint-0000000001"));
  fs::remove(dir.file("latest"));  // a crash before the first pointer: the newest complete checkpoint
  EXPECT_EQ(CheckpointManager::latest(dir.path()), dir.file("checkpoint-0000000001"));
  ckpt.save(2, *model, state_at(2));
  EXPECT_FALSE(fs::exists(dir.file(".checkpoint-0000000009.tmp")));
}

TEST(Checkpoint, MalformedPointerAndMissingCheckpoints) {
  test::TempDir dir;
  EXPECT_EQ(CheckpointManager::latest(dir.path()), std::nullopt);
  EXPECT_EQ(CheckpointManager::latest(dir.file("nonexistent")), std::nullopt);
  EXPECT_THROW_WITH(CheckpointManager::load(dir.path()), IOError, "no checkpoint in '" + dir.path() + "'");
  EXPECT_THROW_WITH(CheckpointManager::load(dir.file("nonexistent")), IOError,
                    "is not a checkpoint directory nor a directory of checkpoints");
  io::atomic_write_file(dir.file("latest"), "../../etc/passwd\n");
  EXPECT_THROW_WITH(CheckpointManager::latest(dir.path()), FormatError,
                    "latest: expected a checkpoint name such as 'checkpoint-0000001000', got '../../etc/passwd'");
  io::atomic_write_file(dir.file("latest"), "checkpoint-0000000042\n");
  EXPECT_THROW_WITH(CheckpointManager::latest(dir.path()), FormatError,
                    "points to 'checkpoint-0000000042', which does not exist");
}

TEST(Checkpoint, ArgumentErrors) {
  EXPECT_THROW_WITH(CheckpointManager("x", 0), ValueError, "keep_last must be at least 1, got 0");
  test::TempDir dir;
  EXPECT_THROW_WITH(CheckpointManager(dir.path()).save(-1, *lenet(6), {}), ValueError,
                    "iteration must be >= 0, got -1");
}

TEST(AtomicWrite, AFailedWriteKeepsTheOldFileAndLeavesNoTemporary) {
  test::TempDir dir;
  const std::string path = dir.file("model.ember");
  io::save_module(*lenet(6), path);
  const std::string before = read(path);
  {
    FileSizeLimit limit(4096);
    EXPECT_THROW_WITH(io::save_module(*lenet(64), path), IOError,
                      "model.ember.tmp." + std::to_string(::getpid()) + ": write failed");
  }
  EXPECT_TRUE(read(path) == before);
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"model.ember"});
}

TEST(AtomicWrite, AnExceptionFromTheProducerRemovesTheTemporary) {
  test::TempDir dir;
  const std::string path = dir.file("f");
  io::atomic_write_file(path, "old");
  EXPECT_THROW(io::atomic_write_file(path,
                                     [](io::FileWriter& w) {
                                       w.write("new", 3);
                                       throw ValueError("producer failed");
                                     }),
               ValueError);
  EXPECT_EQ(read(path), "old");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"f"});
}

}  // namespace
}  // namespace ember
