#include "ember/summary/event_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <filesystem>
#include <set>
#include <thread>

#include "common/gradient_check.h"
#include "ember/summary/event_reader.h"
#include "temp_dir.h"

namespace ember::summary {
namespace {

TEST(EventWriterTest, WritesVersionScalarsAndHistogramThatReadBack) {
  test::TempDir dir;
  std::string path;
  {
    EventWriter w(dir / "a/b");  // parents are created
    path = w.path();
    w.add_scalar("Loss", 0.125f, 10, 1700000000.25);
    w.add_scalar("Loss", -3.5f, -2, 1700000001.0);  // negative steps survive the varint encoding
    w.add_histogram("w", Tensor::from_vector(std::vector<double>{-1.0, 0.0, 0.5, 2.0}, {2, 2}), 10, 1700000002.0);
  }
  const std::string name = std::filesystem::path(path).filename().string();
  EXPECT_EQ(name.rfind("events.out.tfevents.", 0), 0u) << name;
  EXPECT_EQ(std::filesystem::path(path).parent_path(), std::filesystem::path(dir / "a/b"));
  const auto events = read_events(path, /*allow_truncated_tail=*/false);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].file_version, "brain.Event:2");
  EXPECT_GT(events[0].wall_time, 1.6e9);
  EXPECT_EQ(events[1].step, 10);
  EXPECT_EQ(events[1].wall_time, 1700000000.25);
  ASSERT_EQ(events[1].values.size(), 1u);
  EXPECT_EQ(events[1].values[0].tag, "Loss");
  EXPECT_EQ(*events[1].values[0].simple_value, 0.125f);
  EXPECT_EQ(events[2].step, -2);
  EXPECT_EQ(*events[2].values[0].simple_value, -3.5f);
  const SummaryValue& hv = events[3].values[0];
  EXPECT_EQ(hv.tag, "w");
  ASSERT_TRUE(hv.histo.has_value());
  EXPECT_FALSE(hv.simple_value.has_value());
  const Histogram expected = Histogram::from_values({-1.0, 0.0, 0.5, 2.0});
  EXPECT_EQ(hv.histo->num, 4);
  EXPECT_EQ(hv.histo->min, -1.0);
  EXPECT_EQ(hv.histo->max, 2.0);
  EXPECT_EQ(hv.histo->sum, 1.5);
  EXPECT_EQ(hv.histo->sum_squares, 5.25);
  EXPECT_EQ(hv.histo->bucket_limit, expected.bucket_limit);
  EXPECT_EQ(hv.histo->bucket, expected.bucket);
}

TEST(EventWriterTest, TwoWritersInOneDirectoryGetTwoFilesAndReadScalarMergesThem) {
  test::TempDir dir;
  {
    EventWriter a(dir.path()), b(dir.path());
    EXPECT_NE(a.path(), b.path());  // same second: the second file gets a ".1" suffix
    a.add_scalar("acc", 0.5f, 3);
    b.add_scalar("acc", 0.25f, 1);
    a.add_scalar("acc", 0.75f, 2);
    b.add_scalar("other", 9.0f, 0);
  }
  EXPECT_EQ(list_event_files(dir.path()).size(), 2u);
  const auto acc = read_scalar(dir.path(), "acc");
  ASSERT_EQ(acc.size(), 3u);
  EXPECT_EQ(acc[0].step, 1);
  EXPECT_EQ(acc[0].value, 0.25f);
  EXPECT_EQ(acc[1].step, 2);
  EXPECT_EQ(acc[1].value, 0.75f);
  EXPECT_EQ(acc[2].step, 3);
  EXPECT_EQ(acc[2].value, 0.5f);
}

TEST(EventWriterTest, ConcurrentAddScalarLosesNothing) {
  test::TempDir dir;
  constexpr int kThreads = 4, kPerThread = 250;
  {
    EventWriter w(dir.path());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&w, t] {
        for (int i = 0; i < kPerThread; ++i) w.add_scalar("x", static_cast<float>(t), t * kPerThread + i);
      });
    }
    for (auto& th : threads) th.join();
  }
  const auto xs = read_scalar(dir.path(), "x");  // a torn record would fail its CRC here
  ASSERT_EQ(xs.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < xs.size(); ++i) {
    EXPECT_EQ(xs[i].step, static_cast<int64_t>(i));
    EXPECT_EQ(xs[i].value, static_cast<float>(i / kPerThread));
  }
}

TEST(EventWriterTest, FlushMakesDataVisibleWhileTheWriterIsOpen) {
  test::TempDir dir;
  EventWriter w(dir.path());
  w.add_scalar("Loss", 1.0f, 1);
  w.flush();
  ASSERT_EQ(read_scalar(dir.path(), "Loss").size(), 1u);
  EXPECT_EQ(read_events(w.path(), false).size(), 2u);
}

TEST(EventWriterTest, BackgroundThreadFlushesWithoutBeingAsked) {
  test::TempDir dir;
  EventWriter w(dir.path(), /*flush_secs=*/0.02);
  w.add_scalar("Loss", 1.0f, 1);
  // Polls for a generous deadline; the flush interval is 20 ms.
  size_t seen = 0;
  for (int i = 0; i < 1000 && seen == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = read_scalar(dir.path(), "Loss").size();
  }
  EXPECT_EQ(seen, 1u);
}

TEST(EventWriterTest, ErrorsNameTheDirectoryOrFile) {
  test::TempDir dir;
  test::write_bytes(dir / "plain_file", "x");
  EXPECT_THROW_WITH(EventWriter(dir / "plain_file/logs"), IOError, "plain_file/logs: cannot create the log directory");
  EXPECT_THROW_WITH(EventWriter(dir.path(), 0.0), ValueError, "flush_secs must be > 0, got 0");
  EventWriter w(dir.path());
  w.close();
  w.close();  // a second close does nothing
  EXPECT_THROW_WITH(w.add_scalar("x", 1.0f, 1), ValueError, w.path() + ": the event writer is closed");
}

TEST(HistogramTest, DefaultBucketsMatchTensorFlowConstruction) {
  const auto& limits = Histogram::default_bucket_limits();
  ASSERT_EQ(limits.size(), 1551u);
  const size_t mid = limits.size() / 2;
  EXPECT_EQ(limits[mid], 0.0);
  EXPECT_EQ(limits[mid + 1], 1e-12);
  EXPECT_DOUBLE_EQ(limits[mid + 2], 1.1e-12);
  EXPECT_EQ(limits.back(), std::numeric_limits<double>::max());
  EXPECT_EQ(limits.front(), -std::numeric_limits<double>::max());
  EXPECT_LT(limits[limits.size() - 2], 1e20);
  EXPECT_GE(limits[limits.size() - 2] * 1.1, 1e20);
  for (size_t i = 0; i < mid; ++i) EXPECT_EQ(limits[i], -limits[limits.size() - 1 - i]);
}

TEST(HistogramTest, CountsValuesAndCollapsesEmptyRuns) {
  const Histogram h = Histogram::from_values({-1.0, 0.0, 0.5, 0.5, 2.0, std::nan(""), INFINITY});
  EXPECT_EQ(h.num, 5);  // non-finite values are left out
  EXPECT_EQ(h.min, -1.0);
  EXPECT_EQ(h.max, 2.0);
  EXPECT_EQ(h.sum, 2.0);
  EXPECT_EQ(h.sum_squares, 5.5);
  ASSERT_EQ(h.bucket.size(), h.bucket_limit.size());
  double total = 0;
  std::vector<double> nonzero;
  for (size_t i = 0; i < h.bucket.size(); ++i) {
    total += h.bucket[i];
    if (h.bucket[i] > 0) nonzero.push_back(h.bucket[i]);
    if (i > 0) {
      EXPECT_LT(h.bucket_limit[i - 1], h.bucket_limit[i]);
      // Adjacent entries are never both empty (runs are merged).
      EXPECT_FALSE(h.bucket[i - 1] == 0 && h.bucket[i] == 0) << i;
    }
  }
  EXPECT_EQ(total, 5);
  EXPECT_EQ(nonzero, (std::vector<double>{1, 1, 2, 1}));
  // 0 lands in the bucket [0, 1e-12).
  const auto it = std::find(h.bucket_limit.begin(), h.bucket_limit.end(), 1e-12);
  ASSERT_NE(it, h.bucket_limit.end());
  EXPECT_EQ(h.bucket[it - h.bucket_limit.begin()], 1);
  const Histogram empty = Histogram::from_values({});
  EXPECT_EQ(empty.num, 0);
  EXPECT_EQ(empty.bucket.size(), 1u);
}

}  // namespace
}  // namespace ember::summary
