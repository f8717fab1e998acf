#pragma once
/// Internal to ember/dist (collective.cpp builds on it): the collective's wire frames and Mesh, the
/// poll loop that moves them over the full mesh of authenticated connections.
///
/// Frame = 16-byte header + payload:
///   bytes 0-1   'E' 'C'
///   byte  2     type: 1 data, 2 abort
///   byte  3     operation kind (OpKind; 0 in abort frames)
///   bytes 4-7   operation number, u32 little-endian (counts the Collective's operations from 1)
///   bytes 8-15  payload length, u64 little-endian
/// Abort payload: failed rank (i32 LE), reporting rank (i32 LE), cause (UTF-8); at most kMaxAbortBytes.
/// Data frames carry the operation kind and number so that ranks which called different collectives
/// fail with a clear message instead of misreading each other's bytes.
///
/// An operation gives each channel (peer) at most one SendJob and one RecvJob and calls Mesh::run,
/// which polls every connection at once: sends and receives progress together (no rank waits for a
/// send to finish before it reads), a receiver reads exactly its frames and never a byte of the next
/// operation, and a channel without a job in this operation is still watched for abort frames
/// (its next header is peeked; a data frame of a later operation stays unread).

#include <sys/types.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ember/dist/connection.h"

namespace ember::dist::detail {

inline constexpr size_t kHeaderBytes = 16;
/// Largest abort payload (8 bytes of ranks + the cause, truncated to fit).
inline constexpr size_t kMaxAbortBytes = 4096;

enum class FrameType : uint8_t { Data = 1, Abort = 2 };
enum class OpKind : uint8_t {
  None = 0,
  AllReduce,
  ReduceScatter,
  AllGather,
  Broadcast,
  Barrier,
  BroadcastBytes,
  GatherBytes,
  AllGatherBytes,
  ScatterBytes,
};
/// "all_reduce", ... (the Collective method).
const char* op_name(OpKind op);

/// A frame header, decoded (see the layout above).
struct FrameHeader {
  FrameType type = FrameType::Data;
  OpKind op = OpKind::None;
  uint32_t seq = 0;
  uint64_t length = 0;
};
/// The 16 header bytes of `h`.
std::array<uint8_t, kHeaderBytes> encode_header(const FrameHeader& h);
/// False when the bytes are not a frame header (wrong magic or type).
bool decode_header(const uint8_t* bytes, FrameHeader* out);
/// Header and payload of an abort frame.
std::vector<uint8_t> encode_abort(int failed_rank, int reporter, std::string_view cause);

/// What went wrong in an operation; Mesh throws it, Collective turns it into a CollectiveError.
struct MeshFailure {
  enum Kind { Timeout, Lost, Malformed, Remote, Local };
  Kind kind;
  int failed_rank;  // where the failure started (a blamed peer, or the rank that aborted)
  int reporter;     // the rank that noticed it
  std::string cause;
};

/// The bytes a channel sends in one operation, as a sequence of frames.
class SendJob {
 public:
  virtual ~SendJob() = default;
  /// Payload length of the next frame, or -1 when everything is sent. Called when the previous
  /// frame is complete.
  virtual int64_t next_frame() = 0;
  /// Bytes of the current frame that may go out now, from `offset` (bytes of it already sent); empty
  /// while they depend on data not received yet.
  virtual std::span<const uint8_t> ready(uint64_t offset) = 0;
};

/// The frames a channel receives in one operation.
class RecvJob {
 public:
  virtual ~RecvJob() = default;
  virtual bool done() const = 0;
  /// A data frame of `length` bytes begins; returns what is wrong with it ("" when it is expected).
  /// Nothing is allocated before this check.
  virtual std::string begin_frame(uint64_t length) = 0;
  /// Where the next bytes of the current frame go (not empty while the frame is incomplete).
  virtual std::span<uint8_t> window() = 0;
  /// `n` bytes landed at the start of window().
  virtual void received(size_t n) = 0;
};

class Mesh {
 public:
  /// `addresses`: every rank's "host:port", for messages. `timeout` in seconds.
  Mesh(int rank, int world_size, std::vector<std::string> addresses, double timeout);
  ~Mesh();
  Mesh(const Mesh&) = delete;
  Mesh& operator=(const Mesh&) = delete;

  /// This rank, the number of ranks, and rank r's "host:port".
  int rank() const { return rank_; }
  int world_size() const { return world_; }
  const std::string& address(int r) const { return addresses_[r]; }
  /// Adds the authenticated connection to `peer` (set-up), with the socket options of the mesh.
  void add(int peer, Connection connection);
  /// True once add() was called for `peer`.
  bool connected(int peer) const;

  /// Waits until `fd` is readable or `deadline` passes (returns false then), meanwhile watching the
  /// connected channels for abort frames (throws MeshFailure::Remote). Used while the mesh is set up.
  bool wait_readable(int fd, Deadline deadline);

  /// The jobs of `peer` for the next run(): what to send to it, what to receive from it. With
  /// `own_thread`, the sends go out from the mesh's sender thread (at most one such job per run):
  /// a large ring transfer then copies into the socket on one thread while it receives and adds on
  /// the other, and one of the two can progress while the other waits for a CPU.
  void set_send(int peer, SendJob* job, bool own_thread = false);
  void set_recv(int peer, RecvJob* job);
  /// Moves every job's frames, all channels at once, until all are done. Throws MeshFailure on a
  /// timeout (`deadline`, see mesh.cpp for the grace given to peers that are alive), a lost peer, a
  /// malformed frame or an abort frame. Clears the jobs.
  void run(OpKind op, uint32_t seq, Deadline deadline);

  /// Sends an abort frame for `failure` to every peer it can still reach (first completing a frame
  /// cut short, so the peer reads the abort at a frame boundary), within about a second, then
  /// closes every connection. The mesh is unusable afterwards.
  void abort_all(const MeshFailure& failure) noexcept;
  /// Closes every connection without a word (normal end).
  void close_all() noexcept;

  /// Bytes written to / read from every connection since set-up (frame headers included).
  uint64_t bytes_sent() const { return bytes_sent_.load(std::memory_order_relaxed); }
  uint64_t bytes_received() const { return bytes_received_.load(std::memory_order_relaxed); }

 private:
  struct Channel;
  struct SenderThread;
  void sender_main();
  void sender_send(int peer);
  void start_sender();
  void stop_sender() noexcept;
  void nudge_sender();
  [[noreturn]] void lost(int peer, int err, const char* doing);
  [[noreturn]] void malformed(int peer, const std::string& what);
  [[noreturn]] void timed_out(int peer, double after);
  [[noreturn]] void read_abort(int peer, uint64_t length);
  void pump_send(int peer);
  void pump_recv(int peer);
  /// One non-blocking recv from `peer` into buf[0, n): the bytes read (counted in the stats), 0 when
  /// nothing is there yet, -1 when interrupted (try again); a closed or failed connection throws.
  ssize_t recv_some(int peer, void* buf, size_t n);
  void peek_idle(int peer);
  void scan_for_abort(double seconds);
  int blame(bool strong_only) const;
  bool sending(int peer) const;
  std::string who(int peer) const;

  int rank_, world_;
  std::vector<std::string> addresses_;
  double timeout_;
  std::vector<Channel> channels_;   // indexed by rank; this rank's own entry stays empty
  OpKind op_ = OpKind::None;       // the operation run() is moving
  uint32_t seq_ = 0;
  int threaded_peer_ = -1;          // the channel whose send job the sender thread runs (this run)
  bool sender_busy_ = false;        // the sender thread has not reported back in this run
  std::unique_ptr<SenderThread> sender_;
  std::atomic<uint64_t> bytes_sent_{0}, bytes_received_{0};
};

}  // namespace ember::dist::detail
