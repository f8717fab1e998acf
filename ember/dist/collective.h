#pragma once
/// Collective: Ember's own collective communication over authenticated TCP (see connection.h).
///
///   Listener listener("10.0.0.5");                        // bind first: the port goes to the rendezvous
///   // ... exchange "host:port" of every rank (Spark: BarrierTaskContext.allGather) ...
///   Collective c(std::move(listener), {.rank = 1, .world_size = 4, .peers = addresses, .secret = secret});
///   c.all_reduce(gradients);                              // in place, summed over ranks
///
/// Topology: every rank holds one authenticated connection to every other rank (a full mesh,
/// world_size - 1 sockets per rank; the lower rank accepts, the higher connects). Ring algorithms use
/// the neighbours (rank - 1, rank + 1); small all-reduces, byte gathers and aborts use direct links.
///
/// Buffers: contiguous float32, bfloat16 or float64 tensors. A buffer of n elements is cut into
/// world_size contiguous shards by shard_range(): the first n % world_size shards hold one element
/// more. Sums are accumulated in float32 for bfloat16 buffers (and for bfloat16 wire compression).
///
/// Failure: every operation has a deadline (options.timeout). When anything goes wrong on a rank (a
/// timeout, a lost or closed peer, a malformed frame, or abort() called by the trainer on an
/// exception), that rank sends an abort frame naming the failing rank and the cause to every peer it
/// can still reach, and closes. A rank that receives an abort frame forwards it and throws
/// CollectiveError with the original rank and cause. So every rank fails within the timeout, with a
/// message naming the rank that failed first. After an error the Collective is unusable.
///
/// Not thread-safe: one thread drives a Collective (each rank in its own process, or thread).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ember/core/error.h"
#include "ember/dist/connection.h"
#include "ember/tensor/tensor.h"

namespace ember::dist {

/// A collective operation failed on some rank. failed_rank(): the rank where the failure started
/// (-1 when unknown); cause(): what happened there.
class CollectiveError : public RuntimeError {
 public:
  CollectiveError(int failed_rank, std::string cause, const std::string& message)
      : RuntimeError(message), failed_rank_(failed_rank), cause_(std::move(cause)) {}
  int failed_rank() const { return failed_rank_; }
  const std::string& cause() const { return cause_; }

 private:
  int failed_rank_;
  std::string cause_;
};

struct CollectiveOptions {
  int rank = 0;
  int world_size = 1;
  /// "host:port" of every rank's listener, indexed by rank (peers[rank] is this rank's own).
  std::vector<std::string> peers;
  /// The per-job shared secret (at least 16 bytes).
  std::vector<uint8_t> secret;
  /// Seconds any one operation (and the set-up of the mesh) may take before it fails.
  double timeout = 300;
  /// All-reduces of at most this many bytes take the direct (one-round, latency-optimal) path:
  /// every rank sends its buffer to every other rank and sums in rank order.
  size_t small_bytes = 64 * 1024;
  /// Ring steps move the shard in segments of this many bytes, so the reduction of one segment
  /// overlaps the transfer of the next.
  size_t segment_bytes = 1 << 20;
};

/// How reduce_scatter() sends float32 data: as is, or rounded to bfloat16 (round-to-nearest-even)
/// with the sums accumulated in float32 (half the bytes on the wire).
enum class Wire { Native, BFloat16 };

class Collective {
 public:
  /// Connects the mesh (authenticating every connection) before options.timeout. The listener must
  /// be the one whose address is options.peers[options.rank].
  Collective(Listener listener, CollectiveOptions options);
  ~Collective();
  Collective(const Collective&) = delete;
  Collective& operator=(const Collective&) = delete;

  int rank() const;
  int world_size() const;

  /// [begin, end) of shard `shard` of a buffer of n elements split over world_size ranks.
  static std::pair<int64_t, int64_t> shard_range(int64_t n, int world_size, int shard);
  std::pair<int64_t, int64_t> shard_range(int64_t n) const { return shard_range(n, world_size(), rank()); }

  /// In place: every rank's buffer becomes the element-wise sum over ranks (bitwise identical on
  /// every rank). Ring reduce-scatter + all-gather above options.small_bytes, direct below.
  void all_reduce(Tensor& buffer);
  /// In place: this rank's shard (shard_range(n)) becomes the sum over ranks of that shard; the
  /// rest of the buffer is left with partial sums (scratch).
  void reduce_scatter(Tensor& buffer, Wire wire = Wire::Native);
  /// In place: every rank's shard is copied into the other ranks' buffers.
  void all_gather(Tensor& buffer);
  /// In place: root's buffer is copied to every rank.
  void broadcast(Tensor& buffer, int root = 0);
  /// Returns when every rank has called barrier().
  void barrier();

  /// Sums of a few doubles (losses, counts, norms): all_reduce over a float64 view.
  void all_reduce(std::span<double> values);
  /// root's bytes, on every rank (other ranks pass anything; it is replaced).
  std::vector<uint8_t> broadcast_bytes(std::vector<uint8_t> bytes, int root = 0);
  /// On root, every rank's bytes indexed by rank; elsewhere an empty vector.
  std::vector<std::vector<uint8_t>> gather_bytes(std::span<const uint8_t> bytes, int root = 0);
  /// Every rank's bytes on every rank, indexed by rank.
  std::vector<std::vector<uint8_t>> all_gather_bytes(std::span<const uint8_t> bytes);
  /// root passes one entry per rank; every rank gets its own entry.
  std::vector<uint8_t> scatter_bytes(const std::vector<std::vector<uint8_t>>& parts, int root = 0);

  /// Tells every peer that this rank failed with `cause` (their next or current operation throws
  /// CollectiveError naming this rank), then closes. Safe to call more than once, and after an error.
  void abort(const std::string& cause) noexcept;
  /// False after an error or abort().
  bool ok() const;

  /// Bytes sent and received so far (all connections), for benchmarks and the trainer's log.
  struct Stats {
    uint64_t bytes_sent = 0, bytes_received = 0;
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::dist
