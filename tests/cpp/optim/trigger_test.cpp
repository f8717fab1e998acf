#include "ember/optim/trigger.h"

#include <gtest/gtest.h>

#include <cmath>


#include "common/gradient_check.h"

namespace ember::optim {
namespace {

TrainingState at(int64_t epoch, int64_t iteration, bool epoch_end = false) {
  TrainingState s;
  s.epoch = epoch;
  s.iteration = iteration;
  s.epoch_end = epoch_end;
  return s;
}

TEST(TriggerTest, EveryEpochFiresOnlyAtEpochEnd) {
  const Trigger t = Trigger::every_epoch();
  EXPECT_EQ(t.repr(), "every_epoch()");
  EXPECT_FALSE(t(at(1, 5)));
  EXPECT_TRUE(t(at(1, 10, true)));
  EXPECT_TRUE(t(at(2, 20, true)));
}

TEST(TriggerTest, SeveralIterationFiresOnMultiplesButNotBeforeTheFirstIteration) {
  const Trigger t = Trigger::several_iteration(3);
  EXPECT_EQ(t.repr(), "several_iteration(3)");
  EXPECT_FALSE(t(at(1, 0)));
  EXPECT_FALSE(t(at(1, 1)));
  EXPECT_FALSE(t(at(1, 2)));
  EXPECT_TRUE(t(at(1, 3)));
  EXPECT_FALSE(t(at(1, 4)));
  EXPECT_TRUE(t(at(2, 6)));
  const Trigger every = Trigger::several_iteration(1);
  EXPECT_FALSE(every(at(1, 0)));
  EXPECT_TRUE(every(at(1, 1)));
  EXPECT_TRUE(every(at(1, 2)));
}

TEST(TriggerTest, MaxEpochFiresAfterNFullEpochs) {
  const Trigger t = Trigger::max_epoch(2);
  EXPECT_EQ(t.repr(), "max_epoch(2)");
  EXPECT_FALSE(t(at(1, 0)));
  EXPECT_FALSE(t(at(2, 100, true)));  // the last iteration of epoch 2, before the epoch counter moves
  EXPECT_TRUE(t(at(3, 100)));         // the trainer incremented epoch after epoch 2 ended
}

TEST(TriggerTest, MaxEpochStopsASimulatedLoopAfterExactlyNEpochs) {
  // The loop shape documented in trigger.h: 4 iterations per epoch.
  const Trigger end = Trigger::max_epoch(3);
  const Trigger validate = Trigger::every_epoch();
  TrainingState s;
  int validations = 0;
  while (!end(s)) {
    ++s.iteration;
    s.epoch_end = s.iteration % 4 == 0;
    if (validate(s)) ++validations;
    if (s.epoch_end) ++s.epoch;
  }
  EXPECT_EQ(s.iteration, 12);
  EXPECT_EQ(validations, 3);
  EXPECT_EQ(s.epoch, 4);
}

TEST(TriggerTest, MaxIterationFiresOnceNIterationsAreDone) {
  const Trigger t = Trigger::max_iteration(5);
  EXPECT_EQ(t.repr(), "max_iteration(5)");
  EXPECT_FALSE(t(at(1, 4)));
  EXPECT_TRUE(t(at(1, 5)));
  EXPECT_TRUE(t(at(1, 6)));
}

TEST(TriggerTest, MaxScoreNeedsAScoreStrictlyAbove) {
  const Trigger t = Trigger::max_score(0.9);
  EXPECT_EQ(t.repr(), "max_score(0.9)");
  TrainingState s;
  EXPECT_FALSE(t(s));  // no validation yet
  s.score = 0.9;
  EXPECT_FALSE(t(s));
  s.score = 0.95;
  EXPECT_TRUE(t(s));
}

TEST(TriggerTest, MinLossNeedsALossStrictlyBelowAndIgnoresNaN) {
  const Trigger t = Trigger::min_loss(0.1);
  EXPECT_EQ(t.repr(), "min_loss(0.1)");
  TrainingState s;
  EXPECT_FALSE(t(s));  // NaN: no loss yet
  s.loss = 0.1;
  EXPECT_FALSE(t(s));
  s.loss = 0.05;
  EXPECT_TRUE(t(s));
  EXPECT_EQ(Trigger::min_loss(-2.5e-7).repr(), "min_loss(-2.5e-07)");
}

TEST(TriggerTest, AndOrCombineWithReprs) {
  const Trigger either = Trigger::min_loss(0.1) || Trigger::max_epoch(5);
  EXPECT_EQ(either.repr(), "(min_loss(0.1) or max_epoch(5))");
  TrainingState s = at(2, 10);
  EXPECT_FALSE(either(s));
  s.loss = 0.01;
  EXPECT_TRUE(either(s));
  s.loss = 1.0;
  s.epoch = 6;
  EXPECT_TRUE(either(s));

  const Trigger both = Trigger::and_(Trigger::every_epoch(), Trigger::max_iteration(10), Trigger::min_loss(1));
  EXPECT_EQ(both.repr(), "(every_epoch() and max_iteration(10) and min_loss(1))");
  s = at(1, 10, true);
  EXPECT_FALSE(both(s));  // loss NaN
  s.loss = 0.5;
  EXPECT_TRUE(both(s));
  s.epoch_end = false;
  EXPECT_FALSE(both(s));

  const Trigger nested = Trigger::every_epoch() && (Trigger::max_score(0.5) || Trigger::max_iteration(3));
  EXPECT_EQ(nested.repr(), "(every_epoch() and (max_score(0.5) or max_iteration(3)))");
  EXPECT_TRUE(nested(at(1, 3, true)));
  EXPECT_FALSE(nested(at(1, 2, true)));
  EXPECT_EQ(Trigger::or_({Trigger::max_epoch(1)}).repr(), "max_epoch(1)");  // one trigger: itself
}

TEST(TriggerTest, CopiesShareThePredicateAndCustomTriggersWork) {
  int calls = 0;
  const Trigger custom("odd_iteration", [&calls](const TrainingState& s) {
    ++calls;
    return s.iteration % 2 == 1;
  });
  const Trigger copy = custom;
  EXPECT_EQ(copy.repr(), "odd_iteration");
  EXPECT_TRUE(copy(at(1, 3)));
  EXPECT_FALSE(custom(at(1, 4)));
  EXPECT_EQ(calls, 2);
}

TEST(TriggerTest, BadArgumentsAreValueErrors) {
  EXPECT_THROW_WITH(Trigger::several_iteration(0), ValueError, "several_iteration(n): n must be >= 1, got 0");
  EXPECT_THROW_WITH(Trigger::max_epoch(-1), ValueError, "max_epoch(n): n must be >= 1, got -1");
  EXPECT_THROW_WITH(Trigger::max_iteration(0), ValueError, "max_iteration(n): n must be >= 1, got 0");
  EXPECT_THROW_WITH(Trigger::min_loss(std::nan("")), ValueError, "min_loss(l): l must be a number, got NaN");
  EXPECT_THROW_WITH(Trigger::max_score(std::nan("")), ValueError, "max_score(s): s must be a number, got NaN");
  EXPECT_THROW_WITH(Trigger::and_(std::vector<Trigger>{}), ValueError, "and_ needs at least one trigger, got none");
  EXPECT_THROW_WITH(Trigger::or_(std::vector<Trigger>{}), ValueError, "or_ needs at least one trigger, got none");
  EXPECT_THROW_WITH(Trigger("empty", nullptr), ValueError, "'empty': the predicate is empty");
}

}  // namespace
}  // namespace ember::optim
