#pragma once
/// TFRecord framing, the container of TensorBoard event files (and of TensorFlow's .tfrecord data):
///
///   uint64 length (little-endian) | uint32 masked CRC32C(length bytes) | data | uint32 masked CRC32C(data)
///
/// The masked CRC is `mask_crc32c` of ember/core/checksum.h.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ember::summary {

/// Bytes of a record's header (length + its CRC) and footer (data CRC).
inline constexpr size_t kTFRecordHeaderSize = 12;
inline constexpr size_t kTFRecordFooterSize = 4;

/// The framed record holding `data`: 12 + data.size() + 4 bytes.
std::string tfrecord_frame(std::string_view data);

/// Outcome of reading one record from a buffer (see next_tfrecord).
enum class TFRecordStatus {
  kOk,         ///< `data` holds the record's payload; `next` is the offset of the following record.
  kEnd,        ///< the buffer ends exactly at `offset`: no more records.
  kTruncated,  ///< the buffer ends inside the record (a writer crashed or is still writing).
};

/// One record read by next_tfrecord.
struct TFRecordView {
  TFRecordStatus status = TFRecordStatus::kEnd;
  std::string_view data;  ///< the payload (a view into the buffer) when status is kOk
  size_t next = 0;        ///< offset just past the record when status is kOk
};

/// Reads the record starting at `offset` of `buffer`, verifying both CRCs. A CRC mismatch throws
/// FormatError naming `file` and the record's offset; a record cut short returns kTruncated.
TFRecordView next_tfrecord(std::string_view buffer, size_t offset, const std::string& file);

}  // namespace ember::summary
