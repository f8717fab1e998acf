// ember_collective_worker: one rank of a Collective in its own process, for the failure tests in
// tests/cpp/dist/collective_process_test.cpp (a killed, silent or aborting rank must make every
// other rank fail with a clear message, which needs real processes).
//
//   ember_collective_worker DIR RANK WORLD TIMEOUT STEPS [ACTION STEP [CAUSE]]
//
// Rendezvous: the worker binds 127.0.0.1 port 0, writes its port to DIR/port.RANK and waits for every
// rank's file (the test may write one itself for a rank that never comes). Then it runs STEPS steps,
// each a ring all-reduce (1.2 MB) and a direct one (4 KB), checking the sums. At step STEP it does
// ACTION first: kill (SIGKILL itself), exit (_exit(3)), sleep (forever; the test kills it), abort
// (Collective::abort(CAUSE), then one more all_reduce, which must throw). ACTION wrong_secret uses
// another job secret from the start.
//
// Prints key=value lines: status=ok | status=collective_error (exit 1, with failed_rank, cause and
// message) | status=error (exit 2, with message).
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "ember/dist/collective.h"

using namespace ember;
using namespace ember::dist;

namespace {

int read_port(const std::string& path) {
  std::ifstream in(path);
  int port = -1;
  in >> port;
  return in ? port : -1;
}

void check_sums(const Tensor& t, int world, const char* what) {
  const double want = world * (world + 1) / 2.0;
  const float* p = t.data<float>();
  for (int64_t i = 0; i < t.numel(); ++i)
    if (p[i] != static_cast<float>(want * (1 + i % 3)))
      throw std::runtime_error(std::string(what) + ": wrong sum at " + std::to_string(i));
}

Tensor filled(int64_t n, int rank) {
  Tensor t = Tensor::empty({n});
  float* p = t.data<float>();
  for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>((rank + 1) * (1 + i % 3));
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s DIR RANK WORLD TIMEOUT STEPS [ACTION STEP [CAUSE]]\n", argv[0]);
    return 64;
  }
  const std::string dir = argv[1];
  const int rank = std::atoi(argv[2]), world = std::atoi(argv[3]);
  const double timeout = std::atof(argv[4]);
  const int steps = std::atoi(argv[5]);
  const std::string action = argc > 6 ? argv[6] : "";
  const int at = argc > 7 ? std::atoi(argv[7]) : -1;
  const std::string cause = argc > 8 ? argv[8] : "";
  try {
    Listener listener("127.0.0.1");
    {
      const std::string tmp = dir + "/tmp." + std::to_string(rank), path = dir + "/port." + std::to_string(rank);
      std::ofstream(tmp) << listener.port() << "\n";
      std::rename(tmp.c_str(), path.c_str());
    }
    std::vector<std::string> peers(world);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (int q = 0; q < world; ++q) {
      int port;
      while ((port = read_port(dir + "/port." + std::to_string(q))) < 0) {
        if (std::chrono::steady_clock::now() > until) throw std::runtime_error("rendezvous timed out");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      peers[q] = "127.0.0.1:" + std::to_string(port);
    }
    std::string secret = "ember-test-job-secret-0123456789";
    if (action == "wrong_secret") secret = "not-the-job-secret-9876543210abc";
    CollectiveOptions options{.rank = rank,
                              .world_size = world,
                              .peers = peers,
                              .secret = std::vector<uint8_t>(secret.begin(), secret.end()),
                              .timeout = timeout};
    Collective c(std::move(listener), options);
    for (int step = 0; step < steps; ++step) {
      if (step == at) {
        if (action == "kill") raise(SIGKILL);
        if (action == "exit") _exit(3);
        if (action == "sleep")
          while (true) std::this_thread::sleep_for(std::chrono::seconds(100));
        if (action == "abort") {
          c.abort(cause);
          c.abort(cause);  // twice is fine
          if (c.ok()) throw std::runtime_error("ok() after abort()");
        }
      }
      Tensor big = filled(300000, rank), small = filled(1000, rank);
      c.all_reduce(big);
      check_sums(big, world, "ring all_reduce");
      c.all_reduce(small);
      check_sums(small, world, "direct all_reduce");
    }
    c.barrier();
    std::printf("status=ok\n");
    return 0;
  } catch (const CollectiveError& e) {
    std::printf("status=collective_error\nfailed_rank=%d\ncause=%s\nmessage=%s\n", e.failed_rank(), e.cause().c_str(),
                e.what());
    return 1;
  } catch (const std::exception& e) {
    std::printf("status=error\nmessage=%s\n", e.what());
    return 2;
  }
}
