#include "ember/summary/event_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "ember/core/error.h"
#include "ember/summary/tfrecord.h"

namespace ember::summary {
namespace {

// Protocol-buffer wire encoding, just what event.proto / summary.proto need.
constexpr int kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void put_key(std::string& out, int field, int wire) { put_varint(out, (static_cast<uint64_t>(field) << 3) | wire); }
void put_fixed(std::string& out, uint64_t bits, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xffu));
}
void put_double(std::string& out, int field, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  put_key(out, field, kFixed64);
  put_fixed(out, bits, 8);
}
void put_float(std::string& out, int field, float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  put_key(out, field, kFixed32);
  put_fixed(out, bits, 4);
}
void put_int64(std::string& out, int field, int64_t v) {
  put_key(out, field, kVarint);
  put_varint(out, static_cast<uint64_t>(v));  // negative int64: ten-byte two's complement, as protobuf
}
void put_bytes(std::string& out, int field, std::string_view bytes) {
  put_key(out, field, kLengthDelimited);
  put_varint(out, bytes.size());
  out.append(bytes);
}
void put_packed_doubles(std::string& out, int field, const std::vector<double>& vs) {
  std::string packed;
  packed.reserve(vs.size() * 8);
  for (double v : vs) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    put_fixed(packed, bits, 8);
  }
  put_bytes(out, field, packed);
}

// Event{wall_time=1, step=2, file_version=3, summary=5}; Summary{value=1}.
std::string event_with_value(double wall_time, int64_t step, const std::string& value) {
  std::string summary;
  put_bytes(summary, 1, value);
  std::string event;
  put_double(event, 1, wall_time);
  put_int64(event, 2, step);
  put_bytes(event, 5, summary);
  return event;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

}  // namespace

double unix_time_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

EventWriter::EventWriter(const std::string& log_dir, double flush_secs) : flush_interval_(flush_secs) {
  EMBER_CHECK(flush_secs > 0, "[summary.EventWriter] flush_secs must be > 0, got ", flush_secs);
  std::error_code ec;
  std::filesystem::create_directories(log_dir, ec);
  EMBER_CHECK_IO(!ec, "[summary] ", log_dir, ": cannot create the log directory: ", ec.message());
  const std::string base = (std::filesystem::path(log_dir) /
                            ("events.out.tfevents." + std::to_string(static_cast<int64_t>(unix_time_now())) + "." +
                             host_name()))
                               .string();
  for (int n = 0; file_ == nullptr; ++n) {
    path_ = n == 0 ? base : base + "." + std::to_string(n);
    file_ = std::fopen(path_.c_str(), "wbx");  // 'x': never overwrite another writer's file
    EMBER_CHECK_IO(file_ != nullptr || errno == EEXIST, "[summary] ", path_,
                   ": cannot create the event file: ", std::strerror(errno));
  }
  std::string version;
  put_double(version, 1, unix_time_now());
  put_bytes(version, 3, "brain.Event:2");
  try {
    std::lock_guard<std::mutex> lock(mu_);
    write_record(version);
    flush_locked();
  } catch (...) {
    std::fclose(file_);
    throw;
  }
  flusher_ = std::thread([this] { flusher_loop(); });
}

EventWriter::~EventWriter() {
  try {
    close();
  } catch (...) {
    // A destructor cannot report; close() is the way to see a final write error.
  }
}

void EventWriter::write_record(const std::string& event) {
  EMBER_CHECK(file_ != nullptr, "[summary] ", path_, ": the event writer is closed");
  if (!pending_error_.empty()) {
    std::string e = std::move(pending_error_);
    pending_error_.clear();
    throw IOError(e);
  }
  const std::string record = tfrecord_frame(event);
  const size_t n = std::fwrite(record.data(), 1, record.size(), file_);
  EMBER_CHECK_IO(n == record.size(), "[summary] ", path_, ": write failed after ", n, " of ", record.size(),
                 " bytes: ", std::strerror(errno));
  dirty_ = true;
}

void EventWriter::flush_locked() {
  if (!pending_error_.empty()) {
    std::string e = std::move(pending_error_);
    pending_error_.clear();
    throw IOError(e);
  }
  if (file_ == nullptr || !dirty_) return;
  dirty_ = false;
  EMBER_CHECK_IO(std::fflush(file_) == 0, "[summary] ", path_, ": flush failed: ", std::strerror(errno));
}

void EventWriter::flusher_loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!closing_) {
    cv_.wait_for(lock, flush_interval_, [this] { return closing_; });
    if (closing_) break;
    try {
      flush_locked();
    } catch (const std::exception& e) {
      // Keep the first failure for the next caller to see; the thread cannot throw.
      if (pending_error_.empty()) pending_error_ = e.what();
    }
  }
}

void EventWriter::add_scalar(const std::string& tag, float value, int64_t step, double wall_time) {
  std::string v;
  put_bytes(v, 1, tag);
  put_float(v, 2, value);
  const std::string event = event_with_value(wall_time < 0 ? unix_time_now() : wall_time, step, v);
  std::lock_guard<std::mutex> lock(mu_);
  write_record(event);
}

void EventWriter::add_histogram(const std::string& tag, const Tensor& values, int64_t step, double wall_time) {
  add_histogram(tag, Histogram::from_tensor(values), step, wall_time);
}

void EventWriter::add_histogram(const std::string& tag, const Histogram& h, int64_t step, double wall_time) {
  EMBER_CHECK(h.bucket_limit.size() == h.bucket.size(), "[summary] histogram '", tag, "' has ",
              h.bucket_limit.size(), " bucket limits but ", h.bucket.size(), " bucket counts: expected equal sizes");
  // HistogramProto{min=1, max=2, num=3, sum=4, sum_squares=5, bucket_limit=6, bucket=7}.
  std::string histo;
  put_double(histo, 1, h.min);
  put_double(histo, 2, h.max);
  put_double(histo, 3, h.num);
  put_double(histo, 4, h.sum);
  put_double(histo, 5, h.sum_squares);
  put_packed_doubles(histo, 6, h.bucket_limit);
  put_packed_doubles(histo, 7, h.bucket);
  std::string v;
  put_bytes(v, 1, tag);
  put_bytes(v, 5, histo);
  const std::string event = event_with_value(wall_time < 0 ? unix_time_now() : wall_time, step, v);
  std::lock_guard<std::mutex> lock(mu_);
  write_record(event);
}

void EventWriter::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  flush_locked();
}

void EventWriter::close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (file_ == nullptr) return;
    closing_ = true;
  }
  cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  std::lock_guard<std::mutex> lock(mu_);
  std::FILE* f = file_;
  file_ = nullptr;
  std::string error = std::move(pending_error_);
  pending_error_.clear();
  if (error.empty() && dirty_ && std::fflush(f) != 0)
    error = detail::str_cat("[summary] ", path_, ": flush failed: ", std::strerror(errno));
  if (std::fclose(f) != 0 && error.empty())
    error = detail::str_cat("[summary] ", path_, ": close failed: ", std::strerror(errno));
  if (!error.empty()) throw IOError(error);
}

}  // namespace ember::summary
