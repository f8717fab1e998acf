// Failures of whole ranks, with every rank a process (tools/collective_worker_main.cpp): a killed or
// exiting rank, a wrong secret, a rank that never arrives, abort() on one rank, a rank that stops
// responding. Every other rank must fail within its timeout with a CollectiveError that names the
// rank where the failure started; the test kills anything still running after 60 s (a hang).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ember/dist/connection.h"

extern char** environ;

namespace ember::dist {
namespace {

struct Outcome {
  bool exited = false;  // else killed by a signal
  int code = -1;        // exit code, or the signal
  std::map<std::string, std::string> out;  // the worker's key=value lines
  std::string text;
};

struct Plan {
  int world = 3;
  double timeout = 2;
  int steps = 3;
  std::map<int, std::vector<std::string>> action = {};  // rank -> ACTION STEP [CAUSE]
  std::set<int> absent = {};                      // ranks that never come (the test holds their port)
  std::set<int> killed_by_test = {};              // ranks that sleep: killed once the others are done
};

class CollectiveProcessTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ember_collective_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  /// Runs the plan's ranks as worker processes; returns each rank's outcome (absent ranks: none).
  std::map<int, Outcome> run(const Plan& plan) {
    std::vector<Listener> held;
    for (int r : plan.absent) {
      held.emplace_back("127.0.0.1");
      std::ofstream(dir_ + "/port." + std::to_string(r)) << held.back().port() << "\n";
    }
    std::map<int, pid_t> pids;
    for (int r = 0; r < plan.world; ++r) {
      if (plan.absent.count(r)) continue;
      std::vector<std::string> args = {EMBER_COLLECTIVE_WORKER, dir_,
                                       std::to_string(r),       std::to_string(plan.world),
                                       std::to_string(plan.timeout), std::to_string(plan.steps)};
      if (auto it = plan.action.find(r); it != plan.action.end()) args.insert(args.end(), it->second.begin(), it->second.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      const std::string out = dir_ + "/out." + std::to_string(r);
      posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_adddup2(&fa, 1, 2);
      pid_t pid;
      const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&fa);
      EXPECT_EQ(rc, 0) << "cannot start " << argv[0];
      if (rc == 0) pids[r] = pid;
    }
    std::map<int, Outcome> outcomes;
    auto reap = [&](int r, int status) {
      Outcome o;
      o.exited = WIFEXITED(status);
      o.code = o.exited ? WEXITSTATUS(status) : WTERMSIG(status);
      std::ifstream in(dir_ + "/out." + std::to_string(r));
      std::stringstream ss;
      ss << in.rdbuf();
      o.text = ss.str();
      std::istringstream lines(o.text);
      for (std::string line; std::getline(lines, line);)
        if (auto eq = line.find('='); eq != std::string::npos) o.out[line.substr(0, eq)] = line.substr(eq + 1);
      outcomes[r] = o;
    };
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::set<int> running;
    for (auto& [r, pid] : pids) running.insert(r);
    while (true) {
      for (auto it = running.begin(); it != running.end();) {
        int status = 0;
        if (waitpid(pids[*it], &status, WNOHANG) == pids[*it]) {
          reap(*it, status);
          it = running.erase(it);
        } else {
          ++it;
        }
      }
      bool others_done = true;
      for (int r : running) others_done = others_done && plan.killed_by_test.count(r);
      const bool hang = std::chrono::steady_clock::now() > limit;
      if (others_done || hang) {
        for (int r : running) {
          if (hang) ADD_FAILURE() << "rank " << r << " still runs after 60 s";
          kill(pids[r], SIGKILL);
          int status = 0;
          waitpid(pids[r], &status, 0);
          reap(r, status);
        }
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return outcomes;
  }

  std::string port_of(int rank) {
    std::ifstream in(dir_ + "/port." + std::to_string(rank));
    std::string p;
    in >> p;
    return p;
  }

  std::string dir_;
};

#define EXPECT_CONTAINS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << "in: " << (text) << "\nexpected: " << (part)

/// Checks that rank r threw CollectiveError naming `failed`.
void expect_collective_error(const Outcome& o, int r, int failed) {
  SCOPED_TRACE(testing::Message() << "rank " << r << " printed:\n" << o.text);
  EXPECT_TRUE(o.exited);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.out.count("status") ? o.out.at("status") : "", "collective_error");
  EXPECT_EQ(o.out.count("failed_rank") ? o.out.at("failed_rank") : "", std::to_string(failed));
}

TEST_F(CollectiveProcessTest, EveryRankCompletesWithoutFailures) {
  const auto out = run({.world = 3, .timeout = 10, .steps = 3});
  for (auto& [r, o] : out) {
    EXPECT_EQ(o.code, 0) << o.text;
    EXPECT_EQ(o.out.count("status") ? o.out.at("status") : "", "ok") << o.text;
  }
}

TEST_F(CollectiveProcessTest, AKilledRankMakesEveryOtherRankFailNamingIt) {
  const auto out = run({.world = 4, .timeout = 3, .steps = 4, .action = {{2, {"kill", "2"}}}});
  EXPECT_FALSE(out.at(2).exited);
  EXPECT_EQ(out.at(2).code, SIGKILL);
  for (int r : {0, 1, 3}) {
    expect_collective_error(out.at(r), r, 2);
    EXPECT_CONTAINS(out.at(r).out.at("message"), "[dist.Collective rank " + std::to_string(r) +
                                                     "] all_reduce: rank 2 failed: lost connection to rank 2 (127.0.0.1:" +
                                                     port_of(2) + ")");
  }
}

TEST_F(CollectiveProcessTest, ARankThatExitsMakesEveryOtherRankFailNamingIt) {
  const auto out = run({.world = 3, .timeout = 3, .steps = 3, .action = {{0, {"exit", "1"}}}});
  EXPECT_EQ(out.at(0).code, 3);
  for (int r : {1, 2}) {
    expect_collective_error(out.at(r), r, 0);
    EXPECT_CONTAINS(out.at(r).out.at("message"), "all_reduce: rank 0 failed: lost connection to rank 0");
  }
}

TEST_F(CollectiveProcessTest, AWrongSecretIsRejectedOnBothSides) {
  const auto out = run({.world = 2, .timeout = 3, .steps = 1, .action = {{1, {"wrong_secret"}}}});
  expect_collective_error(out.at(0), 0, 1);
  EXPECT_CONTAINS(out.at(0).out.at("message"), "[dist.Collective rank 0] set-up: rank 1 failed: authentication of a peer at 127.0.0.1:");
  EXPECT_CONTAINS(out.at(0).out.at("message"), "claiming rank 1 failed");
  EXPECT_CONTAINS(out.at(0).out.at("message"), "does not know this job's secret");
  expect_collective_error(out.at(1), 1, 0);
  EXPECT_CONTAINS(out.at(1).out.at("message"), "[dist.Collective rank 1] set-up: rank 0 failed: could not connect to rank 0 (127.0.0.1:" + port_of(0) + ")");
  EXPECT_CONTAINS(out.at(1).out.at("message"), "authentication failed: rank 0 refused this rank's proof");
}

TEST_F(CollectiveProcessTest, ARankThatNeverArrivesTimesOutTheSetUpNamingIt) {
  const auto out = run({.world = 3, .timeout = 1, .steps = 1, .absent = {1}});
  for (int r : {0, 2}) {
    expect_collective_error(out.at(r), r, 1);
    EXPECT_CONTAINS(out.at(r).out.at("message"), "set-up: timed out after ");
    EXPECT_CONTAINS(out.at(r).out.at("message"), "s waiting for rank 1 (127.0.0.1:" + port_of(1) + ")");
  }
}

TEST_F(CollectiveProcessTest, AbortOnOneRankReachesEveryOtherRankWithItsCause) {
  const auto out = run({.world = 3, .timeout = 3, .steps = 3, .action = {{1, {"abort", "1", "loss is NaN at step 1"}}}});
  for (int r : {0, 2}) {
    expect_collective_error(out.at(r), r, 1);
    EXPECT_EQ(out.at(r).out.at("cause"), "loss is NaN at step 1");
    EXPECT_CONTAINS(out.at(r).out.at("message"), "all_reduce: rank 1 failed: loss is NaN at step 1");
  }
  expect_collective_error(out.at(1), 1, 1);
  EXPECT_CONTAINS(out.at(1).out.at("message"), "[dist.Collective rank 1] all_reduce: unusable after an earlier failure "
                                               "(aborted on this rank: loss is NaN at step 1)");
}

TEST_F(CollectiveProcessTest, ARankThatStopsRespondingTimesOutEveryOtherRankNamingIt) {
  const auto out = run({.world = 3, .timeout = 1.5, .steps = 3, .action = {{2, {"sleep", "1"}}}, .killed_by_test = {2}});
  for (int r : {0, 1}) {
    expect_collective_error(out.at(r), r, 2);
    EXPECT_CONTAINS(out.at(r).out.at("message"), "all_reduce: ");
    EXPECT_CONTAINS(out.at(r).out.at("message"), "timed out after ");
    EXPECT_CONTAINS(out.at(r).out.at("message"), "s waiting for rank 2 (127.0.0.1:" + port_of(2) + ")");
  }
}

}  // namespace
}  // namespace ember::dist
