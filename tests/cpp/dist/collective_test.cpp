// Collective with threads as ranks: each thread owns a Listener and a Collective on 127.0.0.1.
// Correctness of every operation on 2, 3 and 4 ranks, odd sizes, all dtypes, both all-reduce paths,
// argument errors and malformed frames from a raw peer. Failures of whole ranks (killed, silent,
// aborting processes) are in collective_process_test.cpp.
#include "ember/dist/collective.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <thread>

#include "common/gradient_check.h"
#include "ember/dist/auth.h"
#include "ember/dist/mesh.h"

namespace ember::dist {
namespace {

const std::vector<uint8_t> kSecret = random_bytes(32);

/// Runs body(collective) on `world` ranks, one thread each; rethrows the first rank's exception.
void run_ranks(int world, const std::function<void(Collective&)>& body, CollectiveOptions base = {}) {
  std::vector<Listener> listeners;
  std::vector<std::string> peers;
  for (int r = 0; r < world; ++r) {
    listeners.emplace_back("127.0.0.1");
    peers.push_back("127.0.0.1:" + std::to_string(listeners.back().port()));
  }
  std::vector<std::exception_ptr> errors(world);
  std::vector<std::thread> threads;
  for (int r = 0; r < world; ++r) {
    threads.emplace_back([&, r, listener = std::move(listeners[r])]() mutable {
      try {
        CollectiveOptions o = base;
        o.rank = r;
        o.world_size = world;
        o.peers = peers;
        o.secret = kSecret;
        if (o.timeout == CollectiveOptions{}.timeout) o.timeout = 30;
        Collective c(std::move(listener), o);
        body(c);
      } catch (...) {
        errors[r] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

/// Small integers: sums over 4 ranks are exact in every dtype (bfloat16 holds integers to 256).
double int_value(int rank, int64_t i) { return static_cast<double>((i * 7 + rank * 13) % 17) - 8; }
/// Values with many mantissa bits, so that the order of additions shows in the result.
double frac_value(int rank, int64_t i) {
  const uint64_t h = (static_cast<uint64_t>(i) * 2654435761u + static_cast<uint64_t>(rank) * 40503u) % 100003u;
  return static_cast<double>(h) / 100003.0 * 2.0 - 1.0 + 1e-3 * rank;
}

Tensor filled(int64_t n, DType dtype, int rank, double (*value)(int, int64_t)) {
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = value(rank, i);
  return Tensor::from_vector(v, {n}, dtype);
}

/// What rank r contributes, as the buffer's dtype stores it.
double stored(DType dtype, double v) {
  if (dtype == DType::Float32) return static_cast<float>(v);
  if (dtype == DType::BFloat16) return static_cast<float>(BFloat16(static_cast<float>(v)));
  return v;
}

std::vector<uint8_t> raw_bytes(const Tensor& t) {
  const auto* p = static_cast<const uint8_t*>(t.raw_data());
  return {p, p + t.numel() * itemsize(t.dtype())};
}

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

// ---- shard_range -----------------------------------------------------------------------------

TEST(CollectiveTest, ShardRangeGivesTheFirstShardsOneMore) {
  using P = std::pair<int64_t, int64_t>;
  EXPECT_EQ(Collective::shard_range(10, 4, 0), P(0, 3));
  EXPECT_EQ(Collective::shard_range(10, 4, 1), P(3, 6));
  EXPECT_EQ(Collective::shard_range(10, 4, 2), P(6, 8));
  EXPECT_EQ(Collective::shard_range(10, 4, 3), P(8, 10));
  EXPECT_EQ(Collective::shard_range(2, 4, 1), P(1, 2));
  EXPECT_EQ(Collective::shard_range(2, 4, 3), P(2, 2));
  EXPECT_EQ(Collective::shard_range(0, 3, 2), P(0, 0));
  EXPECT_EQ(Collective::shard_range(7, 1, 0), P(0, 7));
  for (int w = 1; w <= 5; ++w) {
    for (int64_t n : {0, 1, 4, 5, 1000003}) {
      int64_t end = 0;
      for (int s = 0; s < w; ++s) {
        auto [b, e] = Collective::shard_range(n, w, s);
        EXPECT_EQ(b, end);
        EXPECT_GE(e - b, n / w);
        EXPECT_LE(e - b, n / w + 1);
        end = e;
      }
      EXPECT_EQ(end, n);
    }
  }
  EXPECT_THROW_WITH(Collective::shard_range(10, 4, 4), ValueError,
                    "[dist.Collective.shard_range] shard must be in [0, 4), got 4");
  EXPECT_THROW_WITH(Collective::shard_range(10, 0, 0), ValueError, "world_size must be at least 1, got 0");
  EXPECT_THROW_WITH(Collective::shard_range(-1, 2, 0), ValueError, "n must be >= 0, got -1");
}

// ---- all_reduce ------------------------------------------------------------------------------

struct ReduceCase {
  int world;
  DType dtype;
  int64_t n;
  size_t small_bytes;  // 0: the ring path even for tiny buffers
};

/// All ranks all-reduce; checks against the exact sum (integer values) and, with fractional values,
/// that every rank holds the same bits, equal to the rank-order sum on the direct path.
void check_all_reduce(const ReduceCase& k) {
  std::vector<std::vector<uint8_t>> frac_results(k.world);
  CollectiveOptions o;
  o.small_bytes = k.small_bytes;
  o.segment_bytes = 4096;  // many segments, and segments that end inside the shards
  run_ranks(
      k.world,
      [&](Collective& c) {
        const int r = c.rank();
        Tensor t = filled(k.n, k.dtype, r, int_value);
        c.all_reduce(t);
        const std::vector<double> got = t.to_vector();
        for (int64_t i = 0; i < k.n; ++i) {
          double want = 0;
          for (int q = 0; q < k.world; ++q) want += int_value(q, i);
          ASSERT_EQ(got[i], want) << "rank " << r << " element " << i;
        }
        Tensor f = filled(k.n, k.dtype, r, frac_value);
        c.all_reduce(f);
        frac_results[r] = raw_bytes(f);
        const std::vector<double> fv = f.to_vector();
        const bool direct = static_cast<size_t>(k.n) * itemsize(k.dtype) <= k.small_bytes;
        for (int64_t i = 0; i < k.n; ++i) {
          double exact = 0;
          for (int q = 0; q < k.world; ++q) exact += stored(k.dtype, frac_value(q, i));
          if (direct) {  // the sum in rank order, in float32 for float32 and bfloat16 (rounded once)
            double d = stored(k.dtype, frac_value(0, i));
            float f = static_cast<float>(d);
            for (int q = 1; q < k.world; ++q) {
              d += stored(k.dtype, frac_value(q, i));
              f += static_cast<float>(stored(k.dtype, frac_value(q, i)));
            }
            ASSERT_EQ(fv[i], k.dtype == DType::Float64 ? d : stored(k.dtype, f)) << "element " << i;
          }
          const double tol = k.dtype == DType::Float64 ? 1e-12 : k.dtype == DType::Float32 ? 1e-5 : 0.05;
          ASSERT_NEAR(fv[i], exact, tol) << "rank " << r << " element " << i;
        }
      },
      o);
  for (int r = 1; r < k.world; ++r) EXPECT_EQ(frac_results[r], frac_results[0]) << "rank " << r << " differs from rank 0";
}

TEST(CollectiveTest, AllReduceSumsOnEveryPathSizeAndDtype) {
  for (int world : {2, 3, 4}) {
    for (DType dtype : {DType::Float32, DType::Float64, DType::BFloat16}) {
      for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{world - 1}, int64_t{1000}, int64_t{20011}}) {
        for (size_t small : {size_t{64 * 1024}, size_t{0}}) {
          SCOPED_TRACE(testing::Message() << "world " << world << " " << dtype_name(dtype) << " n " << n << " small_bytes "
                                          << small);
          check_all_reduce({world, dtype, n, small});
        }
      }
    }
  }
}

TEST(CollectiveTest, AllReduceOfAMillionFloatsOnTheRingIsIdenticalOnEveryRank) {
  for (int world : {2, 4}) {
    SCOPED_TRACE(testing::Message() << "world " << world);
    const int64_t n = 1000003;
    std::vector<std::vector<uint8_t>> results(world);
    run_ranks(world, [&](Collective& c) {
      Tensor t = filled(n, DType::Float32, c.rank(), frac_value);
      c.all_reduce(t);
      results[c.rank()] = raw_bytes(t);
      const float* p = t.data<float>();
      for (int64_t i = 0; i < n; i += 997) {
        double exact = 0;
        for (int q = 0; q < world; ++q) exact += static_cast<float>(frac_value(q, i));
        ASSERT_NEAR(p[i], exact, 1e-5) << "element " << i;
      }
      // Every byte that went out came back as the sum: (world - 1) / world of the buffer each way,
      // twice (reduce-scatter and all-gather), plus 16-byte frame headers.
      const double payload = 2.0 * (world - 1) / world * n * 4;
      EXPECT_GE(c.stats().bytes_sent, payload - 8 * world);
      EXPECT_LE(c.stats().bytes_sent, payload * 1.01);
    });
    for (int r = 1; r < world; ++r) EXPECT_TRUE(results[r] == results[0]) << "rank " << r << " differs from rank 0";
  }
}

TEST(CollectiveTest, AllReduceOfDoubleValues) {
  run_ranks(3, [](Collective& c) {
    std::vector<double> v = {1.0 * c.rank(), 0.5, -2.0};
    c.all_reduce(std::span<double>(v));
    EXPECT_EQ(v, (std::vector<double>{3.0, 1.5, -6.0}));
    std::vector<double> none;
    c.all_reduce(std::span<double>(none));
  });
}

// ---- reduce_scatter, all_gather, broadcast ----------------------------------------------------

TEST(CollectiveTest, ReduceScatterLeavesEachRankTheSumOfItsShard) {
  for (int world : {2, 3, 4}) {
    for (DType dtype : {DType::Float32, DType::Float64, DType::BFloat16}) {
      for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{world - 1}, int64_t{7}, int64_t{100003}}) {
        SCOPED_TRACE(testing::Message() << "world " << world << " " << dtype_name(dtype) << " n " << n);
        CollectiveOptions o;
        o.segment_bytes = 1000;
        run_ranks(
            world,
            [&](Collective& c) {
              Tensor t = filled(n, dtype, c.rank(), int_value);
              c.reduce_scatter(t);
              auto [b, e] = c.shard_range(n);
              const std::vector<double> got = t.to_vector();
              for (int64_t i = b; i < e; ++i) {
                double want = 0;
                for (int q = 0; q < world; ++q) want += int_value(q, i);
                ASSERT_EQ(got[i], want) << "rank " << c.rank() << " element " << i;
              }
            },
            o);
      }
    }
  }
}

TEST(CollectiveTest, ReduceScatterWithBFloat16WireHalvesTheBytesWithinBFloat16Precision) {
  for (int world : {2, 3, 4}) {
    SCOPED_TRACE(testing::Message() << "world " << world);
    const int64_t n = 200003;
    run_ranks(world, [&](Collective& c) {
      Tensor native = filled(n, DType::Float32, c.rank(), frac_value);
      Tensor wire = native.clone();
      const uint64_t before = c.stats().bytes_sent;
      c.reduce_scatter(native);
      const uint64_t native_bytes = c.stats().bytes_sent - before;
      c.reduce_scatter(wire, Wire::BFloat16);
      const uint64_t wire_bytes = c.stats().bytes_sent - before - native_bytes;
      EXPECT_LT(wire_bytes, native_bytes * 0.51);
      EXPECT_GT(wire_bytes, native_bytes * 0.49);
      auto [b, e] = c.shard_range(n);
      const float* x = native.data<float>();
      const float* y = wire.data<float>();
      int64_t differ = 0;
      for (int64_t i = b; i < e; ++i) {
        double magnitude = 0;
        for (int q = 0; q < world; ++q) magnitude += std::abs(frac_value(q, i));
        // Each of the world - 1 hops rounds a partial sum to bfloat16 (relative error 2^-9).
        ASSERT_NEAR(y[i], x[i], world * magnitude * std::ldexp(1.0, -9) + 1e-6) << "element " << i;
        differ += x[i] != y[i];
      }
      EXPECT_GT(differ, (e - b) / 2) << "bfloat16 rounding should show in most sums";
    });
  }
  // Float64 buffers cannot be sent as bfloat16.
  EXPECT_THROW_WITH(run_ranks(1,
                              [](Collective& c) {
                                Tensor t = Tensor::zeros({4}, DType::Float64);
                                c.reduce_scatter(t, Wire::BFloat16);
                              }),
                    ValueError, "reduce_scatter: bfloat16 wire compression needs a float32 buffer, got float64");
}

TEST(CollectiveTest, AllGatherCopiesEveryShardToEveryRank) {
  for (int world : {2, 3, 4}) {
    for (DType dtype : {DType::Float32, DType::Float64, DType::BFloat16}) {
      for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{world - 1}, int64_t{7}, int64_t{100003}}) {
        SCOPED_TRACE(testing::Message() << "world " << world << " " << dtype_name(dtype) << " n " << n);
        CollectiveOptions o;
        o.segment_bytes = 999;
        run_ranks(
            world,
            [&](Collective& c) {
              Tensor t = Tensor::full({n}, -1000.0, dtype);
              auto [b, e] = c.shard_range(n);
              Tensor mine = filled(n, dtype, c.rank(), frac_value);
              if (e > b) t.narrow(0, b, e - b).copy_(mine.narrow(0, b, e - b));
              c.all_gather(t);
              const std::vector<double> got = t.to_vector();
              for (int q = 0; q < world; ++q) {
                auto [qb, qe] = Collective::shard_range(n, world, q);
                for (int64_t i = qb; i < qe; ++i)
                  ASSERT_EQ(got[i], stored(dtype, frac_value(q, i))) << "rank " << c.rank() << " element " << i;
              }
            },
            o);
      }
    }
  }
}

TEST(CollectiveTest, BroadcastCopiesTheRootsBufferDirectlyOrAlongTheChain) {
  for (int world : {2, 3, 4}) {
    for (DType dtype : {DType::Float32, DType::BFloat16, DType::Float64}) {
      for (int64_t n : {int64_t{0}, int64_t{5}, int64_t{300007}}) {
        for (int root : {0, world - 1}) {
          SCOPED_TRACE(testing::Message() << "world " << world << " " << dtype_name(dtype) << " n " << n << " root "
                                          << root);
          run_ranks(world, [&](Collective& c) {
            Tensor t = c.rank() == root ? filled(n, dtype, root, frac_value) : Tensor::zeros({n}, dtype);
            c.broadcast(t, root);
            EXPECT_EQ(raw_bytes(t), raw_bytes(filled(n, dtype, root, frac_value))) << "rank " << c.rank();
          });
        }
      }
    }
  }
}

// ---- byte operations, barrier, sequences ------------------------------------------------------

TEST(CollectiveTest, ByteOperationsMoveMessagesOfAnyLength) {
  for (int world : {2, 3, 4}) {
    SCOPED_TRACE(testing::Message() << "world " << world);
    auto message = [](int rank) {
      // Lengths 0, 3, 2 MiB + 5 (crosses segments), 11.
      const size_t len[] = {0, 3, (2 << 20) + 5, 11};
      std::vector<uint8_t> m(len[rank]);
      for (size_t i = 0; i < m.size(); ++i) m[i] = static_cast<uint8_t>(i * 31 + rank);
      return m;
    };
    run_ranks(world, [&](Collective& c) {
      const int r = c.rank(), root = world - 1;
      // broadcast_bytes: every root's message, including an empty one (rank 0's).
      for (int q = 0; q < world; ++q) EXPECT_EQ(c.broadcast_bytes(r == q ? message(q) : bytes("junk"), q), message(q));
      // gather_bytes
      const auto gathered = c.gather_bytes(message(r), root);
      if (r == root) {
        ASSERT_EQ(static_cast<int>(gathered.size()), world);
        for (int q = 0; q < world; ++q) EXPECT_EQ(gathered[q], message(q)) << "from rank " << q;
      } else {
        EXPECT_TRUE(gathered.empty());
      }
      // all_gather_bytes
      const auto all = c.all_gather_bytes(message(r));
      ASSERT_EQ(static_cast<int>(all.size()), world);
      for (int q = 0; q < world; ++q) EXPECT_EQ(all[q], message(q)) << "from rank " << q;
      // scatter_bytes: rank q gets message(world - 1 - q)
      std::vector<std::vector<uint8_t>> parts;
      if (r == 0)
        for (int q = 0; q < world; ++q) parts.push_back(message(world - 1 - q));
      EXPECT_EQ(c.scatter_bytes(parts, 0), message(world - 1 - r));
    });
  }
}

TEST(CollectiveTest, ConsecutiveOperationsOfEveryKindStayInOrder) {
  CollectiveOptions o;
  o.small_bytes = 256;
  o.segment_bytes = 512;
  run_ranks(
      4,
      [](Collective& c) {
        const int r = c.rank();
        for (int round = 0; round < 5; ++round) {
          Tensor small = Tensor::full({10}, r + round, DType::Float32);
          c.all_reduce(small);  // direct (40 bytes)
          EXPECT_EQ(small.to_vector(), std::vector<double>(10, 6 + 4 * round));
          Tensor big = Tensor::full({1001}, r, DType::Float64);
          c.all_reduce(big);  // ring
          EXPECT_EQ(big.to_vector(), std::vector<double>(1001, 6));
          c.barrier();
          EXPECT_EQ(c.broadcast_bytes(bytes(r == 2 ? "from two" : ""), 2), bytes("from two"));
          Tensor rs = Tensor::full({33}, 1.0, DType::BFloat16);
          c.reduce_scatter(rs);
          auto [b, e] = c.shard_range(33);
          EXPECT_EQ(rs.narrow(0, b, e - b).to_vector(), std::vector<double>(e - b, 4));
          Tensor ag = Tensor::full({33}, 0.0, DType::Float32);
          ag.narrow(0, b, e - b).fill_(r);
          c.all_gather(ag);
          for (int q = 0; q < 4; ++q) {
            auto [qb, qe] = Collective::shard_range(33, 4, q);
            EXPECT_EQ(ag.narrow(0, qb, qe - qb).to_vector(), std::vector<double>(qe - qb, q));
          }
          std::vector<double> v = {1.0};
          c.all_reduce(std::span<double>(v));
          EXPECT_EQ(v[0], 4.0);
        }
        EXPECT_TRUE(c.ok());
      },
      o);
}

TEST(CollectiveTest, WorldOfOneIsACopy) {
  Listener listener("127.0.0.1");
  const std::string me = "127.0.0.1:" + std::to_string(listener.port());
  Collective c(std::move(listener), {.rank = 0, .world_size = 1, .peers = {me}, .secret = kSecret, .timeout = 5});
  EXPECT_EQ(c.rank(), 0);
  EXPECT_EQ(c.world_size(), 1);
  Tensor t = Tensor::arange(5);
  c.all_reduce(t);
  c.reduce_scatter(t, Wire::BFloat16);
  c.all_gather(t);
  c.broadcast(t);
  c.barrier();
  EXPECT_EQ(t.to_vector(), (std::vector<double>{0, 1, 2, 3, 4}));
  std::vector<double> v = {2.5};
  c.all_reduce(std::span<double>(v));
  EXPECT_EQ(v[0], 2.5);
  EXPECT_EQ(c.broadcast_bytes(bytes("x")), bytes("x"));
  EXPECT_EQ(c.gather_bytes(bytes("y")), std::vector<std::vector<uint8_t>>{bytes("y")});
  EXPECT_EQ(c.all_gather_bytes(bytes("z")), std::vector<std::vector<uint8_t>>{bytes("z")});
  EXPECT_EQ(c.scatter_bytes({bytes("w")}), bytes("w"));
  EXPECT_EQ(c.stats().bytes_sent, 0u);
  c.abort("done");
  EXPECT_FALSE(c.ok());
}

// ---- argument errors ---------------------------------------------------------------------------

TEST(CollectiveTest, OptionsAreChecked) {
  auto make = [](CollectiveOptions o) {
    Listener listener("127.0.0.1");
    Collective c(std::move(listener), std::move(o));
  };
  const std::vector<std::string> two = {"127.0.0.1:1", "127.0.0.1:2"};
  EXPECT_THROW_WITH(make({.rank = 0, .world_size = 0, .peers = {}, .secret = kSecret}), ValueError,
                    "[dist.Collective] world_size must be at least 1, got 0");
  EXPECT_THROW_WITH(make({.rank = 2, .world_size = 2, .peers = two, .secret = kSecret}), ValueError,
                    "rank must be in [0, 2), got 2");
  EXPECT_THROW_WITH(make({.rank = 0, .world_size = 2, .peers = {"127.0.0.1:1"}, .secret = kSecret}), ValueError,
                    "peers must hold world_size (2) addresses, got 1");
  EXPECT_THROW_WITH(make({.rank = 0, .world_size = 2, .peers = {"127.0.0.1:1", "nohost"}, .secret = kSecret}),
                    ValueError, "peers[1] must be \"host:port\" with a port in 1..65535, got \"nohost\"");
  EXPECT_THROW_WITH(make({.rank = 0, .world_size = 2, .peers = {"127.0.0.1:70000", "h:1"}, .secret = kSecret}),
                    ValueError, "peers[0] must be \"host:port\"");
  EXPECT_THROW_WITH(make({.rank = 0, .world_size = 2, .peers = two, .secret = bytes("short")}), ValueError,
                    "the secret must be at least 16 bytes, got 5");
  EXPECT_THROW_WITH(make({.rank = 0, .world_size = 2, .peers = two, .secret = kSecret, .timeout = 0}), ValueError,
                    "timeout must be a positive number of seconds, got 0");
  EXPECT_THROW_WITH(make({.rank = 0, .world_size = 2, .peers = two, .secret = kSecret, .segment_bytes = 0}), ValueError,
                    "segment_bytes must be at least 1, got 0");
}

TEST(CollectiveTest, ABadBufferOnOneRankAbortsTheOthers) {
  std::string other;
  int other_rank = -2;
  EXPECT_THROW_WITH(run_ranks(2,
                              [&](Collective& c) {
                                if (c.rank() == 0) {
                                  Tensor t = Tensor::zeros({4}, DType::Int32);
                                  c.all_reduce(t);
                                } else {
                                  Tensor t = Tensor::zeros({4});
                                  try {
                                    c.all_reduce(t);
                                  } catch (const CollectiveError& e) {
                                    other = e.what();
                                    other_rank = e.failed_rank();
                                  }
                                }
                              }),
                    TypeError,
                    "[dist.Collective rank 0] all_reduce: expected a float32, float64 or bfloat16 buffer, got int32");
  EXPECT_EQ(other_rank, 0);
  EXPECT_NE(other.find("[dist.Collective rank 1] all_reduce: rank 0 failed: [dist.Collective rank 0] all_reduce: "
                       "expected a float32"),
            std::string::npos)
      << other;

  auto alone = [](const std::function<void(Collective&)>& f) { run_ranks(1, f); };
  EXPECT_THROW_WITH(alone([](Collective& c) {
                      Tensor t = Tensor::zeros({3, 4}).t();
                      c.all_gather(t);
                    }),
                    ValueError, "all_gather: expected a contiguous buffer, got shape");
  EXPECT_THROW_WITH(alone([](Collective& c) {
                      Tensor t;
                      c.broadcast(t);
                    }),
                    ValueError, "broadcast: the buffer is an undefined tensor");
  EXPECT_THROW_WITH(alone([](Collective& c) {
                      float data[2] = {1, 2};
                      Tensor t = Tensor::from_blob(data, {2}, DType::Float32, nullptr, {}, false);
                      c.all_reduce(t);
                    }),
                    ValueError, "all_reduce: the buffer is read-only");
  EXPECT_THROW_WITH(alone([](Collective& c) {
                      Tensor t = Tensor::zeros({2});
                      c.broadcast(t, 1);
                    }),
                    ValueError, "[dist.Collective rank 0] broadcast: root must be in [0, 1), got 1");
  EXPECT_THROW_WITH(alone([](Collective& c) { c.scatter_bytes({}, 0); }), ValueError,
                    "scatter_bytes: the root must pass one part per rank (1), got 0");
  // After an error the collective refuses further work.
  EXPECT_THROW_WITH(alone([](Collective& c) {
                      try {
                        c.broadcast_bytes({}, -1);
                      } catch (const ValueError&) {
                      }
                      EXPECT_FALSE(c.ok());
                      c.barrier();
                    }),
                    CollectiveError,
                    "[dist.Collective rank 0] barrier: unusable after an earlier failure (aborted on this rank: "
                    "[dist.Collective rank 0] broadcast_bytes: root must be in [0, 1), got -1)");
}

TEST(CollectiveTest, RanksCallingDifferentCollectivesFailClearly) {
  std::vector<std::string> messages(2);
  run_ranks(2, [&](Collective& c) {
    try {
      if (c.rank() == 0) {
        Tensor t = Tensor::zeros({4});
        c.all_reduce(t);
      } else {
        c.broadcast_bytes(bytes("hello"), 1);  // returns once sent: rank 1 notices in its next operation
        c.barrier();
      }
    } catch (const CollectiveError& e) {
      messages[c.rank()] = e.what();
    }
  });
  // Each rank reads the other's data where it expects its own operation's.
  for (const std::string& m : messages) {
    EXPECT_NE(m.find("where"), std::string::npos) << m;
    EXPECT_NE(m.find("the ranks called different collectives"), std::string::npos) << m;
  }

  // The same collective with different roots: rank 2 waits for rank 1 and gets rank 0's data. Unless rank
  // 1, done with rank 0's broadcast, gets its barrier frame to rank 2 first: then rank 2 reads that
  // instead and blames rank 1. Either way every rank fails naming the same rank, and says why.
  std::vector<std::string> errors(3);
  std::vector<int> failed(3, -2);
  run_ranks(3, [&](Collective& c) {
    try {
      Tensor t = Tensor::zeros({3});
      c.broadcast(t, c.rank() == 2 ? 1 : 0);
      c.barrier();
    } catch (const CollectiveError& e) {
      errors[c.rank()] = e.what();
      failed[c.rank()] = e.failed_rank();
    }
  });
  ASSERT_TRUE(failed[0] == 0 || failed[0] == 1) << errors[0];
  EXPECT_EQ(failed, (std::vector<int>(3, failed[0])));
  if (failed[0] == 0) {
    EXPECT_NE(errors[2].find("[dist.Collective rank 2] broadcast: rank 0 failed: malformed frame from rank 0 "
                             "(127.0.0.1:"),
              std::string::npos)
        << errors[2];
    EXPECT_NE(errors[2].find("data of broadcast (operation #1) that this rank does not expect from it: the ranks "
                             "disagree on the operation's arguments (buffer size, dtype or root)"),
              std::string::npos)
        << errors[2];
    EXPECT_NE(errors[0].find("barrier: rank 0 failed: malformed frame from rank 0"), std::string::npos) << errors[0];
  } else {
    EXPECT_NE(errors[2].find("[dist.Collective rank 2] broadcast: rank 1 failed: malformed frame from rank 1 "
                             "(127.0.0.1:"),
              std::string::npos)
        << errors[2];
    EXPECT_NE(errors[2].find("data of barrier (operation #2) where broadcast (operation #1) was expected: the ranks "
                             "called different collectives"),
              std::string::npos)
        << errors[2];
    EXPECT_NE(errors[0].find("rank 1 failed: malformed frame from rank 1"), std::string::npos) << errors[0];
  }
}

TEST(CollectiveTest, AbortDuringALargeRingAllReduceReachesEveryRank) {
  // Ranks 0 and 2 are inside a 4 MB ring all-reduce (sending from the sender thread) when rank 1,
  // their neighbour both ways, aborts instead of joining.
  std::vector<std::string> messages(3);
  std::vector<std::string> causes(3);
  std::vector<int> failed(3, -2);
  CollectiveOptions o;
  o.timeout = 20;
  run_ranks(
      3,
      [&](Collective& c) {
        Tensor t = Tensor::ones({1 << 20});
        try {
          if (c.rank() == 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            c.abort("gradient is NaN");
            EXPECT_FALSE(c.ok());
          }
          c.all_reduce(t);
        } catch (const CollectiveError& e) {
          messages[c.rank()] = e.what();
          causes[c.rank()] = e.cause();
          failed[c.rank()] = e.failed_rank();
        }
      },
      o);
  EXPECT_EQ(failed, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(causes, (std::vector<std::string>(3, "gradient is NaN")));
  EXPECT_EQ(messages[0], "[dist.Collective rank 0] all_reduce: rank 1 failed: gradient is NaN");
  EXPECT_EQ(messages[2], "[dist.Collective rank 2] all_reduce: rank 1 failed: gradient is NaN");
  EXPECT_EQ(messages[1], "[dist.Collective rank 1] all_reduce: unusable after an earlier failure (aborted on this "
                         "rank: gradient is NaN)");
}

// ---- a raw peer: malformed frames ---------------------------------------------------------------

/// Rank 0 is a Collective (world of 2) running `op`; rank 1 is a raw authenticated Connection that
/// sends `frame`. Returns rank 0's error.
std::string collective_error_from_raw_peer(const std::vector<uint8_t>& frame,
                                           const std::function<void(Collective&)>& op) {
  Listener l0("127.0.0.1"), l1("127.0.0.1");
  const std::vector<std::string> peers = {"127.0.0.1:" + std::to_string(l0.port()),
                                          "127.0.0.1:" + std::to_string(l1.port())};
  std::thread raw([&] {
    Connection c = Connection::connect("127.0.0.1", l0.port(), deadline_in(10));
    c.authenticate_as_client(kSecret, 1, deadline_in(10));
    c.send_all(frame.data(), frame.size(), deadline_in(10));
    try {  // until rank 0 gives up and closes
      c.recv_frame(1 << 20, deadline_in(10));
      c.recv_frame(1 << 20, deadline_in(10));
    } catch (const RuntimeError&) {
    }
  });
  std::string error = "(no error)";
  try {
    Collective c(std::move(l0), {.rank = 0, .world_size = 2, .peers = peers, .secret = kSecret, .timeout = 10});
    op(c);
  } catch (const CollectiveError& e) {
    EXPECT_EQ(e.failed_rank(), 1);
    error = e.what();
  }
  raw.join();
  return error;
}

TEST(CollectiveTest, OversizedMalformedAndUnexpectedFramesAreRejectedWithoutAllocating) {
  using detail::encode_header;
  using detail::FrameType;
  using detail::OpKind;
  auto header = [](FrameType type, OpKind op, uint32_t seq, uint64_t length) {
    auto h = encode_header({type, op, seq, length});
    return std::vector<uint8_t>(h.begin(), h.end());
  };
  auto reduce = [](Collective& c) {
    Tensor t = Tensor::zeros({10});
    c.all_reduce(t);
  };
  // 2^62 bytes would abort the process if it were allocated.
  EXPECT_NE(collective_error_from_raw_peer(header(FrameType::Data, OpKind::AllReduce, 1, uint64_t{1} << 62), reduce)
                .find("[dist.Collective rank 0] all_reduce: rank 1 failed: malformed frame from rank 1 (127.0.0.1:"),
            std::string::npos);
  EXPECT_NE(collective_error_from_raw_peer(header(FrameType::Data, OpKind::AllReduce, 1, uint64_t{1} << 62), reduce)
                .find("data frame of 4611686018427387904 bytes, expected 1 to 40 bytes"),
            std::string::npos);
  EXPECT_NE(collective_error_from_raw_peer(header(FrameType::Data, OpKind::BroadcastBytes, 1, uint64_t{1} << 40),
                                           [](Collective& c) { c.broadcast_bytes({}, 1); })
                .find("a byte message starts with its 8-byte length, got a frame of 1099511627776 bytes"),
            std::string::npos);
  EXPECT_NE(collective_error_from_raw_peer(header(FrameType::Abort, OpKind::None, 0, uint64_t{1} << 50), reduce)
                .find("abort frame of 1125899906842624 bytes, expected 8 to 4096"),
            std::string::npos);
  EXPECT_NE(collective_error_from_raw_peer(bytes("GET / HTTP/1.1\r\n\r\n"), reduce).find("not a frame header"),
            std::string::npos);
  EXPECT_NE(collective_error_from_raw_peer(header(FrameType::Data, OpKind::AllReduce, 7, 40), reduce)
                .find("data of all_reduce (operation #7) where all_reduce (operation #1) was expected"),
            std::string::npos);
  // A ring chunk cut at a byte that is not an element boundary (100000 floats take the ring path).
  EXPECT_NE(collective_error_from_raw_peer(header(FrameType::Data, OpKind::AllReduce, 1, 6),
                                           [](Collective& c) {
                                             Tensor t = Tensor::zeros({100000});
                                             c.all_reduce(t);
                                           })
                .find("data frame of 6 bytes, expected a multiple of 4 bytes from 4 to 200000"),
            std::string::npos);
  // A byte message longer than it announced.
  std::vector<uint8_t> message = header(FrameType::Data, OpKind::BroadcastBytes, 1, 8);
  for (int i = 0; i < 8; ++i) message.push_back(i == 0 ? 10 : 0);
  const std::vector<uint8_t> body = header(FrameType::Data, OpKind::BroadcastBytes, 1, 20);
  message.insert(message.end(), body.begin(), body.end());
  EXPECT_NE(collective_error_from_raw_peer(message, [](Collective& c) { c.broadcast_bytes({}, 1); })
                .find("data frame of 20 bytes, expected 1 to 10 bytes (of a message of 10 bytes)"),
            std::string::npos);
  // A well-formed abort frame: rank 0 reports the original rank and cause.
  const std::vector<uint8_t> abort = detail::encode_abort(1, 1, "out of memory on rank 1");
  EXPECT_NE(collective_error_from_raw_peer(abort, reduce).find("all_reduce: rank 1 failed: out of memory on rank 1"),
            std::string::npos);
}

TEST(CollectiveTest, APeerClaimingAnotherRankIsRejected) {
  Listener l0("127.0.0.1"), l1("127.0.0.1");
  const std::vector<std::string> peers = {"127.0.0.1:" + std::to_string(l0.port()),
                                          "127.0.0.1:" + std::to_string(l1.port())};
  std::thread raw([&] {
    try {
      Connection c = Connection::connect("127.0.0.1", l0.port(), deadline_in(10));
      c.authenticate_as_client(kSecret, 5, deadline_in(10));
      c.recv_frame(1 << 20, deadline_in(10));
    } catch (const RuntimeError&) {
    }
  });
  EXPECT_THROW_WITH(
      Collective(std::move(l0), {.rank = 0, .world_size = 2, .peers = peers, .secret = kSecret, .timeout = 10}),
      CollectiveError, "set-up: rank 1 failed: a peer at 127.0.0.1:");
  raw.join();
}

TEST(CollectiveTest, TheRankAtAnAddressMustBeTheOneDialled) {
  // Rank 1 dials peers[0], where a raw server answers as rank 5.
  Listener l0("127.0.0.1"), l1("127.0.0.1");
  const std::vector<std::string> peers = {"127.0.0.1:" + std::to_string(l0.port()),
                                          "127.0.0.1:" + std::to_string(l1.port())};
  std::thread raw([&] {
    try {
      Connection c = l0.accept(deadline_in(10));
      c.authenticate_as_server(kSecret, 5, deadline_in(10));
      c.recv_frame(1 << 20, deadline_in(10));
    } catch (const RuntimeError&) {
    }
  });
  EXPECT_THROW_WITH(
      Collective(std::move(l1), {.rank = 1, .world_size = 2, .peers = peers, .secret = kSecret, .timeout = 10}),
      CollectiveError,
      "[dist.Collective rank 1] set-up: rank 0 failed: the peer at " + peers[0] +
          " is rank 5, expected rank 0 (peers lists the ranks' addresses in rank order)");
  raw.join();
}

TEST(CollectiveTest, APeerSilentInTheHandshakeTimesOutTheSetUp) {
  Listener l0("127.0.0.1"), l1("127.0.0.1");
  const std::vector<std::string> peers = {"127.0.0.1:" + std::to_string(l0.port()),
                                          "127.0.0.1:" + std::to_string(l1.port())};
  Connection silent = Connection::connect("127.0.0.1", l0.port(), deadline_in(10));
  try {
    Collective c(std::move(l0), {.rank = 0, .world_size = 2, .peers = peers, .secret = kSecret, .timeout = 0.5});
    ADD_FAILURE() << "set-up succeeded";
  } catch (const CollectiveError& e) {
    EXPECT_EQ(e.failed_rank(), 1);
    const std::string m = e.what();
    EXPECT_NE(m.find("[dist.Collective rank 0] set-up: timed out after "), std::string::npos) << m;
    EXPECT_NE(m.find(" s in the handshake with a peer at 127.0.0.1:"), std::string::npos) << m;
    EXPECT_NE(m.find("(waiting for rank 1 (" + peers[1] + "))"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace ember::dist
