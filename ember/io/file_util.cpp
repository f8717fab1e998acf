#include "ember/io/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ember/core/error.h"

namespace ember::io {

namespace {

std::string errno_text(int err) { return std::strerror(err); }

[[noreturn]] void throw_io(const std::string& path, const char* what, int err) {
  throw IOError(ember::detail::str_cat("[io] ", path, ": ", what, " failed: ", errno_text(err),
                                       err == ENOSPC || err == EFBIG || err == EDQUOT
                                           ? " (the disk is full or the file size limit was reached)"
                                           : ""));
}

class FdWriter final : public FileWriter {
 public:
  FdWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  void write(const void* data, size_t n) override {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      const ssize_t w = ::write(fd_, p, std::min<size_t>(n, size_t{1} << 30));
      if (w < 0) {
        if (errno == EINTR) continue;
        throw_io(path_, "write", errno);
      }
      p += w;
      n -= static_cast<size_t>(w);
      pos_ += static_cast<uint64_t>(w);
    }
  }
  uint64_t position() const override { return pos_; }

 private:
  int fd_;
  std::string path_;
  uint64_t pos_ = 0;
};

// Closes the descriptor when an exception leaves the scope before close() is called.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  void close(const std::string& path) {
    const int f = fd;
    fd = -1;
    if (::close(f) != 0) throw_io(path, "close", errno);
  }
};

void write_and_sync(const std::string& path, const std::function<void(FileWriter&)>& produce) {
  Fd fd;
  fd.fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd.fd < 0) throw_io(path, "open for writing", errno);
  FdWriter w(fd.fd, path);
  produce(w);
  if (::fsync(fd.fd) != 0) throw_io(path, "fsync", errno);
  fd.close(path);
}

std::string parent_dir(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string d = p.parent_path().string();
  return d.empty() ? "." : d;
}

}  // namespace

void FileWriter::write_zeros(size_t n) {
  static const char kZeros[4096] = {};
  while (n > 0) {
    const size_t k = std::min(n, sizeof(kZeros));
    write(kZeros, k);
    n -= k;
  }
}

void write_file_synced(const std::string& path, const std::function<void(FileWriter&)>& produce) {
  try {
    write_and_sync(path, produce);
  } catch (...) {
    // Remove the partial file, but never a device or anything else that is not a plain file.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(path.c_str());
    throw;
  }
}

void atomic_write_file(const std::string& path, const std::function<void(FileWriter&)>& produce) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  try {
    write_and_sync(tmp, produce);
    if (::rename(tmp.c_str(), path.c_str()) != 0) throw_io(path, "rename of the temporary file", errno);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  fsync_directory(parent_dir(path));
}

void atomic_write_file(const std::string& path, std::string_view contents) {
  atomic_write_file(path, [&](FileWriter& w) { w.write(contents.data(), contents.size()); });
}

void fsync_directory(const std::string& dir) {
  Fd fd;
  fd.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd.fd < 0) throw_io(dir, "open of the directory", errno);
  // Some file systems refuse fsync on directories (EINVAL); the rename itself has still happened.
  if (::fsync(fd.fd) != 0 && errno != EINVAL) throw_io(dir, "fsync of the directory", errno);
  fd.close(dir);
}

std::string read_small_file(const std::string& path, uint64_t max_bytes) {
  auto src = ByteSource::open_file(path);
  EMBER_CHECK_IO(src->size() <= max_bytes, "[io] ", path, ": file is ", src->size(), " bytes, expected at most ",
                 max_bytes);
  std::string out(static_cast<size_t>(src->size()), '\0');
  src->read(0, out.data(), out.size());
  return out;
}

namespace {

class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path) : ByteSource(path) {
    fd_.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_.fd < 0) throw_io(path, "open", errno);
    struct stat st {};
    if (::fstat(fd_.fd, &st) != 0) throw_io(path, "stat", errno);
    EMBER_CHECK_IO(S_ISREG(st.st_mode), "[io] ", path, ": not a regular file");
    size_ = static_cast<uint64_t>(st.st_size);
  }
  uint64_t size() const override { return size_; }
  void read(uint64_t offset, void* dst, size_t n) const override {
    char* p = static_cast<char*>(dst);
    while (n > 0) {
      const ssize_t r = ::pread(fd_.fd, p, std::min<size_t>(n, size_t{1} << 30), static_cast<off_t>(offset));
      if (r < 0) {
        if (errno == EINTR) continue;
        throw_io(name_, "read", errno);
      }
      // The file shrank after it was opened.
      EMBER_CHECK_IO(r > 0, "[io] ", name_, ": unexpected end of file at byte ", offset,
                     " (the file changed while it was read)");
      p += r;
      n -= static_cast<size_t>(r);
      offset += static_cast<uint64_t>(r);
    }
  }

 private:
  Fd fd_;
  uint64_t size_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string_view bytes, std::string name) : ByteSource(std::move(name)), bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  void read(uint64_t offset, void* dst, size_t n) const override {
    EMBER_INTERNAL_ASSERT(offset <= bytes_.size() && n <= bytes_.size() - offset, "read past the end");
    if (n) std::memcpy(dst, bytes_.data() + offset, n);
  }

 private:
  std::string_view bytes_;
};

}  // namespace

std::unique_ptr<ByteSource> ByteSource::open_file(const std::string& path) {
  return std::make_unique<FileSource>(path);
}

std::unique_ptr<ByteSource> ByteSource::from_bytes(std::string_view bytes, std::string name) {
  return std::make_unique<MemorySource>(bytes, std::move(name));
}

}  // namespace ember::io
