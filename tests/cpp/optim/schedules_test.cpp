#include <gtest/gtest.h>

#include <cmath>

#include "common/gradient_check.h"
#include "optim_test_util.h"

namespace ember::optim {
namespace {

constexpr double kBase = 0.5;  // the fixtures' base learning rate

// The rate an optim method reports for iterations 0..n-1 (epoch 1 throughout).
std::vector<double> rates(const SchedulePtr& schedule, int64_t n) {
  std::vector<double> out;
  for (int64_t i = 0; i < n; ++i) out.push_back(schedule->rate(kBase, i, 1));
  return out;
}

void expect_rates(const std::vector<double>& got, const Tensor& expected) {
  ASSERT_EQ(static_cast<int64_t>(got.size()), expected.numel());
  for (int64_t i = 0; i < expected.numel(); ++i)
    EXPECT_NEAR(got[i], expected.at({i}), 1e-12 * std::abs(expected.at({i})) + 1e-18) << "iteration " << i;
}

TEST(ScheduleTest, IterationSchedulesMatchPyTorchLrScheduler) {
  const auto f = ember::test::load_fixture("optim/schedules");
  expect_rates(rates(std::make_shared<Step>(3, 0.5), 12), f.get("step"));                            // StepLR
  expect_rates(rates(std::make_shared<MultiStep>(std::vector<int64_t>{2, 5, 5, 9}, 0.1), 12), f.get("multi_step"));
  expect_rates(rates(std::make_shared<Exponential>(1, 0.9), 12), f.get("exponential"));              // ExponentialLR
  expect_rates(rates(std::make_shared<Poly>(2.0, 8), 12), f.get("poly"));                            // PolynomialLR
}

TEST(ScheduleTest, ClosedFormsOfTheBigDLSchedules) {
  const auto exp_smooth = rates(std::make_shared<Exponential>(3, 0.9), 7);
  const auto exp_stair = rates(std::make_shared<Exponential>(3, 0.9, true), 7);
  const auto natural = rates(std::make_shared<NaturalExp>(2, 0.3), 7);
  const auto warmup = rates(std::make_shared<Warmup>(0.25), 7);
  for (int i = 0; i < 7; ++i) {
    EXPECT_NEAR(exp_smooth[i], kBase * std::pow(0.9, i / 3.0), 1e-15);
    EXPECT_NEAR(exp_stair[i], kBase * std::pow(0.9, i / 3), 1e-15);
    EXPECT_NEAR(natural[i], kBase * std::exp(-0.3 * (i / 2)), 1e-15);
    EXPECT_NEAR(warmup[i], kBase + 0.25 * i, 1e-15);
  }
  // Poly: 0 after max_iteration; power 0 keeps the rate up to it (BigDL).
  EXPECT_EQ(Poly(2.0, 4).rate(kBase, 5, 1), 0.0);
  EXPECT_EQ(Poly(0.0, 4).rate(kBase, 4, 1), kBase);
}

TEST(ScheduleTest, EpochStepDecaysAfterCompletedEpochs) {
  EpochStep s(2, 0.1);
  const double expected[] = {0.5, 0.5, 0.05, 0.05, 0.005};
  for (int64_t epoch = 1; epoch <= 5; ++epoch)
    EXPECT_NEAR(s.rate(kBase, /*iteration=*/epoch * 100, epoch), expected[epoch - 1], 1e-15) << "epoch " << epoch;
}

// ReduceLROnPlateau(threshold_mode="abs") fed one metric per epoch, through OptimMethod::record.
void expect_plateau(const PlateauOptions& options, const Tensor& metrics, const Tensor& expected) {
  SGD sgd(SGDOptions{.learning_rate = kBase});
  sgd.set_schedule(std::make_shared<Plateau>(options));
  for (int64_t e = 0; e < metrics.numel(); ++e) {
    sgd.set_epoch(e + 1);
    EXPECT_NEAR(sgd.learning_rate(), expected.at({e}), 1e-12 * expected.at({e})) << "epoch " << e + 1;
    sgd.record(options.monitor, metrics.at({e}));
  }
}

TEST(PlateauTest, MatchesReduceLROnPlateau) {
  const auto f = ember::test::load_fixture("optim/schedules");
  const Tensor metrics = f.get("plateau_metrics");
  expect_plateau({.monitor = "score", .factor = 0.5, .patience = 2, .mode = "min", .epsilon = 0.1, .cooldown = 1,
                  .min_lr = 0.05},
                 metrics, f.get("plateau_min"));
  expect_plateau({.monitor = "loss", .factor = 0.1, .patience = 1, .mode = "max", .epsilon = 0.0},
                 mul(metrics, -1.0), f.get("plateau_max"));
}

TEST(PlateauTest, LooksOncePerEpochAtTheLastValue) {
  Plateau p({.monitor = "loss", .factor = 0.5, .patience = 0});
  EXPECT_EQ(p.rate(1.0, 0, 1), 1.0);
  p.record("loss", 3.0);
  p.record("score", 100.0);                  // not monitored
  EXPECT_EQ(p.rate(1.0, 1, 1), 1.0);          // same epoch: nothing judged yet
  EXPECT_EQ(p.rate(1.0, 2, 2), 1.0);          // epoch 1 judged on 3.0: the first value is the best
  p.record("loss", 0.5);                      // an improvement early in epoch 2 ...
  p.record("loss", 5.0);                      // ... but the epoch ends worse
  EXPECT_EQ(p.rate(1.0, 3, 3), 0.5);          // patience 0: reduced at once
  EXPECT_EQ(p.rate(1.0, 4, 3), 0.5);          // asking again changes nothing
  EXPECT_EQ(p.rate(1.0, 5, 4), 0.5);          // nothing recorded in epoch 3: not counted
}

TEST(SequentialScheduleTest, PhasesHandOverTheirFinalRate) {
  // Warmup 0.5 -> 0.7 for 3 iterations, Poly from 0.8 (the warmup's end) for 4, then Step.
  auto s = std::make_shared<SequentialSchedule>(100);
  s->add(std::make_shared<Warmup>(0.1), 3)
      .add(std::make_shared<Poly>(1.0, 8), 4)
      .add(std::make_shared<Step>(2, 0.5), 10);
  const std::vector<double> expected = {0.5, 0.6, 0.7, 0.8, 0.7, 0.6, 0.5, 0.4, 0.4, 0.2, 0.2, 0.1};
  const auto got = rates(s, 12);
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-15) << "iteration " << i;
  EXPECT_EQ(s->repr(),
            "optim.SequentialSchedule(iteration_per_epoch=100)[optim.Warmup(delta=0.1) x 3, "
            "optim.Poly(power=1, max_iteration=8) x 4, optim.Step(step_size=2, gamma=0.5) x 10]");
}

TEST(SequentialScheduleTest, PhasesCountEpochsFromTheirStart) {
  // 2 iterations per epoch; the EpochStep phase starts at iteration 4 = epoch 3, its epoch 1.
  SequentialSchedule s(2);
  s.add(std::make_shared<Warmup>(0.0), 4).add(std::make_shared<EpochStep>(1, 0.5), 100);
  EXPECT_EQ(s.rate(1.0, 4, 3), 1.0);
  EXPECT_EQ(s.rate(1.0, 6, 4), 0.5);
  EXPECT_EQ(s.rate(1.0, 8, 5), 0.25);
}

TEST(SequentialScheduleTest, StateAndCloneCoverEveryPhase) {
  auto make = [] {
    auto s = std::make_shared<SequentialSchedule>(1);
    s->add(std::make_shared<Warmup>(0.5), 2)
        .add(std::make_shared<Plateau>(PlateauOptions{.monitor = "loss", .patience = 0}), 10);
    return s;
  };
  auto s = make();
  s->rate(1.0, 0, 1), s->rate(1.0, 1, 2), s->rate(1.0, 2, 3);  // into the Plateau phase: base 2.0
  s->record("loss", 1.0);
  s->rate(1.0, 3, 4);
  s->record("loss", 2.0);
  EXPECT_DOUBLE_EQ(s->rate(1.0, 4, 5), 0.2);  // worse: reduced by 0.1
  StateDict state;
  s->save_state(state);
  auto restored = make();
  restored->load_state(state);
  EXPECT_DOUBLE_EQ(restored->rate(1.0, 5, 5), 0.2);
  auto fresh = s->clone();
  EXPECT_DOUBLE_EQ(fresh->rate(1.0, 0, 1), 1.0);
  EXPECT_DOUBLE_EQ(fresh->rate(1.0, 2, 3), 2.0);
}

TEST(ScheduleTest, MakeScheduleByName) {
  auto s = make_schedule("Step", {{"step_size", int64_t{4}}, {"gamma", 0.5}});
  EXPECT_EQ(s->repr(), "optim.Step(step_size=4, gamma=0.5)");
  EXPECT_EQ(make_schedule("optim.plateau", {{"mode", std::string("max")}})->type_name(), "optim.Plateau");
  EXPECT_THROW_WITH(make_schedule("cosine"), ValueError,
                    "unknown schedule 'cosine': expected one of step, multistep, epochstep, poly, exponential, "
                    "naturalexp, plateau, warmup");
  EXPECT_THROW_WITH(make_schedule("poly", {{"max_iter", int64_t{4}}}), ValueError,
                    "[optim.Poly] unknown option 'max_iter': expected one of power, max_iteration");
}

TEST(ScheduleTest, OptionsAreValidated) {
  EXPECT_THROW_WITH(Step(0, 0.1), ValueError, "[optim.Step] step_size must be >= 1, got 0");
  EXPECT_THROW_WITH(MultiStep(std::vector<int64_t>{5, 3}, 0.1), ValueError,
                    "[optim.MultiStep] milestones must be in increasing order, got 5 before 3");
  EXPECT_THROW_WITH(EpochStep(1, 0.0), ValueError, "[optim.EpochStep] gamma must be > 0, got 0");
  EXPECT_THROW_WITH(Poly(1.0, 0), ValueError, "[optim.Poly] max_iteration must be >= 1, got 0");
  EXPECT_THROW_WITH(Exponential(0, 0.9), ValueError, "[optim.Exponential] decay_step must be >= 1");
  EXPECT_THROW_WITH(Plateau({.monitor = "accuracy"}), ValueError,
                    "[optim.Plateau] monitor must be 'score' or 'loss', got 'accuracy'");
  EXPECT_THROW_WITH(Plateau({.factor = 1.0}), ValueError, "[optim.Plateau] factor must be in [0, 1), got 1");
  EXPECT_THROW_WITH(Plateau({.mode = "avg"}), ValueError, "mode must be 'min' or 'max', got 'avg'");
  EXPECT_THROW_WITH(SequentialSchedule(1).add(std::make_shared<Warmup>(0.1), 0), ValueError,
                    "[optim.SequentialSchedule.add] max_iteration must be >= 1, got 0");
  SequentialSchedule empty(1);
  EXPECT_THROW_WITH(empty.rate(1.0, 0, 1), ValueError, "has no phases");
  Plateau p({});
  StateDict bad;
  EXPECT_THROW_WITH(p.load_state(bad), ValueError, "state 'lr' is missing");
}

}  // namespace
}  // namespace ember::optim
