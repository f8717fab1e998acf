#include "ember/summary/tfrecord.h"

#include <cstring>

#include "ember/core/checksum.h"
#include "ember/core/error.h"

namespace ember::summary {
namespace {

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}

uint64_t get_le(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

}  // namespace

std::string tfrecord_frame(std::string_view data) {
  std::string out;
  out.reserve(kTFRecordHeaderSize + data.size() + kTFRecordFooterSize);
  put_le(out, data.size(), 8);
  put_le(out, mask_crc32c(crc32c(out.data(), 8)), 4);
  out.append(data);
  put_le(out, mask_crc32c(crc32c(data.data(), data.size())), 4);
  return out;
}

TFRecordView next_tfrecord(std::string_view buffer, size_t offset, const std::string& file) {
  TFRecordView r;
  if (offset == buffer.size()) return r;
  const size_t left = buffer.size() - offset;
  if (left < kTFRecordHeaderSize) {
    r.status = TFRecordStatus::kTruncated;
    return r;
  }
  const char* p = buffer.data() + offset;
  const uint64_t length = get_le(p, 8);
  const uint32_t want_len_crc = static_cast<uint32_t>(get_le(p + 8, 4));
  const uint32_t got_len_crc = mask_crc32c(crc32c(p, 8));
  EMBER_CHECK_FORMAT(got_len_crc == want_len_crc, "[summary] ", file, ": record at byte ", offset,
                     ": length field checksum mismatch: expected masked CRC32C 0x", std::hex, want_len_crc,
                     ", got 0x", got_len_crc, std::dec, ": the file is corrupt");
  if (length > left - kTFRecordHeaderSize || left - kTFRecordHeaderSize - length < kTFRecordFooterSize) {
    r.status = TFRecordStatus::kTruncated;
    return r;
  }
  const char* data = p + kTFRecordHeaderSize;
  const uint32_t want_crc = static_cast<uint32_t>(get_le(data + length, 4));
  const uint32_t got_crc = mask_crc32c(crc32c(data, length));
  EMBER_CHECK_FORMAT(got_crc == want_crc, "[summary] ", file, ": record at byte ", offset, " (", length,
                     " bytes of data): data checksum mismatch: expected masked CRC32C 0x", std::hex, want_crc,
                     ", got 0x", got_crc, std::dec, ": the file is corrupt");
  r.status = TFRecordStatus::kOk;
  r.data = std::string_view(data, length);
  r.next = offset + kTFRecordHeaderSize + length + kTFRecordFooterSize;
  return r;
}

}  // namespace ember::summary
