#include "ember/summary/tfrecord.h"

#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/summary/event_reader.h"
#include "temp_dir.h"

namespace ember::summary {
namespace {

using test::from_hex;

// Bytes from tensorboard 2.21's own RecordWriter (tensorboard.summary.writer.record_writer).
constexpr const char* kHelloRecord = "0500000000000000eab2043e68656c6c6fbb1f1c19";
constexpr const char* kEmptyRecord = "000000000000000029039807d8ea82a2";
// Three events written by tensorboard's RecordWriter + event_pb2: the file version at wall time
// 1700000000, "loss" = 0.25 at step 7 (wall 1700000000.5), "loss" = -1.5 at step 3 (wall 1700000001).
constexpr const char* kTensorBoardFile =
    "1800000000000000a37f4b220900000040fc54d9411a0d627261696e2e4576656e743a32eced8f9d1a00000000000000129bd82d09"
    "00002040fc54d94110072a0d0a0b0a046c6f7373150000803ec576518e1a00000000000000129bd82d0900004040fc54d94110032a"
    "0d0a0b0a046c6f7373150000c0bfeb0e6457";

TEST(TFRecordTest, FrameMatchesTensorBoardRecordWriter) {
  EXPECT_EQ(tfrecord_frame("hello"), from_hex(kHelloRecord));
  EXPECT_EQ(tfrecord_frame(""), from_hex(kEmptyRecord));
}

TEST(TFRecordTest, NextRecordRoundTripsAndReportsEndAndTruncation) {
  const std::string buf = tfrecord_frame("abc") + tfrecord_frame("");
  TFRecordView a = next_tfrecord(buf, 0, "f");
  ASSERT_EQ(a.status, TFRecordStatus::kOk);
  EXPECT_EQ(a.data, "abc");
  EXPECT_EQ(a.next, 19u);
  TFRecordView b = next_tfrecord(buf, a.next, "f");
  ASSERT_EQ(b.status, TFRecordStatus::kOk);
  EXPECT_EQ(b.data, "");
  EXPECT_EQ(next_tfrecord(buf, b.next, "f").status, TFRecordStatus::kEnd);
  for (size_t cut : {1u, 11u, 12u, 14u, 18u}) {
    EXPECT_EQ(next_tfrecord(std::string_view(buf).substr(0, cut), 0, "f").status, TFRecordStatus::kTruncated) << cut;
  }
}

TEST(TFRecordTest, ChecksumMismatchNamesFileAndOffset) {
  std::string buf = tfrecord_frame("abc") + tfrecord_frame("defg");
  std::string bad_data = buf;
  bad_data[19 + 12 + 1] ^= 0x01;  // a payload byte of the second record
  EXPECT_THROW_WITH(next_tfrecord(bad_data, 19, "run/events.x"), FormatError,
                    "run/events.x: record at byte 19 (4 bytes of data): data checksum mismatch");
  std::string bad_len = buf;
  bad_len[19] ^= 0x01;  // the second record's length
  EXPECT_THROW_WITH(next_tfrecord(bad_len, 19, "run/events.x"), FormatError,
                    "run/events.x: record at byte 19: length field checksum mismatch");
}

TEST(EventReaderTest, ReadsAFileWrittenByTensorBoard) {
  test::TempDir dir;
  test::write_bytes(dir / "events.out.tfevents.1700000000.host", from_hex(kTensorBoardFile));
  const auto events = read_events(dir / "events.out.tfevents.1700000000.host");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].file_version, "brain.Event:2");
  EXPECT_EQ(events[0].wall_time, 1700000000.0);
  EXPECT_EQ(events[1].step, 7);
  ASSERT_EQ(events[1].values.size(), 1u);
  EXPECT_EQ(events[1].values[0].tag, "loss");
  EXPECT_EQ(*events[1].values[0].simple_value, 0.25f);
  const auto loss = read_scalar(dir.path(), "loss");  // sorted by step
  ASSERT_EQ(loss.size(), 2u);
  EXPECT_EQ(loss[0].step, 3);
  EXPECT_EQ(loss[0].value, -1.5f);
  EXPECT_EQ(loss[0].wall_time, 1700000001.0);
  EXPECT_EQ(loss[1].step, 7);
  EXPECT_TRUE(read_scalar(dir.path(), "accuracy").empty());
}

TEST(EventReaderTest, CorruptRecordNamesFileAndOffset) {
  test::TempDir dir;
  std::string bytes = from_hex(kTensorBoardFile);
  const size_t second = 12 + 24 + 4;  // the first record holds 24 bytes
  bytes[second + 12 + 3] ^= 0x20;
  const std::string path = dir / "events.out.tfevents.1.h";
  test::write_bytes(path, bytes);
  EXPECT_THROW_WITH(read_events(path), FormatError, path + ": record at byte 40 (26 bytes of data): data checksum");
  EXPECT_THROW_WITH(read_scalar(dir.path(), "loss"), FormatError, "record at byte 40");
}

TEST(EventReaderTest, TruncatedTailIsSkippedOrReportedWhenStrict) {
  test::TempDir dir;
  const std::string bytes = from_hex(kTensorBoardFile);
  const std::string path = dir / "events.out.tfevents.1.h";
  test::write_bytes(path, bytes.substr(0, bytes.size() - 5));  // the third record loses its end
  EXPECT_EQ(read_events(path).size(), 2u);
  EXPECT_THROW_WITH(read_events(path, /*allow_truncated_tail=*/false), FormatError,
                    path + ": record at byte 82 is truncated: the file ends at byte 119");
}

TEST(EventReaderTest, MalformedProtobufWithValidChecksumsIsAFormatError) {
  test::TempDir dir;
  const std::string path = dir / "events.out.tfevents.1.h";
  // Field 5 (summary), length-delimited, claiming 100 bytes of which only 1 follows.
  test::write_bytes(path, tfrecord_frame(std::string("\x2a\x64\x00", 3)));
  EXPECT_THROW_WITH(read_events(path), FormatError, "record at byte 0: malformed Event protobuf");
  test::write_bytes(path, tfrecord_frame(std::string("\x23", 1)));  // field 4, wire type 3 (groups)
  EXPECT_THROW_WITH(read_events(path), FormatError, "unsupported protobuf wire type 3");
}

TEST(EventReaderTest, EveryMutatedPayloadDecodesOrIsAFormatError) {
  // Payloads with valid CRCs but damaged protobuf: each byte of a real scalar event in turn set to
  // values that break varints, lengths and wire types. Decoding must never read out of bounds.
  test::TempDir dir;
  const std::string path = dir / "events.out.tfevents.1.h";
  const std::string tb = from_hex(kTensorBoardFile);
  const std::string payload = tb.substr(40 + 12, 26);
  int rejected = 0;
  for (size_t i = 0; i < payload.size(); ++i) {
    for (unsigned char b : {0x00, 0x07, 0x7f, 0x80, 0xff}) {
      std::string p = payload;
      p[i] = static_cast<char>(b);
      test::write_bytes(path, tfrecord_frame(p));
      try {
        read_events(path);
      } catch (const FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("record at byte 0: malformed Event protobuf"), std::string::npos) << e.what();
        ++rejected;
      }
    }
  }
  EXPECT_GT(rejected, 10);
}

TEST(EventReaderTest, MissingFileOrDirectoryIsAnIOError) {
  test::TempDir dir;
  EXPECT_THROW_WITH(read_events(dir / "nope"), IOError, "nope: cannot open the event file");
  EXPECT_THROW_WITH(read_scalar(dir / "absent", "loss"), IOError, "absent: cannot list the log directory");
}

}  // namespace
}  // namespace ember::summary
