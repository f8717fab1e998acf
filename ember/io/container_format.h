#pragma once
/// Internal: the container shared by model and state files (see docs/design.md, "## io").
///
///   [0, 32)        preamble: magic "EMBERMDL", u32 version, u32 flags, u64 header length,
///                  u32 header CRC32C, u32 reserved (all little-endian)
///   [32, 32 + H)   header: compact UTF-8 JSON, H bytes
///   ...            zero padding to a 64-byte boundary, then each tensor's raw little-endian bytes
///                  at the 64-byte-aligned offset its header entry gives, zero padding between.
///
/// Only ember/io's .cpp files include this (nlohmann-json is a private dependency).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ember/io/file_util.h"
#include "ember/nn/module.h"
#include "ember/tensor/state_dict.h"
#include "ember/tensor/tensor.h"

namespace ember::io::detail {

using Json = nlohmann::json;

inline constexpr char kMagic[8] = {'E', 'M', 'B', 'E', 'R', 'M', 'D', 'L'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr uint64_t kPreambleBytes = 32;
inline constexpr uint64_t kAlignment = 64;
/// Largest header accepted: far above any real model's, small enough to refuse absurd lengths.
inline constexpr uint64_t kMaxHeaderBytes = uint64_t{256} << 20;
/// Deepest JSON nesting accepted (a module tree nests about three levels per container).
inline constexpr int kMaxJsonDepth = 600;

/// Tensors to write, in order; `add` returns the index that header entries refer to.
class TensorTable {
 public:
  /// Adds a tensor (made contiguous) under `name` (used in messages). Undefined tensors are not
  /// added: callers write `null` for them.
  int64_t add(std::string name, const Tensor& t);
  size_t size() const { return tensors_.size(); }
  const std::vector<std::pair<std::string, Tensor>>& tensors() const { return tensors_; }

 private:
  std::vector<std::pair<std::string, Tensor>> tensors_;
};

/// Writes the container: `header` gets a "tensors" array (layout, dtype, shape, CRC32C) added
/// before it is serialised. Deterministic: the same header and tensors give the same bytes.
/// Throws ValueError when the header cannot be serialised (e.g. a name that is not UTF-8).
void write_container(Json header, const TensorTable& tensors, FileWriter& out);

/// A FileWriter appending to a string (the *_to_bytes functions).
class StringWriter final : public FileWriter {
 public:
  explicit StringWriter(std::string& s) : s_(s) {}
  void write(const void* data, size_t n) override { s_.append(static_cast<const char*>(data), n); }
  uint64_t position() const override { return s_.size(); }

 private:
  std::string& s_;
};

/// The model and state file writers (model_file.cpp, state_file.cpp), for checkpoints.
void write_model(const nn::Module& model, FileWriter& out);
void write_state(const StateDict& state, FileWriter& out);

/// One tensor entry of a file, validated against the file's size.
struct TensorEntry {
  std::string name;
  DType dtype = DType::Float32;
  Shape shape;
  uint64_t offset = 0, nbytes = 0;
  uint32_t crc32c = 0;
};

/// A container read and validated: preamble, header checksum, JSON syntax and depth, the tensor
/// table (dtypes, shapes vs nbytes, alignment, extents inside the file, no overlaps, zero padding,
/// no trailing bytes). Tensor data is read on demand by `tensor()`.
class ContainerReader {
 public:
  /// Validates everything but the tensors' CRC32C (checked by tensor()). FormatError/IOError
  /// naming the file. `check_padding` = false skips reading the padding (header-only info).
  explicit ContainerReader(const ByteSource& src, bool check_padding = true);

  const Json& header() const { return header_; }
  uint32_t version() const { return version_; }
  const std::vector<TensorEntry>& entries() const { return entries_; }
  /// Reads tensor i and checks its CRC32C (FormatError naming the tensor on mismatch).
  Tensor tensor(size_t i) const;
  /// "[io] <file>: " for messages.
  std::string where() const { return "[io] " + src_.name() + ": "; }
  const std::string& name() const { return src_.name(); }

 private:
  void read_preamble();
  void parse_tensor_table();
  void check_layout(bool check_padding);

  const ByteSource& src_;
  uint32_t version_ = 0;
  uint64_t header_bytes_ = 0;
  Json header_;
  std::vector<TensorEntry> entries_;
};

// ---- JSON field access with FormatError messages -----------------------------------------------
/// The member `key` of object `obj` (at `where`, e.g. "module 'features.0'"); FormatError when
/// `obj` is not an object or the member is missing.
const Json& field(const ContainerReader& r, const Json& obj, const char* key, const std::string& where);
std::string get_string(const ContainerReader& r, const Json& v, const std::string& what);
bool get_bool(const ContainerReader& r, const Json& v, const std::string& what);
int64_t get_int(const ContainerReader& r, const Json& v, const std::string& what);
uint64_t get_uint(const ContainerReader& r, const Json& v, const std::string& what);
/// A double, written as a JSON float or as "nan", "inf", "-inf".
double get_real(const ContainerReader& r, const Json& v, const std::string& what);
const Json& get_array(const ContainerReader& r, const Json& v, const std::string& what);
/// A double as JSON (non-finite values as strings, since JSON has no literal for them).
Json real_to_json(double x);
/// The JSON kind of v for messages ("string", "number", ...).
std::string kind_of(const Json& v);

}  // namespace ember::io::detail
