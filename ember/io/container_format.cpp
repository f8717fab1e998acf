#include "ember/io/container_format.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>

#include "ember/core/checksum.h"

namespace ember::io::detail {

static_assert(std::endian::native == std::endian::little,
              "the model format stores little-endian data and this build only writes it natively");

namespace {

uint64_t align_up(uint64_t x) { return (x + kAlignment - 1) / kAlignment * kAlignment; }

template <class T>
void put(char* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}
template <class T>
T take(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

std::string hex32(uint32_t x) {
  std::ostringstream os;
  os << "0x" << std::hex << std::setw(8) << std::setfill('0') << x;
  return os.str();
}

std::string printable(std::string_view bytes) {
  std::ostringstream os;
  os << '"';
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') os << c;
    else os << "\\x" << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(c) << std::dec;
  }
  os << '"';
  return os.str();
}

bool dtype_from_name(std::string_view s, DType& out) {
  for (DType t : {DType::Float32, DType::Float64, DType::Int32, DType::Int64, DType::UInt8, DType::BFloat16})
    if (dtype_name(t) == s) {
      out = t;
      return true;
    }
  return false;
}

std::string shape_str(const std::vector<int64_t>& dims) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < dims.size(); ++i) os << (i ? ", " : "") << dims[i];
  os << ']';
  return os.str();
}

}  // namespace

// ---- writing ---------------------------------------------------------------------------------------
int64_t TensorTable::add(std::string name, const Tensor& t) {
  EMBER_INTERNAL_ASSERT(t.defined(), "undefined tensor '", name, "' added to a file");
  tensors_.emplace_back(std::move(name), t.contiguous());
  return static_cast<int64_t>(tensors_.size()) - 1;
}

void write_container(Json header, const TensorTable& tensors, FileWriter& out) {
  Json entries = Json::array();
  uint64_t end = 0;
  std::vector<uint64_t> offsets;
  for (const auto& [name, t] : tensors.tensors()) {
    const uint64_t nbytes = static_cast<uint64_t>(t.numel()) * itemsize(t.dtype());
    const uint64_t offset = align_up(end);
    offsets.push_back(offset);
    end = offset + nbytes;
    Json shape = Json::array();
    for (int64_t d : t.shape()) shape.push_back(d);
    entries.push_back({{"name", name},
                       {"dtype", std::string(dtype_name(t.dtype()))},
                       {"shape", std::move(shape)},
                       {"offset", offset},
                       {"nbytes", nbytes},
                       {"crc32c", nbytes ? crc32c(t.raw_data(), nbytes) : 0u}});
  }
  header["tensors"] = std::move(entries);
  std::string text;
  try {
    text = header.dump(-1, ' ', false, Json::error_handler_t::strict);
  } catch (const Json::exception& e) {
    throw ValueError(ember::detail::str_cat("[io] cannot write the header: ", e.what(),
                                            " (names and strings must be valid UTF-8)"));
  }
  EMBER_CHECK(text.size() <= kMaxHeaderBytes, "[io] the header is ", text.size(), " bytes, more than the limit of ",
              kMaxHeaderBytes);
  char pre[kPreambleBytes] = {};
  std::memcpy(pre, kMagic, sizeof(kMagic));
  put<uint32_t>(pre + 8, kFormatVersion);
  put<uint32_t>(pre + 12, 0);  // flags
  put<uint64_t>(pre + 16, text.size());
  put<uint32_t>(pre + 24, crc32c(text.data(), text.size()));
  put<uint32_t>(pre + 28, 0);  // reserved
  out.write(pre, sizeof(pre));
  out.write(text.data(), text.size());
  const uint64_t data_start = align_up(kPreambleBytes + text.size());
  out.write_zeros(data_start - out.position());
  size_t i = 0;
  for (const auto& [name, t] : tensors.tensors()) {
    out.write_zeros(data_start + offsets[i++] - out.position());
    out.write(t.raw_data(), static_cast<size_t>(t.numel()) * itemsize(t.dtype()));
  }
}

// ---- reading ---------------------------------------------------------------------------------------
ContainerReader::ContainerReader(const ByteSource& src, bool check_padding) : src_(src) {
  read_preamble();
  parse_tensor_table();
  check_layout(check_padding);
}

void ContainerReader::read_preamble() {
  const uint64_t size = src_.size();
  char pre[kPreambleBytes];
  const size_t got = static_cast<size_t>(std::min<uint64_t>(size, kPreambleBytes));
  src_.read(0, pre, got);
  EMBER_CHECK_FORMAT(got >= sizeof(kMagic) && std::memcmp(pre, kMagic, sizeof(kMagic)) == 0, where(),
                     "not an Ember model file: expected the magic \"EMBERMDL\" in the first 8 bytes, got ",
                     printable(std::string_view(pre, std::min<size_t>(got, sizeof(kMagic)))));
  EMBER_CHECK_FORMAT(size >= kPreambleBytes, where(), "the file is ", size, " bytes, shorter than the ",
                     kPreambleBytes, "-byte preamble: the file is truncated");
  version_ = take<uint32_t>(pre + 8);
  EMBER_CHECK_FORMAT(version_ >= 1, where(), "format version 0 is invalid: expected 1 to ", kFormatVersion);
  EMBER_CHECK_FORMAT(version_ <= kFormatVersion, where(), "format version ", version_,
                     " is newer than this build reads (up to ", kFormatVersion,
                     "). Hint: the file was written by a newer Ember; upgrade to read it");
  const uint32_t flags = take<uint32_t>(pre + 12), reserved = take<uint32_t>(pre + 28);
  EMBER_CHECK_FORMAT(flags == 0, where(), "unknown flags ", hex32(flags), " in the preamble: expected 0");
  EMBER_CHECK_FORMAT(reserved == 0, where(), "reserved preamble field is ", hex32(reserved), ": expected 0");
  header_bytes_ = take<uint64_t>(pre + 16);
  EMBER_CHECK_FORMAT(header_bytes_ >= 2 && header_bytes_ <= kMaxHeaderBytes, where(), "header length ",
                     header_bytes_, " is out of range: expected 2 to ", kMaxHeaderBytes, " bytes");
  EMBER_CHECK_FORMAT(header_bytes_ <= size - kPreambleBytes, where(), "the header ends at byte ",
                     kPreambleBytes + header_bytes_, ", past the end of the file (", size,
                     " bytes): the file is truncated");
  std::string text(static_cast<size_t>(header_bytes_), '\0');
  src_.read(kPreambleBytes, text.data(), text.size());
  const uint32_t stored = take<uint32_t>(pre + 24), computed = crc32c(text.data(), text.size());
  EMBER_CHECK_FORMAT(stored == computed, where(), "header checksum mismatch: stored CRC32C ", hex32(stored),
                     ", computed ", hex32(computed), ": the file is corrupted");
  // Nesting is bounded so that a hostile header cannot exhaust the stack of whoever walks it.
  auto depth_limit = [this](int depth, Json::parse_event_t, Json&) {
    EMBER_CHECK_FORMAT(depth <= kMaxJsonDepth, where(), "the header nests deeper than ", kMaxJsonDepth, " levels");
    return true;
  };
  try {
    header_ = Json::parse(text, depth_limit);
  } catch (const Json::exception& e) {
    throw FormatError(ember::detail::str_cat(where(), "the header is not valid JSON: ", e.what()));
  }
  EMBER_CHECK_FORMAT(header_.is_object(), where(), "the header must be a JSON object, got ", kind_of(header_));
}

void ContainerReader::parse_tensor_table() {
  const Json& list = get_array(*this, field(*this, header_, "tensors", "the header"), "'tensors'");
  std::set<std::string> names;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string w = "tensor entry " + std::to_string(i);
    const Json& e = list[i];
    TensorEntry t;
    t.name = get_string(*this, field(*this, e, "name", w), w + " 'name'");
    const std::string tw = "tensor '" + t.name + "'";
    EMBER_CHECK_FORMAT(names.insert(t.name).second, where(), "two tensors are named '", t.name, "'");
    const std::string dt = get_string(*this, field(*this, e, "dtype", tw), tw + " 'dtype'");
    EMBER_CHECK_FORMAT(dtype_from_name(dt, t.dtype), where(), tw, " has unknown dtype '", dt,
                       "': expected float32, float64, int32, int64, uint8 or bfloat16");
    const Json& shape = get_array(*this, field(*this, e, "shape", tw), tw + " 'shape'");
    EMBER_CHECK_FORMAT(shape.size() <= static_cast<size_t>(Shape::kMaxDims), where(), tw, " has ", shape.size(),
                       " dimensions: expected at most ", Shape::kMaxDims);
    std::vector<int64_t> dims;
    uint64_t bytes = itemsize(t.dtype);
    bool overflow = false;
    for (const Json& d : shape) {
      const int64_t n = get_int(*this, d, tw + " shape");
      EMBER_CHECK_FORMAT(n >= 0, where(), tw, " has a negative size in its shape ", shape.dump());
      dims.push_back(n);
      overflow = overflow || __builtin_mul_overflow(bytes, static_cast<uint64_t>(n), &bytes);
    }
    EMBER_CHECK_FORMAT(!overflow && bytes <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()), where(), tw,
                       " shape ", shape_str(dims), " is too large");
    t.shape = Shape(dims);
    t.nbytes = get_uint(*this, field(*this, e, "nbytes", tw), tw + " 'nbytes'");
    EMBER_CHECK_FORMAT(t.nbytes == bytes, where(), tw, " has nbytes=", t.nbytes, " but its shape ", shape_str(dims),
                       " and dtype ", t.dtype, " need ", bytes);
    t.offset = get_uint(*this, field(*this, e, "offset", tw), tw + " 'offset'");
    EMBER_CHECK_FORMAT(t.offset % kAlignment == 0, where(), tw, " offset ", t.offset, " is not a multiple of ",
                       kAlignment);
    const uint64_t crc = get_uint(*this, field(*this, e, "crc32c", tw), tw + " 'crc32c'");
    EMBER_CHECK_FORMAT(crc <= 0xffffffffu, where(), tw, " crc32c ", crc, " does not fit 32 bits");
    t.crc32c = static_cast<uint32_t>(crc);
    entries_.push_back(std::move(t));
  }
}

void ContainerReader::check_layout(bool check_padding) {
  const uint64_t size = src_.size();
  const uint64_t header_end = kPreambleBytes + header_bytes_;
  const uint64_t data_start = align_up(header_end);
  EMBER_CHECK_FORMAT(data_start <= size, where(), "the padding after the header ends at byte ", data_start,
                     ", past the end of the file (", size, " bytes): the file is truncated");
  std::vector<size_t> order;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const TensorEntry& t = entries_[i];
    const uint64_t room = size - data_start;
    if (t.offset <= room && t.nbytes <= room - t.offset) {
      if (t.nbytes > 0) order.push_back(i);
      continue;
    }
    uint64_t end = 0;
    const bool overflow = __builtin_add_overflow(data_start, t.offset, &end) || __builtin_add_overflow(end, t.nbytes, &end);
    throw FormatError(ember::detail::str_cat(where(), "tensor '", t.name, "' data ends at byte ",
                                             overflow ? std::string("2^64 or beyond") : std::to_string(end),
                                             ", past the end of the file (", size, " bytes): the file is truncated"));
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return entries_[a].offset < entries_[b].offset; });
  // Gaps between the header and the extents must be zero padding, and nothing may follow the last.
  std::vector<std::pair<uint64_t, uint64_t>> gaps{{header_end, data_start}};
  uint64_t pos = data_start;
  for (size_t k = 0; k < order.size(); ++k) {
    const TensorEntry& t = entries_[order[k]];
    const uint64_t begin = data_start + t.offset;
    EMBER_CHECK_FORMAT(begin >= pos, where(), "tensor '", t.name, "' (bytes ", begin, " to ", begin + t.nbytes,
                       ") overlaps tensor '", entries_[order[k - 1]].name, "' (which ends at byte ", pos, ")");
    gaps.emplace_back(pos, begin);
    pos = begin + t.nbytes;
  }
  EMBER_CHECK_FORMAT(pos == size, where(), "the file is ", size, " bytes but its contents end at byte ", pos,
                     ": ", size - pos, " unexpected trailing bytes");
  if (!check_padding) return;
  char buf[4096];
  for (auto [a, b] : gaps) {
    while (a < b) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(b - a, sizeof(buf)));
      src_.read(a, buf, n);
      for (size_t j = 0; j < n; ++j)
        EMBER_CHECK_FORMAT(buf[j] == 0, where(), "non-zero byte at offset ", a + j,
                           " in padding: expected zeros; the file is corrupted");
      a += n;
    }
  }
}

Tensor ContainerReader::tensor(size_t i) const {
  const TensorEntry& e = entries_.at(i);
  Tensor t = Tensor::empty(e.shape, e.dtype);
  if (e.nbytes == 0) return t;
  src_.read(align_up(kPreambleBytes + header_bytes_) + e.offset, t.raw_data(), static_cast<size_t>(e.nbytes));
  const uint32_t computed = crc32c(t.raw_data(), static_cast<size_t>(e.nbytes));
  EMBER_CHECK_FORMAT(computed == e.crc32c, where(), "tensor '", e.name, "' checksum mismatch: stored CRC32C ",
                     hex32(e.crc32c), ", computed ", hex32(computed), ": the data is corrupted");
  return t;
}

// ---- JSON access -----------------------------------------------------------------------------------
std::string kind_of(const Json& v) { return v.type_name(); }

const Json& field(const ContainerReader& r, const Json& obj, const char* key, const std::string& where) {
  EMBER_CHECK_FORMAT(obj.is_object(), r.where(), where, " must be a JSON object, got ", kind_of(obj));
  auto it = obj.find(key);
  EMBER_CHECK_FORMAT(it != obj.end(), r.where(), where, " has no '", key, "' field");
  return *it;
}

std::string get_string(const ContainerReader& r, const Json& v, const std::string& what) {
  EMBER_CHECK_FORMAT(v.is_string(), r.where(), what, " must be a string, got ", kind_of(v));
  return v.get<std::string>();
}

bool get_bool(const ContainerReader& r, const Json& v, const std::string& what) {
  EMBER_CHECK_FORMAT(v.is_boolean(), r.where(), what, " must be true or false, got ", kind_of(v));
  return v.get<bool>();
}

int64_t get_int(const ContainerReader& r, const Json& v, const std::string& what) {
  EMBER_CHECK_FORMAT(v.is_number_integer(), r.where(), what, " must be an integer, got ", kind_of(v),
                     v.is_number_float() ? " (a float)" : "");
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    EMBER_CHECK_FORMAT(u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()), r.where(), what, " value ",
                       u, " does not fit a signed 64-bit integer");
    return static_cast<int64_t>(u);
  }
  return v.get<int64_t>();
}

uint64_t get_uint(const ContainerReader& r, const Json& v, const std::string& what) {
  EMBER_CHECK_FORMAT(v.is_number_unsigned(), r.where(), what, " must be a non-negative integer, got ",
                     v.is_number() ? v.dump() : kind_of(v));
  return v.get<uint64_t>();
}

double get_real(const ContainerReader& r, const Json& v, const std::string& what) {
  if (v.is_number_float()) return v.get<double>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  throw FormatError(ember::detail::str_cat(r.where(), what, " must be a float (or \"nan\", \"inf\", \"-inf\"), got ",
                                           v.is_number() ? v.dump() : kind_of(v)));
}

const Json& get_array(const ContainerReader& r, const Json& v, const std::string& what) {
  EMBER_CHECK_FORMAT(v.is_array(), r.where(), what, " must be an array, got ", kind_of(v));
  return v;
}

Json real_to_json(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

}  // namespace ember::io::detail
