#include "ember/data/file_util.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "ember/core/error.h"

namespace ember::data::detail {

namespace {
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
}  // namespace

std::vector<unsigned char> read_file_maybe_gzip(const std::string& path, const char* where) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  EMBER_CHECK_IO(f != nullptr, "[", where, "] ", path, ": cannot open: ", std::strerror(errno));
  unsigned char magic[2] = {0, 0};
  const size_t got = std::fread(magic, 1, 2, f.get());
  std::vector<unsigned char> out;
  if (got < 2 || magic[0] != 0x1f || magic[1] != 0x8b) {
    EMBER_CHECK_IO(std::fseek(f.get(), 0, SEEK_END) == 0, "[", where, "] ", path, ": cannot seek: ",
                   std::strerror(errno));
    const long size = std::ftell(f.get());
    EMBER_CHECK_IO(size >= 0 && std::fseek(f.get(), 0, SEEK_SET) == 0, "[", where, "] ", path,
                   ": cannot determine the size: ", std::strerror(errno));
    out.resize(static_cast<size_t>(size));
    const size_t read = std::fread(out.data(), 1, out.size(), f.get());
    EMBER_CHECK_IO(read == out.size() && !std::ferror(f.get()), "[", where, "] ", path, ": read ", read, " of ",
                   out.size(), " bytes: ", std::strerror(errno));
    return out;
  }
  f.reset();
  std::unique_ptr<gzFile_s, GzCloser> gz(gzopen(path.c_str(), "rb"));
  EMBER_CHECK_IO(gz != nullptr, "[", where, "] ", path, ": cannot open: ", std::strerror(errno));
  gzbuffer(gz.get(), 1 << 17);
  size_t used = 0;
  size_t chunk = 1 << 20;
  for (;;) {
    out.resize(used + chunk);
    const int r = gzread(gz.get(), out.data() + used, static_cast<unsigned>(chunk));
    if (r < 0) {
      int errnum = 0;
      const char* msg = gzerror(gz.get(), &errnum);
      throw FormatError(ember::detail::str_cat("[", where, "] ", path, ": corrupt gzip data after ", used,
                                " decompressed bytes: ", msg ? msg : "unknown zlib error"));
    }
    if (r == 0) break;
    used += static_cast<size_t>(r);
    chunk = std::min<size_t>(chunk * 2, size_t{1} << 26);
  }
  int errnum = Z_OK;
  const char* msg = gzerror(gz.get(), &errnum);
  EMBER_CHECK_FORMAT(errnum == Z_OK, "[", where, "] ", path, ": corrupt gzip data after ", used,
                     " decompressed bytes: ", msg ? msg : "unknown zlib error");
  out.resize(used);
  return out;
}

}  // namespace ember::data::detail
