#pragma once
/// Internal to ember/dist: the send and receive jobs (mesh.h) that the Collective's operations are
/// made of. Frames are cut by the sender (at most `segment` bytes); a receiver accepts any frame
/// length up to what it still misses, so nothing is ever sized from an unchecked length.

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "ember/dist/mesh.h"
#include "ember/tensor/dtype.h"

namespace ember::dist::detail {

/// Sends `bytes` in frames of at most `segment` bytes (no frame when empty).
class MemorySend : public SendJob {
 public:
  MemorySend(std::span<const uint8_t> bytes, size_t segment) : bytes_(bytes), segment_(segment) {}
  int64_t next_frame() override;
  std::span<const uint8_t> ready(uint64_t offset) override;

 private:
  std::span<const uint8_t> bytes_;
  size_t segment_;
  size_t pos_ = 0, len_ = 0;  // the current frame
};

/// Receives exactly bytes.size() bytes into `bytes`.
class MemoryRecv : public RecvJob {
 public:
  explicit MemoryRecv(std::span<uint8_t> bytes) : bytes_(bytes) {}
  bool done() const override { return got_ == bytes_.size(); }
  std::string begin_frame(uint64_t length) override;
  std::span<uint8_t> window() override { return bytes_.subspan(got_); }
  void received(size_t n) override { got_ += n; }

 private:
  std::span<uint8_t> bytes_;
  size_t got_ = 0;
};

/// A byte message of any length: an 8-byte frame with the length, then the bytes (MemorySend).
class BytesSend : public SendJob {
 public:
  BytesSend(std::span<const uint8_t> bytes, size_t segment);
  int64_t next_frame() override;
  std::span<const uint8_t> ready(uint64_t offset) override;

 private:
  uint8_t length_[8];
  int stage_ = 0;  // 0: nothing sent, 1: the length frame, 2: the bytes
  MemorySend body_;
};

/// Receives a BytesSend message into `out`. The vector grows with the bytes that actually arrive
/// (at most 1 MiB ahead of them), never to a length a peer merely announces.
class BytesRecv : public RecvJob {
 public:
  explicit BytesRecv(std::vector<uint8_t>& out) : out_(out) { out_.clear(); }
  bool done() const override { return stage_ == 1 && got_ == total_; }
  std::string begin_frame(uint64_t length) override;
  std::span<uint8_t> window() override;
  void received(size_t n) override;

 private:
  std::vector<uint8_t>& out_;
  int stage_ = 0;  // 0: waiting for the length frame, 1: the bytes
  uint8_t length_[8] = {};
  size_t length_got_ = 0;
  uint64_t total_ = 0, got_ = 0, frame_left_ = 0;
};

/// One ring pass (or a fused sequence of passes) over a buffer: a stream of chunks to the right
/// neighbour and a stream of chunks from the left one. Incoming chunks are added into the buffer
/// (reduce) or copied into it; an outgoing chunk with a dependency is sent as fast as the incoming
/// chunk it depends on (the same elements) has been processed, so consecutive ring steps overlap
/// instead of waiting for each other. Reduction reads the received bytes from a small scratch
/// buffer straight after each recv(), while they are still in cache. The sender and the receiver
/// may run on different threads (Mesh::set_send with its own thread).
class RingTransfer {
 public:
  struct Out {
    int64_t begin, count;  // elements of the buffer
    int dep;               // index into the incoming chunks whose progress gates this one, or -1
  };
  struct In {
    int64_t begin, count;
    bool reduce;  // add into the buffer (else copy)
  };
  /// Scratch memory kept between operations (the receive scratch, the bfloat16 staging segment).
  struct Buffers {
    std::vector<uint8_t> scratch, staging;
  };
  /// `bf16_wire`: float32 buffer sent as bfloat16 (round to nearest even), added in float32.
  RingTransfer(uint8_t* base, DType dtype, bool bf16_wire, size_t segment, std::vector<Out> out, std::vector<In> in,
               Buffers& buffers);
  RingTransfer(const RingTransfer&) = delete;
  RingTransfer& operator=(const RingTransfer&) = delete;
  SendJob* sender() { return out_.empty() ? nullptr : &sender_; }
  RecvJob* receiver() { return in_.empty() ? nullptr : &receiver_; }

 private:
  class Sender : public SendJob {
   public:
    explicit Sender(RingTransfer& t) : t_(t) {}
    int64_t next_frame() override;
    std::span<const uint8_t> ready(uint64_t offset) override;

   private:
    RingTransfer& t_;
    size_t chunk_ = 0;
    int64_t frame_begin_ = 0, frame_end_ = 0;  // elements of the chunk
    int64_t converted_ = 0;                    // elements of the frame already in staging (bf16 wire)
  };
  class Receiver : public RecvJob {
   public:
    explicit Receiver(RingTransfer& t) : t_(t) {}
    bool done() const override;
    std::string begin_frame(uint64_t length) override;
    std::span<uint8_t> window() override;
    void received(size_t n) override;
    /// Moves past incoming chunks that are complete (empty ones at the start, finished ones later).
    void skip_empty();

   private:
    RingTransfer& t_;
    size_t chunk_ = 0;
    uint64_t chunk_bytes_got_ = 0;  // wire bytes of the current chunk received
    uint64_t frame_left_ = 0;
    size_t fill_ = 0;  // bytes waiting in scratch (a partial element)
  };

  uint8_t* base_;
  DType dtype_;
  bool bf16_wire_;
  size_t elem_, wire_elem_;
  int64_t segment_elems_;
  std::vector<Out> out_;
  std::vector<In> in_;
  // Elements of each incoming chunk processed: written by the receiving thread, read by the sending
  // one, which may be Mesh's sender thread (sequentially consistent: see Mesh::nudge_sender).
  std::vector<std::atomic<int64_t>> progress_;
  uint8_t* scratch_ = nullptr;  // in Buffers
  size_t scratch_bytes_ = 0;
  uint8_t* staging_ = nullptr;
  Sender sender_;
  Receiver receiver_;
};

}  // namespace ember::dist::detail
