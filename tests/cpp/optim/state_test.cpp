#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "optim_test_util.h"

namespace ember::optim {
namespace {

using test::method_cases;
using test::QuarticProblem;

// 3 steps, state_dict, a fresh instance loads it, 2 more steps == 5 uninterrupted steps, bit for bit.
TEST(OptimStateTest, ResumeFromStateDictIsExact) {
  const auto f = ember::test::load_fixture("optim/methods");
  for (const char* tag : {"float32", "float64"}) {
    for (const auto& c : method_cases()) {
      SCOPED_TRACE(c.name + " " + tag);
      QuarticProblem problem(f.get(std::string("A_") + tag), f.get(std::string("b_") + tag));
      const Tensor w0 = f.get(std::string("w0_") + tag);

      Tensor w_straight = w0.clone();
      auto straight = make_optim_method(c.method, c.config);
      for (int s = 0; s < 5; ++s) straight->optimize(problem.feval(), w_straight);

      Tensor w = w0.clone();
      auto first = make_optim_method(c.method, c.config);
      for (int s = 0; s < 3; ++s) first->optimize(problem.feval(), w);
      const StateDict state = first->state_dict();
      first.reset();  // the state must not depend on the old instance
      auto second = make_optim_method(c.method, c.config);
      second->load_state_dict(state);
      EXPECT_EQ(second->iteration(), 3);
      for (int s = 0; s < 2; ++s) second->optimize(problem.feval(), w);
      EXPECT_EQ(max_abs_diff(w, w_straight), 0.0);
      EXPECT_EQ(second->iteration(), 5);
    }
  }
}

TEST(OptimStateTest, StateDictHoldsCopiesAndTheCounters) {
  Adam adam(AdamOptions{.learning_rate = 0.1});
  adam.set_epoch(4);
  Tensor w = Tensor::ones({3});
  const Feval feval = [](const Tensor& x) { return std::pair<double, Tensor>{0.0, Tensor::ones(x.shape())}; };
  adam.optimize(feval, w);
  StateDict state = adam.state_dict();
  EXPECT_EQ(state.string("type"), "optim.Adam");
  EXPECT_EQ(state.integer("iteration"), 1);
  EXPECT_EQ(state.integer("epoch"), 4);
  const double saved = state.tensor("exp_avg").at({0});
  EXPECT_NEAR(saved, 0.1, 1e-7);
  adam.optimize(feval, w);  // the live buffer moves on; the saved copy must not
  EXPECT_EQ(state.tensor("exp_avg").at({0}), saved);
}

TEST(OptimStateTest, CloneHasTheOptionsAndScheduleButEmptyState) {
  const auto f = ember::test::load_fixture("optim/methods");
  for (const auto& c : method_cases()) {
    SCOPED_TRACE(c.name);
    QuarticProblem problem(f.get("A_float64"), f.get("b_float64"));
    auto method = make_optim_method(c.method, c.config);
    method->set_schedule(std::make_shared<Step>(2, 0.5));
    Tensor w = f.get("w0_float64").clone();
    for (int s = 0; s < 3; ++s) method->optimize(problem.feval(), w);

    auto copy = method->clone();
    EXPECT_EQ(copy->iteration(), 0);
    EXPECT_EQ(copy->repr(), method->repr());
    ASSERT_NE(copy->schedule(), nullptr);
    EXPECT_NE(copy->schedule(), method->schedule());
    const StateDict state = copy->state_dict();
    for (const auto& [key, value] : state.items()) EXPECT_FALSE(std::holds_alternative<Tensor>(value)) << key;

    // From the same start the clone retraces a fresh method's steps.
    auto fresh = make_optim_method(c.method, c.config);
    fresh->set_schedule(std::make_shared<Step>(2, 0.5));
    Tensor w1 = f.get("w0_float64").clone(), w2 = w1.clone();
    for (int s = 0; s < 3; ++s) {
      copy->optimize(problem.feval(), w1);
      fresh->optimize(problem.feval(), w2);
    }
    EXPECT_EQ(max_abs_diff(w1, w2), 0.0);
  }
}

TEST(OptimStateTest, ScheduleStateIsSavedAndRestored) {
  // A Plateau that has already reduced once must carry its rate and counters through the state.
  auto make = [] {
    auto sgd = std::make_unique<SGD>(SGDOptions{.learning_rate = 1.0});
    sgd->set_schedule(std::make_shared<Plateau>(PlateauOptions{.monitor = "loss", .factor = 0.5, .patience = 0}));
    return sgd;
  };
  auto sgd = make();
  Tensor w = Tensor::zeros({2}, DType::Float64);
  const Feval zero = [](const Tensor& x) {
    return std::pair<double, Tensor>{0.0, Tensor::zeros(x.shape(), x.dtype())};
  };
  for (int epoch = 1; epoch <= 3; ++epoch) {
    sgd->set_epoch(epoch);
    sgd->optimize(zero, w);
    sgd->record("loss", 1.0);  // never improves after the first epoch
  }
  sgd->set_epoch(4);
  const double rate = sgd->learning_rate();
  EXPECT_DOUBLE_EQ(rate, 0.25);
  const StateDict state = sgd->state_dict();
  EXPECT_EQ(state.string("schedule.type"), "optim.Plateau");
  auto restored = make();
  restored->load_state_dict(state);
  EXPECT_DOUBLE_EQ(restored->learning_rate(), rate);
  restored->record("loss", 1.0);
  restored->set_epoch(5);
  EXPECT_DOUBLE_EQ(restored->learning_rate(), 0.125);
}

// ---- errors ----------------------------------------------------------------------------------
TEST(OptimStateTest, LoadRejectsMismatchedStates) {
  SGD sgd(SGDOptions{.learning_rate = 0.1, .momentum = 0.9});
  Tensor w = Tensor::ones({3});
  sgd.optimize([](const Tensor& x) { return std::pair<double, Tensor>{0.0, Tensor::ones(x.shape())}; }, w);
  StateDict state = sgd.state_dict();

  Adam adam;
  EXPECT_THROW_WITH(adam.load_state_dict(state), ValueError, "the state belongs to optim.SGD, expected optim.Adam");

  StateDict no_buffer;
  for (const auto& [k, v] : state.items())
    if (k != "momentum_buffer") no_buffer.set(k, v);
  SGD other(SGDOptions{.learning_rate = 0.1, .momentum = 0.9});
  EXPECT_THROW_WITH(other.load_state_dict(no_buffer), ValueError,
                    "[optim.SGD.load_state_dict] state 'momentum_buffer' is missing");

  SGD scheduled(SGDOptions{.learning_rate = 0.1, .momentum = 0.9});
  scheduled.set_schedule(std::make_shared<Step>(1, 0.5));
  EXPECT_THROW_WITH(scheduled.load_state_dict(state), ValueError,
                    "has the schedule optim.Step but the state was saved without one");
  StateDict with_schedule = scheduled.state_dict();
  EXPECT_THROW_WITH(other.load_state_dict(with_schedule), ValueError,
                    "the state holds a optim.Step schedule but this optim method has none");

  StateDict bad_epoch = state;
  bad_epoch.set("epoch", int64_t{0});
  EXPECT_THROW_WITH(other.load_state_dict(bad_epoch), ValueError, "epoch must be >= 1, got 0");
}

TEST(OptimStateTest, LoadedBuffersMustFitTheWeights) {
  Adam adam;
  Tensor w = Tensor::ones({3});
  const Feval feval = [](const Tensor& x) {
    return std::pair<double, Tensor>{0.0, Tensor::ones(x.shape(), x.dtype())};
  };
  adam.optimize(feval, w);
  Adam other;
  other.load_state_dict(adam.state_dict());
  Tensor bigger = Tensor::ones({5});
  EXPECT_THROW_WITH(other.optimize(feval, bigger), ValueError,
                    "[optim.Adam] state 'exp_avg' was built for weights of shape [3], got weights of shape [5]");
  Tensor doubles = Tensor::ones({3}, DType::Float64);
  EXPECT_THROW_WITH(other.optimize(feval, doubles), TypeError, "state 'exp_avg' is float32, got float64 weights");
}

TEST(OptimMethodErrorsTest, WeightsAndGradientsAreChecked) {
  SGD sgd(SGDOptions{.learning_rate = 0.1});
  Tensor w = Tensor::ones({4});
  EXPECT_THROW_WITH(
      sgd.optimize(
          [](const Tensor& x) { return std::pair<double, Tensor>{0.0, Tensor::ones(x.shape(), DType::Float64)}; }, w),
      TypeError, "[optim.SGD] gradient dtype float64 does not match the weights: expected float32");
  EXPECT_THROW_WITH(sgd.optimize([](const Tensor&) { return std::pair<double, Tensor>{0.0, Tensor::ones({5})}; }, w),
                    ShapeError, "[optim.SGD] gradient shape [5] does not match the weights: expected [4]");
  EXPECT_THROW_WITH(sgd.optimize([](const Tensor&) { return std::pair<double, Tensor>{0.0, Tensor()}; }, w), ValueError,
                    "feval returned an undefined gradient");
  Tensor ints = Tensor::ones({4}, DType::Int64);
  EXPECT_THROW_WITH(sgd.optimize([](const Tensor& x) { return std::pair<double, Tensor>{0.0, x}; }, ints), TypeError,
                    "weights must be float32 or float64, got int64");
  Tensor strided = Tensor::ones({4, 2}).t();
  EXPECT_THROW_WITH(sgd.optimize([](const Tensor& x) { return std::pair<double, Tensor>{0.0, x}; }, strided),
                    ValueError, "weights must be contiguous");
  EXPECT_THROW_WITH(sgd.optimize(Feval(), w), ValueError, "[optim.SGD.optimize] feval is empty");
  EXPECT_EQ(sgd.iteration(), 0);  // failed steps do not count
}

TEST(OptimMethodErrorsTest, OptionsAreValidated) {
  EXPECT_THROW_WITH(SGD(SGDOptions{.learning_rate = -0.1}), ValueError,
                    "[optim.SGD] learning_rate must be >= 0, got -0.1");
  EXPECT_THROW_WITH(SGD(SGDOptions{.learning_rate = 0.1, .nesterov = true}), ValueError,
                    "nesterov needs momentum > 0 and dampening = 0");
  EXPECT_THROW_WITH(Adam(AdamOptions{.betas = {0.9, 1.0}}), ValueError,
                    "[optim.Adam] betas[1] must be in [0, 1), got 1");
  EXPECT_THROW_WITH(AdamW(AdamWOptions{.betas = {-0.1, 0.9}}), ValueError, "[optim.AdamW] betas[0] must be in [0, 1)");
  EXPECT_THROW_WITH(Adamax(AdamaxOptions{.betas = {0.9}}), ValueError,
                    "[optim.Adamax] betas must hold 2 values, got 1");
  EXPECT_THROW_WITH(Adam(AdamOptions{.eps = -1}), ValueError, "[optim.Adam] eps must be >= 0");
  EXPECT_THROW_WITH(Adagrad(AdagradOptions{.initial_accumulator_value = -1}), ValueError,
                    "initial_accumulator_value must be >= 0");
  EXPECT_THROW_WITH(Adadelta(AdadeltaOptions{.rho = 1.5}), ValueError, "[optim.Adadelta] rho must be in [0, 1]");
  EXPECT_THROW_WITH(RMSprop(RMSpropOptions{.momentum = -0.5}), ValueError, "[optim.RMSprop] momentum must be >= 0");
  EXPECT_THROW_WITH(Ftrl(FtrlOptions{.learning_rate_power = 0.5}), ValueError,
                    "[optim.Ftrl] learning_rate_power must be <= 0, got 0.5");
  EXPECT_THROW_WITH(LBFGS(LBFGSOptions{.line_search_fn = "backtracking"}), ValueError,
                    "line_search_fn must be '' (none) or 'strong_wolfe', got 'backtracking'");
  EXPECT_THROW_WITH(LBFGS(LBFGSOptions{.history_size = 0}), ValueError, "history_size must be >= 1");
}

TEST(OptimMethodErrorsTest, ScheduledRatesMustBeUsable) {
  Tensor w = Tensor::ones({2});
  const Feval feval = [](const Tensor& x) { return std::pair<double, Tensor>{0.0, Tensor::ones(x.shape())}; };
  SGD sgd(SGDOptions{.learning_rate = 0.1});
  sgd.set_schedule(std::make_shared<Warmup>(-0.06));
  sgd.optimize(feval, w);
  sgd.optimize(feval, w);
  EXPECT_THROW_WITH(sgd.optimize(feval, w), ValueError,
                    "[optim.SGD.optimize] the learning rate for iteration 2 is -0.02: expected a finite rate >= 0 "
                    "(schedule optim.Warmup(delta=-0.06))");
  Ftrl ftrl(FtrlOptions{.learning_rate = 0.1});
  ftrl.set_schedule(std::make_shared<Poly>(1.0, 1));
  ftrl.optimize(feval, w);  // Poly gives 0 at max_iteration: Ftrl divides by the rate
  EXPECT_THROW_WITH(ftrl.optimize(feval, w), ValueError,
                    "[optim.Ftrl] the learning rate must be > 0, got 0 at iteration 1");
}

TEST(MakeOptimMethodTest, NamesAreCaseInsensitiveAndOptionsChecked) {
  EXPECT_EQ(make_optim_method("SGD")->type_name(), "optim.SGD");
  EXPECT_EQ(make_optim_method("optim.sgd")->type_name(), "optim.SGD");
  EXPECT_EQ(make_optim_method("RmsProp")->type_name(), "optim.RMSprop");
  EXPECT_EQ(make_optim_method("lbfgs")->type_name(), "optim.LBFGS");
  auto adam = make_optim_method("adam", {{"learning_rate", 0.01}, {"betas", std::vector<double>{0.8, 0.9}}});
  EXPECT_EQ(adam->base_learning_rate(), 0.01);
  EXPECT_EQ(dynamic_cast<Adam&>(*adam).options().betas[0], 0.8);
  EXPECT_THROW_WITH(make_optim_method("adamm"), ValueError,
                    "unknown optim method 'adamm': expected one of sgd, adam, adamw, adamax, adagrad, adadelta, "
                    "rmsprop, ftrl, lbfgs");
  EXPECT_THROW_WITH(make_optim_method("sgd", {{"lr", 0.1}}), ValueError,
                    "[optim.SGD] unknown option 'lr': expected one of learning_rate, learning_rate_decay");
  EXPECT_THROW_WITH(make_optim_method("sgd", {{"learning_rate", std::string("fast")}}), TypeError,
                    "option 'learning_rate' has the wrong type");
  EXPECT_THROW_WITH(make_optim_method("adam", {{"learning_rate", -1.0}}), ValueError, "learning_rate must be >= 0");
}

TEST(OptimMethodTest, ReprListsOptionsAndSchedule) {
  SGD sgd(SGDOptions{.learning_rate = 0.1, .momentum = 0.9});
  EXPECT_EQ(sgd.repr(),
            "optim.SGD(learning_rate=0.1, learning_rate_decay=0, weight_decay=0, momentum=0.9, dampening=0, "
            "nesterov=false)");
  sgd.set_schedule(std::make_shared<MultiStep>(std::vector<int64_t>{10, 20}, 0.1));
  EXPECT_EQ(sgd.repr(),
            "optim.SGD(learning_rate=0.1, learning_rate_decay=0, weight_decay=0, momentum=0.9, dampening=0, "
            "nesterov=false, schedule=optim.MultiStep(milestones=[10, 20], gamma=0.1))");
  EXPECT_EQ(LBFGS().repr(),
            "optim.LBFGS(learning_rate=1, max_iter=20, max_eval=0, tolerance_grad=1e-07, tolerance_change=1e-09, "
            "history_size=100, line_search_fn='')");
}

}  // namespace
}  // namespace ember::optim
