#pragma once
/// Helpers shared by the io tests: a temporary directory, activity comparison, model round trips,
/// and a header rewriter that edits a valid file's JSON header and re-encodes it (valid CRC), so
/// tests can hand the loader well-formed files with one bad field.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ember/nn/module.h"

namespace ember::test {

/// A fresh directory under testing::TempDir(), removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Every tensor of an activity, flattened in order, with the shapes (for exact comparison).
struct FlatActivity {
  std::vector<double> values;
  std::vector<std::string> shapes;
  bool operator==(const FlatActivity&) const = default;
};
FlatActivity flatten(const nn::Activity& a);

/// Fills every parameter and buffer with seeded random values (variances positive), so that a
/// round trip that lost a tensor cannot go unnoticed.
void randomize(nn::Module& m, uint64_t seed);

/// Saves `m` (evaluate mode) to bytes, loads it, and expects the same type, the same forward output
/// on `input`, and byte-identical bytes when the loaded model is saved again. Returns the loaded model.
nn::ModulePtr expect_round_trip(nn::Module& m, const nn::Activity& input, const std::string& what);

/// Reads the JSON header of a model/state file's bytes.
nlohmann::json read_header(const std::string& bytes);
/// Re-encodes `bytes` with its header edited by `edit`; the data section is kept as it is.
std::string rewrite_header(const std::string& bytes, const std::function<void(nlohmann::json&)>& edit);

/// The file's bytes with a little-endian u32/u64 written at `offset`.
std::string with_u32(std::string bytes, size_t offset, uint32_t v);
std::string with_u64(std::string bytes, size_t offset, uint64_t v);

}  // namespace ember::test
