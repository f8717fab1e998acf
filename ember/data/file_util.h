#pragma once
/// Internal helpers of the data set readers: whole-file reads with errors that name the file.

#include <string>
#include <vector>

namespace ember::data::detail {

/// The bytes of `path`, gunzipped when the file starts with the gzip magic (1f 8b). IOError when it
/// cannot be opened or read, FormatError for a corrupt or truncated gzip stream; `where` is the
/// message prefix ("data.read_idx").
std::vector<unsigned char> read_file_maybe_gzip(const std::string& path, const char* where);

}  // namespace ember::data::detail
