#include "ember/summary/event_reader.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "ember/core/error.h"
#include "ember/summary/tfrecord.h"

namespace ember::summary {
namespace {

// A bounds-checked protobuf reader over one message; errors name the file and the record offset.
class ProtoReader {
 public:
  ProtoReader(std::string_view buf, const std::string& file, size_t record_offset)
      : buf_(buf), file_(file), record_(record_offset) {}

  bool done() const { return pos_ >= buf_.size(); }

  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1, "varint");
      const auto byte = static_cast<unsigned char>(buf_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    fail("varint longer than 10 bytes");
  }
  uint64_t fixed(int bytes) {
    need(bytes, bytes == 8 ? "fixed64" : "fixed32");
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(buf_[pos_ + i])) << (8 * i);
    pos_ += bytes;
    return v;
  }
  double f64() {
    const uint64_t bits = fixed(8);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  float f32() {
    const auto bits = static_cast<uint32_t>(fixed(4));
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  std::string_view bytes() {
    const uint64_t n = varint();
    need(n, "length-delimited field");
    std::string_view s = buf_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  /// Reads a key; returns {field, wire type}.
  std::pair<uint64_t, int> key() {
    const uint64_t k = varint();
    return {k >> 3, static_cast<int>(k & 7)};
  }
  void skip(int wire) {
    switch (wire) {
      case 0: varint(); break;
      case 1: fixed(8); break;
      case 2: bytes(); break;
      case 5: fixed(4); break;
      default: fail(detail::str_cat("unsupported protobuf wire type ", wire));
    }
  }
  void expect_wire(int got, int want, const char* field) {
    if (got != want) fail(detail::str_cat("field ", field, " has wire type ", got, ", expected ", want));
  }
  /// A sub-reader over a nested message.
  ProtoReader nested() { return ProtoReader(bytes(), file_, record_); }
  std::vector<double> doubles(int wire) {
    std::vector<double> out;
    if (wire == 1) {
      out.push_back(f64());
      return out;
    }
    expect_wire(wire, 2, "packed double");
    ProtoReader r = nested();
    if (r.buf_.size() % 8 != 0) fail(detail::str_cat("packed doubles of ", r.buf_.size(), " bytes: expected a multiple of 8"));
    while (!r.done()) out.push_back(r.f64());
    return out;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError(detail::str_cat("[summary] ", file_, ": record at byte ", record_,
                                      ": malformed Event protobuf: ", what, ": the file is corrupt"));
  }

 private:
  void need(uint64_t n, const char* what) const {
    if (n > buf_.size() - pos_)
      fail(detail::str_cat(what, " at message byte ", pos_, " needs ", n, " bytes, only ", buf_.size() - pos_, " left"));
  }
  std::string_view buf_;
  const std::string& file_;
  size_t record_;
  size_t pos_ = 0;
};

Histogram decode_histogram(ProtoReader r) {
  Histogram h;
  while (!r.done()) {
    auto [field, wire] = r.key();
    switch (field) {
      case 1: r.expect_wire(wire, 1, "HistogramProto.min"); h.min = r.f64(); break;
      case 2: r.expect_wire(wire, 1, "HistogramProto.max"); h.max = r.f64(); break;
      case 3: r.expect_wire(wire, 1, "HistogramProto.num"); h.num = r.f64(); break;
      case 4: r.expect_wire(wire, 1, "HistogramProto.sum"); h.sum = r.f64(); break;
      case 5: r.expect_wire(wire, 1, "HistogramProto.sum_squares"); h.sum_squares = r.f64(); break;
      case 6: for (double d : r.doubles(wire)) h.bucket_limit.push_back(d); break;
      case 7: for (double d : r.doubles(wire)) h.bucket.push_back(d); break;
      default: r.skip(wire);
    }
  }
  return h;
}

SummaryValue decode_value(ProtoReader r) {
  SummaryValue v;
  while (!r.done()) {
    auto [field, wire] = r.key();
    if (field == 1) {
      r.expect_wire(wire, 2, "Value.tag");
      v.tag = std::string(r.bytes());
    } else if (field == 2) {
      r.expect_wire(wire, 5, "Value.simple_value");
      v.simple_value = r.f32();
    } else if (field == 5) {
      r.expect_wire(wire, 2, "Value.histo");
      v.histo = decode_histogram(r.nested());
    } else {
      r.skip(wire);
    }
  }
  return v;
}

Event decode_event(std::string_view data, const std::string& file, size_t offset) {
  ProtoReader r(data, file, offset);
  Event e;
  while (!r.done()) {
    auto [field, wire] = r.key();
    if (field == 1) {
      r.expect_wire(wire, 1, "Event.wall_time");
      e.wall_time = r.f64();
    } else if (field == 2) {
      r.expect_wire(wire, 0, "Event.step");
      e.step = static_cast<int64_t>(r.varint());
    } else if (field == 3) {
      r.expect_wire(wire, 2, "Event.file_version");
      e.file_version = std::string(r.bytes());
    } else if (field == 5) {
      r.expect_wire(wire, 2, "Event.summary");
      ProtoReader s = r.nested();
      while (!s.done()) {
        auto [sf, sw] = s.key();
        if (sf == 1) {
          s.expect_wire(sw, 2, "Summary.value");
          e.values.push_back(decode_value(s.nested()));
        } else {
          s.skip(sw);
        }
      }
    } else {
      r.skip(wire);
    }
  }
  return e;
}

}  // namespace

std::vector<Event> read_events(const std::string& path, bool allow_truncated_tail) {
  std::ifstream in(path, std::ios::binary);
  EMBER_CHECK_IO(in.good(), "[summary] ", path, ": cannot open the event file: ", std::strerror(errno));
  const std::string buffer((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EMBER_CHECK_IO(!in.bad(), "[summary] ", path, ": read failed: ", std::strerror(errno));
  std::vector<Event> events;
  for (size_t offset = 0;;) {
    const TFRecordView rec = next_tfrecord(buffer, offset, path);
    if (rec.status == TFRecordStatus::kEnd) break;
    if (rec.status == TFRecordStatus::kTruncated) {
      EMBER_CHECK_FORMAT(allow_truncated_tail, "[summary] ", path, ": record at byte ", offset,
                         " is truncated: the file ends at byte ", buffer.size(),
                         " inside the record (the writer crashed or is still writing)");
      break;
    }
    events.push_back(decode_event(rec.data, path, offset));
    offset = rec.next;
  }
  return events;
}

std::vector<std::string> list_event_files(const std::string& log_dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(log_dir, ec);
  EMBER_CHECK_IO(!ec, "[summary] ", log_dir, ": cannot list the log directory: ", ec.message());
  std::vector<std::string> files;
  for (const auto& entry : it) {
    if (entry.is_regular_file(ec) && entry.path().filename().string().find("tfevents") != std::string::npos)
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<ScalarEvent> read_scalar(const std::string& log_dir, const std::string& tag) {
  std::vector<ScalarEvent> out;
  for (const std::string& file : list_event_files(log_dir)) {
    for (const Event& e : read_events(file)) {
      for (const SummaryValue& v : e.values) {
        if (v.tag == tag && v.simple_value) out.push_back({e.step, *v.simple_value, e.wall_time});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const ScalarEvent& a, const ScalarEvent& b) {
    return a.step != b.step ? a.step < b.step : a.wall_time < b.wall_time;
  });
  return out;
}

}  // namespace ember::summary
