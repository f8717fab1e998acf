#include "ember/summary/summary.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/gradient_check.h"
#include "temp_dir.h"

namespace ember::summary {
namespace {

using optim::TrainingState;
using optim::Trigger;

TEST(SummaryTest, TrainAndValidationWriteIntoTheirFolders) {
  test::TempDir dir;
  TrainSummary train(dir / "logs", "lenet");
  ValidationSummary val(dir / "logs", "lenet");
  EXPECT_EQ(train.log_dir(), dir / "logs");
  EXPECT_EQ(train.app_name(), "lenet");
  EXPECT_EQ(train.folder(), dir / "logs/lenet/train");
  EXPECT_EQ(val.folder(), dir / "logs/lenet/validation");
  EXPECT_EQ(std::filesystem::path(train.event_file()).parent_path(), std::filesystem::path(train.folder()));
  train.add_scalar("Loss", 2.5f, 2);
  train.add_scalar("Loss", 3.5f, 1);
  val.add_scalar("Top1Accuracy", 0.75f, 2);
  const auto loss = train.read_scalar("Loss");  // flushes first, sorted by step
  ASSERT_EQ(loss.size(), 2u);
  EXPECT_EQ(loss[0].step, 1);
  EXPECT_EQ(loss[0].value, 3.5f);
  EXPECT_EQ(loss[1].value, 2.5f);
  EXPECT_TRUE(val.read_scalar("Loss").empty());
  const auto acc = val.read_scalar("Top1Accuracy");
  ASSERT_EQ(acc.size(), 1u);
  EXPECT_EQ(acc[0].value, 0.75f);
}

TEST(SummaryTest, HistogramOfATensorReachesTheFile) {
  test::TempDir dir;
  TrainSummary train(dir.path(), "app");
  train.add_histogram("fc.weight", Tensor::arange(10, DType::Float64), 5);
  train.close();
  const auto events = read_events(train.event_file(), false);
  ASSERT_EQ(events.size(), 2u);
  ASSERT_TRUE(events[1].values.at(0).histo.has_value());
  EXPECT_EQ(events[1].step, 5);
  EXPECT_EQ(events[1].values[0].histo->num, 10);
  EXPECT_EQ(events[1].values[0].histo->sum, 45);
  EXPECT_EQ(events[1].values[0].histo->max, 9);
}

TEST(SummaryTest, ScalarsOfAnEarlierRunAreReadToo) {
  test::TempDir dir;
  {
    TrainSummary first(dir.path(), "app");
    first.add_scalar("Loss", 1.0f, 1);
  }
  TrainSummary second(dir.path(), "app");
  second.add_scalar("Loss", 0.5f, 2);
  const auto loss = second.read_scalar("Loss");
  ASSERT_EQ(loss.size(), 2u);
  EXPECT_EQ(loss[1].value, 0.5f);
}

TEST(SummaryTest, DefaultTriggersAreEveryIterationAndNoParameters) {
  test::TempDir dir;
  TrainSummary train(dir.path(), "app");
  TrainingState s;
  for (const char* name : {"LearningRate", "Loss", "Throughput"}) {
    const auto t = train.summary_trigger(name);
    ASSERT_TRUE(t.has_value()) << name;
    s.iteration = 1;
    EXPECT_TRUE((*t)(s));
    s.iteration = 7;
    EXPECT_TRUE((*t)(s));
  }
  EXPECT_FALSE(train.summary_trigger("Parameters").has_value());
  train.set_summary_trigger("Parameters", Trigger::several_iteration(10)).set_summary_trigger("Loss",
                                                                                             Trigger::every_epoch());
  EXPECT_EQ(train.summary_trigger("Parameters")->repr(), "several_iteration(10)");
  EXPECT_EQ(train.summary_trigger("Loss")->repr(), "every_epoch()");
}

TEST(SummaryTest, ErrorsNameTheProblem) {
  test::TempDir dir;
  TrainSummary train(dir.path(), "app");
  EXPECT_THROW_WITH(train.set_summary_trigger("loss", Trigger::every_epoch()), ValueError,
                    "unknown summary trigger name 'loss': expected one of LearningRate, Loss, Throughput, Parameters");
  EXPECT_THROW_WITH(train.summary_trigger("Weights"), ValueError, "unknown summary trigger name 'Weights'");
  EXPECT_THROW_WITH(TrainSummary(dir.path(), ""), ValueError, "app_name must not be empty");
  test::write_bytes(dir / "file", "x");
  EXPECT_THROW_WITH(ValidationSummary(dir / "file", "app"), IOError, "file/app/validation: cannot create the log directory");
}

}  // namespace
}  // namespace ember::summary
