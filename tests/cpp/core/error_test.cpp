#include <gtest/gtest.h>

#include "common/gradient_check.h"
#include "ember/core/error.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

TEST(ErrorTest, TypesDeriveFromStandardExceptions) {
  EXPECT_THROW(throw ShapeError("x"), std::invalid_argument);
  EXPECT_THROW(throw ValueError("x"), std::invalid_argument);
  EXPECT_THROW(throw TypeError("x"), std::invalid_argument);
  EXPECT_THROW(throw IndexError("x"), std::out_of_range);
  EXPECT_THROW(throw NotImplementedError("x"), std::logic_error);
  EXPECT_THROW(throw RuntimeError("x"), std::runtime_error);
}

TEST(ErrorTest, ContextComposesModuleAndPath) {
  ShapeError e("input has 3 features");
  EXPECT_STREQ(e.what(), "input has 3 features");
  e.set_module("nn.Linear");
  e.set_module("nn.Sequential");  // only the innermost module counts
  e.prepend_path("fc1");
  e.prepend_path("encoder");
  EXPECT_STREQ(e.what(), "[nn.Linear 'encoder.fc1'] input has 3 features");
}

TEST(ErrorTest, CheckMacrosStreamAllParts) {
  EXPECT_THROW_WITH(EMBER_CHECK_SHAPE(1 == 2, "expected ", 1, ", got ", 2.5), ShapeError, "expected 1, got 2.5");
  EXPECT_THROW_WITH(EMBER_INTERNAL_ASSERT(false, "oops"), InternalError, "This is a bug in Ember");
}

TEST(ParallelTest, CoversRangeExactlyOnce) {
  std::vector<int> hits(10007, 0);
  parallel_for(0, 10007, 100, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) hits[i]++;
  });
  for (int h : hits) ASSERT_EQ(h, 1);
}

TEST(ParallelTest, SetNumThreadsValidates) {
  const int before = num_threads();
  EXPECT_GE(before, 1);
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1);
  set_num_threads(before);
  EXPECT_THROW_WITH(set_num_threads(0), ValueError, "expected >= 1, got 0");
}

}  // namespace
}  // namespace ember
