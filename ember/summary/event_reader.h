#pragma once
/// Reading TensorBoard event files back: every record's two CRCs are verified and the Event
/// protobufs decoded (fields Ember does not know are skipped). BigDL: FileReader.
///
/// Corruption (a CRC mismatch, a malformed protobuf) throws FormatError naming the file and the
/// record's byte offset. A final record cut short - the writer crashed, or is still writing it - is
/// skipped: everything before it is returned. This is what TensorBoard does too, and it lets a
/// trainer read its own live log directory. Pass allow_truncated_tail = false to get a FormatError.
///
/// Example:
///   for (const ScalarEvent& e : read_scalar("runs/lenet/train", "Loss")) plot(e.step, e.value);

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ember/summary/histogram.h"

namespace ember::summary {

/// One Summary.Value: a tag with a scalar or a histogram (other kinds are skipped and leave both empty).
struct SummaryValue {
  std::string tag;
  std::optional<float> simple_value;
  std::optional<Histogram> histo;
};

/// One decoded Event record.
struct Event {
  double wall_time = 0;
  int64_t step = 0;
  std::string file_version;  ///< "brain.Event:2" in a file's first record, else empty
  std::vector<SummaryValue> values;
};

/// All events of one event file, in file order. IOError when it cannot be read; FormatError as above.
std::vector<Event> read_events(const std::string& path, bool allow_truncated_tail = true);

/// One point of a scalar series (BigDL's readScalar tuple).
struct ScalarEvent {
  int64_t step = 0;
  float value = 0;
  double wall_time = 0;  ///< seconds since the Unix epoch
};

/// The scalar series `tag` over every event file in `log_dir` (files whose name contains
/// "tfevents"; subdirectories are not searched), sorted by step (ties: by wall time). Empty when the
/// tag never occurs. IOError when log_dir is not a readable directory.
std::vector<ScalarEvent> read_scalar(const std::string& log_dir, const std::string& tag);

/// Paths of the event files in `log_dir`, sorted by name.
std::vector<std::string> list_event_files(const std::string& log_dir);

}  // namespace ember::summary
