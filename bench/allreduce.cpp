// ember_allreduce_bench: all-reduce bus bandwidth of Ember's Collective (ember/dist) against Gloo's
// ring all-reduce (gloo::allreduce with the RING algorithm, TCP transport), measured in the same
// run on the same local ranks: one thread per rank, every rank on 127.0.0.1, float32 buffers.
//
//   scripts/setup --bench && scripts/build release
//   build/release/bench/ember_allreduce_bench [--ranks 2,4] [--sizes-mb 1,4,16,64] [--runs 5]
//                                             [--rounds 3] [--only ember|gloo]
//
// busbw = 2 (n - 1) / n * bytes / time (the bytes each rank moves each way in a ring all-reduce, per
// second: comparable across rank counts). Time: the median over `rounds` x `runs` of the mean of a
// few back-to-back all-reduces, timed on rank 0 after a warm-up; rounds alternate Ember and Gloo. Gloo runs one extra I/O thread per
// rank (its device loop) beside the caller's; Ember does everything on the caller's thread. Built
// without Gloo (no libgloo-dev), the bench measures Ember alone.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ember/dist/auth.h"
#include "ember/dist/collective.h"

#ifdef EMBER_BENCH_GLOO
#include <gloo/allreduce.h>
#include <gloo/math.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/hash_store.h>
#include <gloo/rendezvous/prefix_store.h>
#include <gloo/transport/tcp/device.h>
#endif

using namespace ember;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<int> parse_list(const char* s) {
  std::vector<int> out;
  for (const char* p = s; *p;) {
    out.push_back(std::atoi(p));
    while (*p && *p != ',') ++p;
    if (*p == ',') ++p;
  }
  return out;
}

/// Back-to-back all-reduces per timed run: enough that one run takes a few tens of ms.
int reps_for(size_t bytes) { return std::max<int>(1, static_cast<int>((16u << 20) / bytes)); }

/// One library's all-reduce on one rank: setup(rank, world) -> an all-reduce function over `data`.
using AllReduce = std::function<void(float* data, size_t n)>;
using Setup = std::function<AllReduce(int rank, int world)>;

/// Runs `world` ranks as threads, each all-reducing `bytes` of float32 (after a warm-up that checks
/// the sum); appends rank 0's seconds per all-reduce of each of `runs` timed runs to `times`.
double process_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/// Also appends the process's CPU seconds (all threads, both libraries' helpers included) per
/// all-reduce over the timed runs to `cpu`: what an all-reduce costs, whatever else the machine runs.
void measure(int world, size_t bytes, int runs, const Setup& setup, std::vector<double>& times,
             std::vector<double>& cpu) {
  std::vector<std::thread> threads;
  std::vector<std::string> errors(world);
  for (int r = 0; r < world; ++r) {
    threads.emplace_back([&, r] {
      try {
        AllReduce reduce = setup(r, world);
        const size_t n = bytes / sizeof(float);
        std::vector<float> data(n, static_cast<float>(r + 1));
        reduce(data.data(), n);
        const float want = world * (world + 1) / 2.0f;
        if (data[0] != want || data[n / 2] != want || data[n - 1] != want) throw std::runtime_error("wrong sum");
        std::fill(data.begin(), data.end(), 0.0f);  // zeros stay zeros: no overflow, no denormals
        const int reps = reps_for(bytes);
        for (int i = 0; i < reps; ++i) reduce(data.data(), n);
        const double cpu0 = process_cpu_seconds();
        for (int run = 0; run < runs; ++run) {
          const auto t0 = Clock::now();
          for (int i = 0; i < reps; ++i) reduce(data.data(), n);
          if (r == 0) times.push_back(std::chrono::duration<double>(Clock::now() - t0).count() / reps);
        }
        if (r == 0) cpu.push_back((process_cpu_seconds() - cpu0) / (runs * reps));
      } catch (const std::exception& e) {
        errors[r] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int r = 0; r < world; ++r)
    if (!errors[r].empty()) {
      std::fprintf(stderr, "rank %d: %s\n", r, errors[r].c_str());
      std::exit(1);
    }
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

Setup ember_setup() {
  // Listeners first (ports for the peers list), shared by the rank threads of one measurement.
  struct Shared {
    std::vector<dist::Listener> listeners;
    std::vector<std::string> peers;
    std::vector<uint8_t> secret = dist::random_bytes(32);
  };
  auto shared = std::make_shared<Shared>();
  return [shared](int rank, int world) -> AllReduce {
    // Rank 0 builds the listeners; the others wait for them (a tiny spin at start-up only).
    static std::mutex mu;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (shared->listeners.empty()) {
        for (int r = 0; r < world; ++r) {
          shared->listeners.emplace_back("127.0.0.1");
          shared->peers.push_back("127.0.0.1:" + std::to_string(shared->listeners.back().port()));
        }
      }
    }
    auto c = std::make_shared<dist::Collective>(
        std::move(shared->listeners[rank]),
        dist::CollectiveOptions{.rank = rank, .world_size = world, .peers = shared->peers, .secret = shared->secret,
                                .timeout = 120});
    return [c](float* data, size_t n) {
      Tensor t = Tensor::from_blob(data, {static_cast<int64_t>(n)}, DType::Float32);
      c->all_reduce(t);
    };
  };
}

#ifdef EMBER_BENCH_GLOO
Setup gloo_setup() {
  auto store = std::make_shared<gloo::rendezvous::HashStore>();
  return [store](int rank, int world) -> AllReduce {
    gloo::transport::tcp::attr attr;
    attr.hostname = "127.0.0.1";
    auto device = gloo::transport::tcp::CreateDevice(attr);
    auto context = std::make_shared<gloo::rendezvous::Context>(rank, world);
    context->setTimeout(std::chrono::seconds(120));
    context->connectFullMesh(*store, device);
    return [context, device](float* data, size_t n) {
      gloo::AllreduceOptions opts(context);
      opts.setOutput(data, n);
      opts.setAlgorithm(gloo::AllreduceOptions::Algorithm::RING);
      opts.setReduceFunction(
          static_cast<void (*)(void*, const void*, const void*, size_t)>(&gloo::sum<float>));
      gloo::allreduce(opts);
    };
  };
}
#endif

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> ranks = {2, 4}, sizes_mb = {1, 4, 16, 64};
  int runs = 5, rounds = 3;
  std::string only;  // "ember" or "gloo": measure one side (for profiling)
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--ranks" && i + 1 < argc) ranks = parse_list(argv[++i]);
    else if (a == "--sizes-mb" && i + 1 < argc) sizes_mb = parse_list(argv[++i]);
    else if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--ranks 2,4] [--sizes-mb 1,4,16,64] [--runs 5] [--rounds 3] [--only ember|gloo]\n",
                   argv[0]);
      return 2;
    }
  }
  std::vector<size_t> sizes;
  for (int mb : sizes_mb) sizes.push_back(static_cast<size_t>(mb) << 20);
  std::printf("all-reduce of float32 buffers, ranks as threads on 127.0.0.1 (%u hardware threads); busbw in GB/s\n",
              std::thread::hardware_concurrency());
  std::printf("%5s %8s %10s %10s %10s %10s %11s %9s %9s\n", "ranks", "size", "ember ms", "ember bw", "gloo ms",
              "gloo bw", "ember/gloo", "ember cpu", "gloo cpu");
  for (int world : ranks) {
    for (size_t s = 0; s < sizes.size(); ++s) {
      // Rounds alternate the two libraries, so that a change in the machine's load (other users)
      // falls on both; each round sets its ranks up afresh.
      std::vector<double> ember_times, gloo_times, ember_cpu, gloo_cpu;
      for (int round = 0; round < rounds; ++round) {
        if (only != "gloo") measure(world, sizes[s], runs, ember_setup(), ember_times, ember_cpu);
#ifdef EMBER_BENCH_GLOO
        if (only != "ember") measure(world, sizes[s], runs, gloo_setup(), gloo_times, gloo_cpu);
#endif
      }
      const double ember = median(ember_times), gloo = median(gloo_times);
      const double bus = 2.0 * (world - 1) / world * static_cast<double>(sizes[s]) / 1e9;
      std::printf("%5d %5d MB", world, sizes_mb[s]);
      if (ember > 0)
        std::printf(" %10.2f %10.2f", ember * 1e3, bus / ember);
      else
        std::printf(" %10s %10s", "-", "-");
      if (gloo > 0)
        std::printf(" %10.2f %10.2f", gloo * 1e3, bus / gloo);
      else
        std::printf(" %10s %10s", "-", "-");
      if (ember > 0 && gloo > 0)
        std::printf(" %11.2f", gloo / ember);
      else
        std::printf(" %11s", "-");
      std::printf(" %9.1f %9.1f\n", median(ember_cpu) * 1e3, median(gloo_cpu) * 1e3);
      std::fflush(stdout);
    }
  }
  return 0;
}
