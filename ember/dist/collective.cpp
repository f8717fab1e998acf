#include "ember/dist/collective.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "ember/dist/mesh.h"
#include "ember/dist/transfer.h"

namespace ember::dist {

using detail::MeshFailure;
using detail::OpKind;
using ember::detail::str_cat;

namespace {

/// A contiguous buffer of a reducible dtype.
struct Buffer {
  uint8_t* data;
  int64_t n;
  DType dtype;
  size_t bytes() const { return static_cast<size_t>(n) * itemsize(dtype); }
};

int mod(int a, int n) { return ((a % n) + n) % n; }

/// Ring transfers of buffers from this size send on the mesh's sender thread.
constexpr size_t kThreadedSendBytes = size_t{1} << 20;

std::pair<std::string, int> split_address(const std::string& address, size_t index) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0 && colon + 1 < address.size() && colon + 6 >= address.size()) {
    port = 0;
    for (size_t i = colon + 1; i < address.size(); ++i) {
      if (address[i] < '0' || address[i] > '9') {
        port = -1;
        break;
      }
      port = port * 10 + (address[i] - '0');
    }
  }
  EMBER_CHECK(port >= 1 && port <= 65535, "[dist.Collective] peers[", index, "] must be \"host:port\" with a port in ",
              "1..65535, got \"", address, "\"");
  return {address.substr(0, colon), port};
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", s);
  return buf;
}

/// Element-wise sum of every rank's buffer in rank order (so every rank computes the same bits),
/// accumulated in Acc. `out` may be one of the sources: each element is read before it is written.
template <class T, class Acc>
void sum_in_rank_order(T* out, const std::vector<const T*>& src, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    Acc a = static_cast<Acc>(src[0][i]);
    for (size_t r = 1; r < src.size(); ++r) a += static_cast<Acc>(src[r][i]);
    out[i] = static_cast<T>(a);
  }
}

}  // namespace

struct Collective::Impl {
  CollectiveOptions opt;
  detail::Mesh mesh;
  uint32_t seq = 0;
  bool failed = false;
  int failed_rank = -1;
  std::string cause, failure;  // failure: the first error's message after its "[... rank r] op: "
  std::vector<uint8_t> scratch;                 // the direct all-reduce's copies of the peers' buffers
  detail::RingTransfer::Buffers ring_buffers;  // kept between ring operations

  Impl(Listener listener, CollectiveOptions o);
  std::string prefix() const { return str_cat("[dist.Collective rank ", opt.rank, "] "); }
  void setup(Listener& listener);
  [[noreturn]] void fail(const char* op, const MeshFailure& f);
  void abort_here(const std::string& why) noexcept;

  /// Runs one operation: numbers it, gives it its deadline, and turns any failure into an abort of
  /// the whole collective (argument errors too: the peers are already waiting inside the operation).
  template <class Body>
  void operation(OpKind op, Body&& body) {
    const char* name = detail::op_name(op);
    if (failed)
      throw CollectiveError(failed_rank, cause, str_cat(prefix(), name, ": unusable after an earlier failure (", failure, ")"));
    ++seq;
    try {
      body(deadline_in(opt.timeout));
    } catch (const MeshFailure& f) {
      fail(name, f);
    } catch (const std::exception& e) {
      abort_here(e.what());
      throw;
    }
  }

  Buffer buffer(const Tensor& t, const char* op) const;
  void check_root(int root, const char* op) const;
  void ring(Buffer b, bool bf16_wire, std::vector<detail::RingTransfer::Out> out,
            std::vector<detail::RingTransfer::In> in, OpKind op, Deadline d);
  void all_reduce(Buffer b, Deadline d);
  void direct_all_reduce(Buffer b, Deadline d);
  void broadcast(Buffer b, int root, OpKind op, Deadline d);
  /// Every rank sends `send[p]` to the ranks p with send_to[p] and receives into recv[p] from
  /// the ranks with recv_from[p] (byte messages of any length).
  void exchange_bytes(const std::vector<std::span<const uint8_t>>& send, std::vector<std::vector<uint8_t>>& recv,
                      const std::vector<bool>& send_to, const std::vector<bool>& recv_from, OpKind op, Deadline d);
  std::pair<int64_t, int64_t> chunk(int64_t n, int c) const {
    auto [b, e] = Collective::shard_range(n, opt.world_size, c);
    return {b, e - b};
  }
};

Collective::Impl::Impl(Listener listener, CollectiveOptions o)
    : opt(std::move(o)), mesh(opt.rank, opt.world_size, opt.peers, opt.timeout) {
  setup(listener);
}

void Collective::Impl::setup(Listener& listener) {
  const int R = opt.rank, W = opt.world_size;
  const Deadline deadline = deadline_in(opt.timeout);
  const auto start = Clock::now();
  auto elapsed = [&] { return format_seconds(std::chrono::duration<double>(Clock::now() - start).count()); };
  auto name = [&](int q) { return str_cat("rank ", q, " (", opt.peers[q], ")"); };
  try {
    // The higher rank connects: first to every lower rank, in order, then it accepts the higher
    // ones. Rank 0 only accepts, so each rank's connections can always complete (by induction).
    for (int q = 0; q < R; ++q) {
      auto [host, port] = split_address(opt.peers[q], q);
      int32_t got = -1;
      try {
        Connection c = Connection::connect(host, port, deadline);
        got = c.authenticate_as_client(opt.secret, R, deadline);
        if (got == q) {
          mesh.add(q, std::move(c));
          continue;
        }
      } catch (const RuntimeError& e) {
        if (Clock::now() >= deadline)
          throw MeshFailure{MeshFailure::Timeout, q, R, str_cat("timed out after ", elapsed(), " s waiting for ", name(q))};
        throw MeshFailure{MeshFailure::Malformed, q, R, str_cat("could not connect to ", name(q), ": ", e.body())};
      }
      throw MeshFailure{MeshFailure::Malformed, q, R,
                        str_cat("the peer at ", opt.peers[q], " is rank ", got, ", expected rank ", q,
                                " (peers lists the ranks' addresses in rank order)")};
    }
    for (int remaining = W - 1 - R; remaining > 0; --remaining) {
      auto first_missing = [&] {
        for (int q = R + 1; q < W; ++q)
          if (!mesh.connected(q)) return q;
        return -1;
      };
      if (!mesh.wait_readable(listener.fd(), deadline)) {
        const int q = first_missing();
        throw MeshFailure{MeshFailure::Timeout, q, R,
                          str_cat("timed out after ", elapsed(), " s waiting for ", name(q), " to connect")};
      }
      Connection c = [&] {
        try {
          return listener.accept(deadline);
        } catch (const RuntimeError& e) {
          throw MeshFailure{MeshFailure::Local, R, R, e.body()};
        }
      }();
      int32_t claimed = -1, got = -1;
      try {
        got = c.authenticate_as_server(opt.secret, R, deadline, &claimed);
      } catch (const RuntimeError& e) {
        const int q = claimed > R && claimed < W ? claimed : first_missing();
        if (Clock::now() >= deadline)
          throw MeshFailure{MeshFailure::Timeout, q, R,
                            str_cat("timed out after ", elapsed(), " s in the handshake with a peer at ", c.peer(),
                                    claimed >= 0 ? str_cat(" claiming rank ", claimed) : std::string(),
                                    " (waiting for ", name(q), ")")};
        throw MeshFailure{MeshFailure::Malformed, q, R,
                          str_cat("authentication of a peer at ", c.peer(),
                                  claimed >= 0 ? str_cat(" claiming rank ", claimed) : std::string(), " failed: ", e.body())};
      }
      if (got <= R || got >= W || mesh.connected(got)) {
        const int q = first_missing();
        throw MeshFailure{MeshFailure::Malformed, q, R,
                          str_cat("a peer at ", c.peer(), " authenticated as rank ", got, ", expected one of the ranks ",
                                  "still missing (", q, got > R && got < W ? "; that rank is already connected)" : ")")};
      }
      mesh.add(got, std::move(c));
    }
  } catch (const MeshFailure& f) {
    fail("set-up", f);
  }
}

void Collective::Impl::fail(const char* op, const MeshFailure& f) {
  if (f.kind == MeshFailure::Timeout && f.reporter == opt.rank) {
    failure = f.cause;
  } else {
    failure = f.failed_rank >= 0 ? str_cat("rank ", f.failed_rank, " failed: ", f.cause) : str_cat("a rank failed: ", f.cause);
    if (f.reporter >= 0 && f.reporter != f.failed_rank && f.reporter != opt.rank)
      failure += str_cat(" (reported by rank ", f.reporter, ")");
  }
  failed = true;
  failed_rank = f.failed_rank;
  cause = f.cause;
  mesh.abort_all(f);
  throw CollectiveError(failed_rank, cause, str_cat(prefix(), op, ": ", failure));
}

void Collective::Impl::abort_here(const std::string& why) noexcept {
  if (failed) return;
  failed = true;
  failed_rank = opt.rank;
  cause = why;
  failure = str_cat("aborted on this rank: ", why);
  mesh.abort_all({MeshFailure::Local, opt.rank, opt.rank, why});
}

Buffer Collective::Impl::buffer(const Tensor& t, const char* op) const {
  EMBER_CHECK(t.defined(), prefix(), op, ": the buffer is an undefined tensor");
  EMBER_CHECK_AS(TypeError, t.dtype() == DType::Float32 || t.dtype() == DType::Float64 || t.dtype() == DType::BFloat16,
                 prefix(), op, ": expected a float32, float64 or bfloat16 buffer, got ", dtype_name(t.dtype()));
  EMBER_CHECK(t.is_contiguous(), prefix(), op, ": expected a contiguous buffer, got shape ", t.shape(), " with strides ",
              t.strides());
  EMBER_CHECK(t.storage()->writable(), prefix(), op, ": the buffer is read-only");
  return {static_cast<uint8_t*>(t.raw_data()), t.numel(), t.dtype()};
}

void Collective::Impl::check_root(int root, const char* op) const {
  EMBER_CHECK(root >= 0 && root < opt.world_size, prefix(), op, ": root must be in [0, ", opt.world_size, "), got ", root);
}

void Collective::Impl::ring(Buffer b, bool bf16_wire, std::vector<detail::RingTransfer::Out> out,
                            std::vector<detail::RingTransfer::In> in, OpKind op, Deadline d) {
  const int W = opt.world_size;
  detail::RingTransfer t(b.data, b.dtype, bf16_wire, opt.segment_bytes, std::move(out), std::move(in), ring_buffers);
  const int right = (opt.rank + 1) % W, left = (opt.rank + W - 1) % W;
  // Large rings send from the mesh's sender thread: the copies into the socket then overlap the
  // receiving and adding on this thread (see Mesh::set_send). Small ones are not worth the hand-off.
  if (t.sender() != nullptr) mesh.set_send(right, t.sender(), b.bytes() >= kThreadedSendBytes);
  if (t.receiver() != nullptr) mesh.set_recv(left, t.receiver());
  mesh.run(op, seq, d);
}

void Collective::Impl::all_reduce(Buffer b, Deadline d) {
  const int W = opt.world_size, r = opt.rank;
  if (W == 1 || b.n == 0) return;
  if (b.bytes() <= opt.small_bytes) return direct_all_reduce(b, d);
  // Reduce-scatter (rank r ends with the sum of chunk r) fused with the all-gather of the sums: one
  // stream each way, where outgoing chunk k goes out as incoming chunk k - 1 (the same elements)
  // is processed. Every rank ends with the owner's bits of every chunk.
  std::vector<detail::RingTransfer::Out> out;
  std::vector<detail::RingTransfer::In> in;
  for (int k = 0; k < W - 1; ++k) {
    auto [begin, count] = chunk(b.n, mod(r - k - 1, W));
    out.push_back({begin, count, k - 1});
    auto [ib, ic] = chunk(b.n, mod(r - k - 2, W));
    in.push_back({ib, ic, true});
  }
  for (int j = 0; j < W - 1; ++j) {
    auto [begin, count] = chunk(b.n, mod(r - j, W));
    out.push_back({begin, count, static_cast<int>(out.size()) - 1});
    auto [ib, ic] = chunk(b.n, mod(r - j - 1, W));
    in.push_back({ib, ic, false});
  }
  ring(b, false, std::move(out), std::move(in), OpKind::AllReduce, d);
}

void Collective::Impl::direct_all_reduce(Buffer b, Deadline d) {
  const int W = opt.world_size;
  const size_t bytes = b.bytes();
  scratch.resize(bytes * W);
  std::vector<detail::MemorySend> sends;
  std::vector<detail::MemoryRecv> recvs;
  sends.reserve(W);
  recvs.reserve(W);
  for (int p = 0; p < W; ++p) {
    if (p == opt.rank) continue;
    sends.emplace_back(std::span<const uint8_t>(b.data, bytes), opt.segment_bytes);
    recvs.emplace_back(std::span<uint8_t>(scratch.data() + bytes * p, bytes));
    mesh.set_send(p, &sends.back());
    mesh.set_recv(p, &recvs.back());
  }
  mesh.run(OpKind::AllReduce, seq, d);
  auto sum = [&]<class T, class Acc>() {
    std::vector<const T*> src(W);
    for (int p = 0; p < W; ++p)
      src[p] = reinterpret_cast<const T*>(p == opt.rank ? b.data : scratch.data() + bytes * p);
    sum_in_rank_order<T, Acc>(reinterpret_cast<T*>(b.data), src, b.n);
  };
  if (b.dtype == DType::Float32) sum.template operator()<float, float>();
  else if (b.dtype == DType::Float64) sum.template operator()<double, double>();
  else sum.template operator()<BFloat16, float>();
}

void Collective::Impl::broadcast(Buffer b, int root, OpKind op, Deadline d) {
  const int W = opt.world_size, r = opt.rank;
  if (W == 1 || b.n == 0) return;
  const std::span<uint8_t> all(b.data, b.bytes());
  if (b.bytes() <= opt.small_bytes || W == 2) {  // one hop from the root
    std::vector<detail::MemorySend> sends;
    sends.reserve(W);
    detail::MemoryRecv recv(all);
    if (r == root) {
      for (int p = 0; p < W; ++p) {
        if (p == r) continue;
        sends.emplace_back(all, opt.segment_bytes);
        mesh.set_send(p, &sends.back());
      }
    } else {
      mesh.set_recv(root, &recv);
    }
    mesh.run(op, seq, d);
    return;
  }
  // A pipelined chain root -> root + 1 -> ...: each rank forwards what it has received, so the
  // root sends the buffer once instead of W - 1 times.
  std::vector<detail::RingTransfer::Out> out;
  std::vector<detail::RingTransfer::In> in;
  const int pos = mod(r - root, W);
  if (pos > 0) in.push_back({0, b.n, false});
  if (pos < W - 1) out.push_back({0, b.n, pos > 0 ? 0 : -1});
  ring(b, false, std::move(out), std::move(in), op, d);
}

void Collective::Impl::exchange_bytes(const std::vector<std::span<const uint8_t>>& send,
                                      std::vector<std::vector<uint8_t>>& recv, const std::vector<bool>& send_to,
                                      const std::vector<bool>& recv_from, OpKind op, Deadline d) {
  const int W = opt.world_size;
  std::vector<detail::BytesSend> sends;
  std::vector<detail::BytesRecv> recvs;
  sends.reserve(W);
  recvs.reserve(W);
  for (int p = 0; p < W; ++p) {
    if (p == opt.rank) continue;
    if (send_to[p]) {
      sends.emplace_back(send[p], opt.segment_bytes);
      mesh.set_send(p, &sends.back());
    }
    if (recv_from[p]) {
      recvs.emplace_back(recv[p]);
      mesh.set_recv(p, &recvs.back());
    }
  }
  mesh.run(op, seq, d);
}

// ---- Collective ----------------------------------------------------------------------------------

Collective::Collective(Listener listener, CollectiveOptions options) {
  const int W = options.world_size;
  EMBER_CHECK(W >= 1, "[dist.Collective] world_size must be at least 1, got ", W);
  EMBER_CHECK(options.rank >= 0 && options.rank < W, "[dist.Collective] rank must be in [0, ", W, "), got ",
              options.rank);
  EMBER_CHECK(static_cast<int>(options.peers.size()) == W, "[dist.Collective] peers must hold world_size (", W,
              ") addresses, got ", options.peers.size());
  for (size_t i = 0; i < options.peers.size(); ++i) split_address(options.peers[i], i);
  EMBER_CHECK(options.secret.size() >= 16, "[dist.Collective] the secret must be at least 16 bytes, got ",
              options.secret.size());
  EMBER_CHECK(std::isfinite(options.timeout) && options.timeout > 0,
              "[dist.Collective] timeout must be a positive number of seconds, got ", options.timeout);
  EMBER_CHECK(options.segment_bytes >= 1, "[dist.Collective] segment_bytes must be at least 1, got ",
              options.segment_bytes);
  impl_ = std::make_unique<Impl>(std::move(listener), std::move(options));
}

Collective::~Collective() = default;

int Collective::rank() const { return impl_->opt.rank; }
int Collective::world_size() const { return impl_->opt.world_size; }

std::pair<int64_t, int64_t> Collective::shard_range(int64_t n, int world_size, int shard) {
  EMBER_CHECK(n >= 0, "[dist.Collective.shard_range] n must be >= 0, got ", n);
  EMBER_CHECK(world_size >= 1, "[dist.Collective.shard_range] world_size must be at least 1, got ", world_size);
  EMBER_CHECK(shard >= 0 && shard < world_size, "[dist.Collective.shard_range] shard must be in [0, ", world_size,
              "), got ", shard);
  const int64_t base = n / world_size, extra = n % world_size;
  const int64_t begin = shard * base + std::min<int64_t>(shard, extra);
  return {begin, begin + base + (shard < extra ? 1 : 0)};
}

void Collective::all_reduce(Tensor& buffer) {
  impl_->operation(OpKind::AllReduce, [&](Deadline d) { impl_->all_reduce(impl_->buffer(buffer, "all_reduce"), d); });
}

void Collective::all_reduce(std::span<double> values) {
  impl_->operation(OpKind::AllReduce, [&](Deadline d) {
    impl_->all_reduce({reinterpret_cast<uint8_t*>(values.data()), static_cast<int64_t>(values.size()), DType::Float64}, d);
  });
}

void Collective::reduce_scatter(Tensor& buffer, Wire wire) {
  impl_->operation(OpKind::ReduceScatter, [&](Deadline d) {
    const Buffer b = impl_->buffer(buffer, "reduce_scatter");
    EMBER_CHECK(wire == Wire::Native || b.dtype != DType::Float64, impl_->prefix(),
                "reduce_scatter: bfloat16 wire compression needs a float32 buffer, got float64");
    const int W = impl_->opt.world_size, r = impl_->opt.rank;
    if (W == 1 || b.n == 0) return;
    std::vector<detail::RingTransfer::Out> out;
    std::vector<detail::RingTransfer::In> in;
    for (int k = 0; k < W - 1; ++k) {
      auto [begin, count] = impl_->chunk(b.n, mod(r - k - 1, W));
      out.push_back({begin, count, k - 1});
      auto [ib, ic] = impl_->chunk(b.n, mod(r - k - 2, W));
      in.push_back({ib, ic, true});
    }
    impl_->ring(b, wire == Wire::BFloat16, std::move(out), std::move(in), OpKind::ReduceScatter, d);
  });
}

void Collective::all_gather(Tensor& buffer) {
  impl_->operation(OpKind::AllGather, [&](Deadline d) {
    const Buffer b = impl_->buffer(buffer, "all_gather");
    const int W = impl_->opt.world_size, r = impl_->opt.rank;
    if (W == 1 || b.n == 0) return;
    std::vector<detail::RingTransfer::Out> out;
    std::vector<detail::RingTransfer::In> in;
    for (int j = 0; j < W - 1; ++j) {
      auto [begin, count] = impl_->chunk(b.n, mod(r - j, W));
      out.push_back({begin, count, j - 1});
      auto [ib, ic] = impl_->chunk(b.n, mod(r - j - 1, W));
      in.push_back({ib, ic, false});
    }
    impl_->ring(b, false, std::move(out), std::move(in), OpKind::AllGather, d);
  });
}

void Collective::broadcast(Tensor& buffer, int root) {
  impl_->operation(OpKind::Broadcast, [&](Deadline d) {
    const Buffer b = impl_->buffer(buffer, "broadcast");
    impl_->check_root(root, "broadcast");
    impl_->broadcast(b, root, OpKind::Broadcast, d);
  });
}

void Collective::barrier() {
  impl_->operation(OpKind::Barrier, [&](Deadline d) {
    const int W = impl_->opt.world_size;
    std::vector<std::span<const uint8_t>> send(W);
    std::vector<std::vector<uint8_t>> recv(W);
    std::vector<bool> all(W, true);
    impl_->exchange_bytes(send, recv, all, all, OpKind::Barrier, d);
  });
}

std::vector<uint8_t> Collective::broadcast_bytes(std::vector<uint8_t> bytes, int root) {
  impl_->operation(OpKind::BroadcastBytes, [&](Deadline d) {
    impl_->check_root(root, "broadcast_bytes");
    const int W = impl_->opt.world_size, r = impl_->opt.rank;
    std::vector<std::span<const uint8_t>> send(W, bytes);
    std::vector<std::vector<uint8_t>> recv(W);
    std::vector<bool> to(W, r == root), from(W, false);
    from[root] = r != root;
    impl_->exchange_bytes(send, recv, to, from, OpKind::BroadcastBytes, d);
    if (r != root) bytes = std::move(recv[root]);
  });
  return bytes;
}

std::vector<std::vector<uint8_t>> Collective::gather_bytes(std::span<const uint8_t> bytes, int root) {
  std::vector<std::vector<uint8_t>> out;
  impl_->operation(OpKind::GatherBytes, [&](Deadline d) {
    impl_->check_root(root, "gather_bytes");
    const int W = impl_->opt.world_size, r = impl_->opt.rank;
    std::vector<std::span<const uint8_t>> send(W, bytes);
    std::vector<std::vector<uint8_t>> recv(W);
    std::vector<bool> to(W, false), from(W, r == root);
    to[root] = r != root;
    impl_->exchange_bytes(send, recv, to, from, OpKind::GatherBytes, d);
    if (r == root) {
      recv[r].assign(bytes.begin(), bytes.end());
      out = std::move(recv);
    }
  });
  return out;
}

std::vector<std::vector<uint8_t>> Collective::all_gather_bytes(std::span<const uint8_t> bytes) {
  std::vector<std::vector<uint8_t>> out;
  impl_->operation(OpKind::AllGatherBytes, [&](Deadline d) {
    const int W = impl_->opt.world_size;
    std::vector<std::span<const uint8_t>> send(W, bytes);
    std::vector<std::vector<uint8_t>> recv(W);
    std::vector<bool> all(W, true);
    impl_->exchange_bytes(send, recv, all, all, OpKind::AllGatherBytes, d);
    recv[impl_->opt.rank].assign(bytes.begin(), bytes.end());
    out = std::move(recv);
  });
  return out;
}

std::vector<uint8_t> Collective::scatter_bytes(const std::vector<std::vector<uint8_t>>& parts, int root) {
  std::vector<uint8_t> mine;
  impl_->operation(OpKind::ScatterBytes, [&](Deadline d) {
    impl_->check_root(root, "scatter_bytes");
    const int W = impl_->opt.world_size, r = impl_->opt.rank;
    if (r == root)
      EMBER_CHECK(static_cast<int>(parts.size()) == W, impl_->prefix(), "scatter_bytes: the root must pass one part per rank (",
                  W, "), got ", parts.size());
    std::vector<std::span<const uint8_t>> send(W);
    if (r == root)
      for (int p = 0; p < W; ++p) send[p] = parts[p];
    std::vector<std::vector<uint8_t>> recv(W);
    std::vector<bool> to(W, r == root), from(W, false);
    from[root] = r != root;
    impl_->exchange_bytes(send, recv, to, from, OpKind::ScatterBytes, d);
    mine = r == root ? parts[r] : std::move(recv[root]);
  });
  return mine;
}

void Collective::abort(const std::string& cause) noexcept { impl_->abort_here(cause); }

bool Collective::ok() const { return !impl_->failed; }

Collective::Stats Collective::stats() const { return {impl_->mesh.bytes_sent(), impl_->mesh.bytes_received()}; }

}  // namespace ember::dist
