#pragma once
/// File helpers shared by the model format, checkpoints and summaries: atomic replacement of a file
/// (write a temporary, fsync, rename, fsync the directory) and bounded random-access reading of a
/// file or an in-memory byte string. Every failure is an IOError naming the path and the errno text.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ember::io {

/// Sequential writer handed to the producer of a file's contents; every call appends.
class FileWriter {
 public:
  virtual ~FileWriter() = default;
  /// Appends `n` bytes.
  virtual void write(const void* data, size_t n) = 0;
  /// Appends `n` zero bytes (padding).
  void write_zeros(size_t n);
  /// Bytes written so far.
  virtual uint64_t position() const = 0;
};

/// Replaces `path` atomically with what `produce` writes: writes `<path>.tmp.<pid>`, fsyncs it,
/// renames it onto `path` and fsyncs the directory. On any failure (full disk, permissions, an
/// exception from `produce`) the temporary file is removed, an existing `path` is left untouched,
/// and the error is rethrown (IOError naming the file for I/O failures).
void atomic_write_file(const std::string& path, const std::function<void(FileWriter&)>& produce);
/// atomic_write_file with a byte string as the contents.
void atomic_write_file(const std::string& path, std::string_view contents);

/// Writes `path` (created or truncated) with what `produce` writes and fsyncs it; no rename. For
/// files inside a directory that is itself renamed into place (checkpoints). On failure the
/// partial file is removed and the error rethrown.
void write_file_synced(const std::string& path, const std::function<void(FileWriter&)>& produce);

/// fsyncs a directory so that a rename or a new entry in it survives a crash. IOError on failure.
void fsync_directory(const std::string& dir);

/// Reads a whole (small) file into a string; IOError when it cannot be opened or read, or when
/// it is larger than `max_bytes`.
std::string read_small_file(const std::string& path, uint64_t max_bytes = 1 << 20);

/// Random-access bytes: a file read with pread, or a string in memory. `name()` is what error
/// messages call it (the path, or the name given for in-memory bytes).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Total size in bytes.
  virtual uint64_t size() const = 0;
  /// Copies [offset, offset + n) into dst; the caller has checked the range against size().
  /// IOError when the underlying read fails.
  virtual void read(uint64_t offset, void* dst, size_t n) const = 0;
  const std::string& name() const { return name_; }

  /// Opens a file (IOError naming it when it cannot be opened).
  static std::unique_ptr<ByteSource> open_file(const std::string& path);
  /// Wraps bytes that outlive the source.
  static std::unique_ptr<ByteSource> from_bytes(std::string_view bytes, std::string name);

 protected:
  explicit ByteSource(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

}  // namespace ember::io
