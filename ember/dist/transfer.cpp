#include "ember/dist/transfer.h"

#include <algorithm>
#include <cstring>

#include "ember/core/error.h"

namespace ember::dist::detail {

namespace {

using ::ember::detail::str_cat;

constexpr size_t kScratchBytes = 256 * 1024;  // fits in L2 beside the destination's stream
constexpr uint64_t kGrowBytes = 1 << 20;

float bf16_bits_to_float(uint16_t bits) {
  const uint32_t u = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

/// dst[i] += src[i] for n elements; `src` holds wire elements (bfloat16 when bf16_wire).
void reduce_into(uint8_t* dst, const uint8_t* src, int64_t n, DType dtype, bool bf16_wire) {
  if (dtype == DType::Float32 && !bf16_wire) {
    float* __restrict d = reinterpret_cast<float*>(dst);
    const float* __restrict s = reinterpret_cast<const float*>(src);
    for (int64_t i = 0; i < n; ++i) d[i] += s[i];
  } else if (dtype == DType::Float32) {
    float* __restrict d = reinterpret_cast<float*>(dst);
    const uint16_t* __restrict s = reinterpret_cast<const uint16_t*>(src);
    for (int64_t i = 0; i < n; ++i) d[i] += bf16_bits_to_float(s[i]);
  } else if (dtype == DType::Float64) {
    double* __restrict d = reinterpret_cast<double*>(dst);
    const double* __restrict s = reinterpret_cast<const double*>(src);
    for (int64_t i = 0; i < n; ++i) d[i] += s[i];
  } else {  // bfloat16 buffer: the sum of two bfloat16 values in float32, rounded once
    uint16_t* __restrict d = reinterpret_cast<uint16_t*>(dst);
    const uint16_t* __restrict s = reinterpret_cast<const uint16_t*>(src);
    for (int64_t i = 0; i < n; ++i) d[i] = BFloat16(bf16_bits_to_float(d[i]) + bf16_bits_to_float(s[i])).bits;
  }
}

}  // namespace

// ---- MemorySend / MemoryRecv -------------------------------------------------------------------

int64_t MemorySend::next_frame() {
  pos_ += len_;
  if (pos_ >= bytes_.size()) return -1;
  len_ = std::min(segment_, bytes_.size() - pos_);
  return static_cast<int64_t>(len_);
}

std::span<const uint8_t> MemorySend::ready(uint64_t offset) {
  return bytes_.subspan(pos_ + offset, len_ - offset);
}

std::string MemoryRecv::begin_frame(uint64_t length) {
  const size_t missing = bytes_.size() - got_;
  if (length == 0 || length > missing)
    return str_cat("data frame of ", length, " bytes, expected 1 to ", missing, " bytes");
  return "";
}

// ---- BytesSend / BytesRecv ---------------------------------------------------------------------

BytesSend::BytesSend(std::span<const uint8_t> bytes, size_t segment) : body_(bytes, segment) {
  const uint64_t n = bytes.size();
  for (int i = 0; i < 8; ++i) length_[i] = static_cast<uint8_t>(n >> (8 * i));
}

int64_t BytesSend::next_frame() {
  if (stage_ == 0) {
    stage_ = 1;
    return 8;
  }
  stage_ = 2;
  return body_.next_frame();
}

std::span<const uint8_t> BytesSend::ready(uint64_t offset) {
  if (stage_ == 1) return std::span<const uint8_t>(length_ + offset, 8 - offset);
  return body_.ready(offset);
}

std::string BytesRecv::begin_frame(uint64_t length) {
  if (stage_ == 0) {
    if (length != 8) return str_cat("a byte message starts with its 8-byte length, got a frame of ", length, " bytes");
  } else if (length == 0 || length > total_ - got_) {
    return str_cat("data frame of ", length, " bytes, expected 1 to ", total_ - got_, " bytes (of a message of ",
                   total_, " bytes)");
  }
  frame_left_ = length;
  return "";
}

std::span<uint8_t> BytesRecv::window() {
  if (stage_ == 0) return std::span<uint8_t>(length_ + length_got_, 8 - length_got_);
  if (got_ == out_.size()) out_.resize(static_cast<size_t>(got_ + std::min(frame_left_, kGrowBytes)));
  return std::span<uint8_t>(out_.data() + got_, out_.size() - got_);
}

void BytesRecv::received(size_t n) {
  frame_left_ -= n;
  if (stage_ == 0) {
    length_got_ += n;
    if (length_got_ == 8) {
      for (int i = 0; i < 8; ++i) total_ |= static_cast<uint64_t>(length_[i]) << (8 * i);
      stage_ = 1;
    }
    return;
  }
  got_ += n;
}

// ---- RingTransfer ------------------------------------------------------------------------------

RingTransfer::RingTransfer(uint8_t* base, DType dtype, bool bf16_wire, size_t segment, std::vector<Out> out,
                           std::vector<In> in, Buffers& buffers)
    : base_(base),
      dtype_(dtype),
      bf16_wire_(bf16_wire && dtype == DType::Float32),
      elem_(itemsize(dtype)),
      wire_elem_(bf16_wire_ ? 2 : itemsize(dtype)),
      segment_elems_(std::max<int64_t>(1, static_cast<int64_t>(segment / wire_elem_))),
      out_(std::move(out)),
      in_(std::move(in)),
      progress_(in_.size()),
      sender_(*this),
      receiver_(*this) {
  bool reduces = false;
  for (const In& c : in_) {
    if (bf16_wire_ && !c.reduce) throw InternalError("[dist.RingTransfer] bfloat16 wire data is only ever reduced");
    reduces = reduces || c.reduce;
  }
  for (const Out& c : out_) {
    if (c.dep >= static_cast<int>(in_.size()) || (c.dep >= 0 && (in_[c.dep].begin != c.begin || in_[c.dep].count != c.count)))
      throw InternalError("[dist.RingTransfer] an outgoing chunk must depend on the same incoming elements");
  }
  if (reduces) {
    scratch_bytes_ = std::max(wire_elem_, std::min(kScratchBytes, segment) / wire_elem_ * wire_elem_);
    if (buffers.scratch.size() < scratch_bytes_) buffers.scratch.resize(scratch_bytes_);
    scratch_ = buffers.scratch.data();
  }
  if (bf16_wire_) {
    const size_t bytes = static_cast<size_t>(segment_elems_) * 2;
    if (buffers.staging.size() < bytes) buffers.staging.resize(bytes);
    staging_ = buffers.staging.data();
  }
  receiver_.skip_empty();
}

int64_t RingTransfer::Sender::next_frame() {
  frame_begin_ = frame_end_;
  while (chunk_ < t_.out_.size() && frame_begin_ >= t_.out_[chunk_].count) {
    ++chunk_;
    frame_begin_ = 0;
  }
  if (chunk_ == t_.out_.size()) return -1;
  frame_end_ = std::min(frame_begin_ + t_.segment_elems_, t_.out_[chunk_].count);
  converted_ = frame_begin_;
  return (frame_end_ - frame_begin_) * static_cast<int64_t>(t_.wire_elem_);
}

std::span<const uint8_t> RingTransfer::Sender::ready(uint64_t offset) {
  const Out& c = t_.out_[chunk_];
  const int64_t avail = c.dep < 0 ? c.count : t_.progress_[c.dep].load();  // seq_cst: see Mesh::nudge_sender
  const int64_t hi = std::min(frame_end_, avail);
  if (hi <= frame_begin_) return {};
  const uint8_t* p;
  uint64_t bytes;
  if (t_.bf16_wire_) {
    const float* src = reinterpret_cast<const float*>(t_.base_) + c.begin;
    uint16_t* dst = reinterpret_cast<uint16_t*>(t_.staging_);
    for (int64_t i = converted_; i < hi; ++i) dst[i - frame_begin_] = BFloat16(src[i]).bits;
    converted_ = std::max(converted_, hi);
    p = t_.staging_;
    bytes = static_cast<uint64_t>(hi - frame_begin_) * 2;
  } else {
    p = t_.base_ + static_cast<size_t>(c.begin + frame_begin_) * t_.elem_;
    bytes = static_cast<uint64_t>(hi - frame_begin_) * t_.elem_;
  }
  if (offset >= bytes) return {};
  return std::span<const uint8_t>(p + offset, static_cast<size_t>(bytes - offset));
}

void RingTransfer::Receiver::skip_empty() {
  while (chunk_ < t_.in_.size() && t_.progress_[chunk_].load(std::memory_order_relaxed) == t_.in_[chunk_].count) {
    ++chunk_;
    chunk_bytes_got_ = 0;
  }
}

bool RingTransfer::Receiver::done() const { return chunk_ == t_.in_.size(); }

std::string RingTransfer::Receiver::begin_frame(uint64_t length) {
  if (done()) return str_cat("unexpected data frame of ", length, " bytes: this ring pass is complete");
  const uint64_t w = t_.wire_elem_;
  const uint64_t missing = static_cast<uint64_t>(t_.in_[chunk_].count) * w - chunk_bytes_got_;
  if (length == 0 || length > missing || length % w != 0)
    return str_cat("data frame of ", length, " bytes, expected a multiple of ", w, " bytes from ", w, " to ", missing);
  frame_left_ = length;
  return "";
}

std::span<uint8_t> RingTransfer::Receiver::window() {
  const In& c = t_.in_[chunk_];
  if (!c.reduce)
    return std::span<uint8_t>(t_.base_ + static_cast<size_t>(c.begin) * t_.elem_ + chunk_bytes_got_, frame_left_);
  return std::span<uint8_t>(t_.scratch_ + fill_,
                            static_cast<size_t>(std::min<uint64_t>(t_.scratch_bytes_ - fill_, frame_left_)));
}

void RingTransfer::Receiver::received(size_t n) {
  chunk_bytes_got_ += n;
  frame_left_ -= n;
  const In& c = t_.in_[chunk_];
  std::atomic<int64_t>& progress = t_.progress_[chunk_];
  int64_t done = progress.load(std::memory_order_relaxed);
  if (!c.reduce) {
    done = static_cast<int64_t>(chunk_bytes_got_ / t_.elem_);
  } else {
    fill_ += n;
    const size_t k = fill_ / t_.wire_elem_;
    if (k > 0) {
      reduce_into(t_.base_ + static_cast<size_t>(c.begin + done) * t_.elem_, t_.scratch_,
                  static_cast<int64_t>(k), t_.dtype_, t_.bf16_wire_);
      done += static_cast<int64_t>(k);
      const size_t rest = fill_ - k * t_.wire_elem_;
      if (rest > 0) std::memmove(t_.scratch_, t_.scratch_ + k * t_.wire_elem_, rest);
      fill_ = rest;
    }
  }
  progress.store(done);  // the elements are in the buffer: they may go out (seq_cst: Mesh::nudge_sender)
  if (done == c.count) {
    ++chunk_;
    chunk_bytes_got_ = 0;
    skip_empty();
  }
}

}  // namespace ember::dist::detail
