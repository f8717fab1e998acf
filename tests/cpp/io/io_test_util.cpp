#include "io/io_test_util.h"

#include <stdlib.h>

#include <cstring>
#include <filesystem>

#include "ember/core/checksum.h"
#include "ember/io/model_file.h"
#include "ember/tensor/random.h"

namespace ember::test {

TempDir::TempDir() {
  std::string templ = testing::TempDir() + "/ember_io_XXXXXX";
  const char* p = ::mkdtemp(templ.data());
  if (!p) throw std::runtime_error("mkdtemp failed for " + templ);
  path_ = p;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

static void flatten_into(const nn::Activity& a, FlatActivity& out) {
  if (a.is_tensor()) {
    const Tensor& t = a.tensor();
    out.shapes.push_back(ember::detail::str_cat(t.shape(), " ", t.dtype()));
    for (double v : t.to_vector()) out.values.push_back(v);
    return;
  }
  if (a.is_table()) {
    out.shapes.push_back("table(" + std::to_string(a.table().size()) + ")");
    for (size_t i = 0; i < a.table().size(); ++i) flatten_into(a.table()[i], out);
    return;
  }
  out.shapes.push_back("empty");
}

FlatActivity flatten(const nn::Activity& a) {
  FlatActivity out;
  flatten_into(a, out);
  return out;
}

void randomize(nn::Module& m, uint64_t seed) {
  Generator gen(seed);
  for (auto& p : m.named_parameters())
    if (p.value->defined()) p.value->copy_(Tensor::randn(p.value->shape(), p.value->dtype(), &gen));
  for (auto& [name, t] : m.named_buffers())
    if (t->defined() && is_floating(t->dtype()))
      t->copy_(Tensor::rand(t->shape(), t->dtype(), &gen).to(t->dtype()));
}

nn::ModulePtr expect_round_trip(nn::Module& m, const nn::Activity& input, const std::string& what) {
  SCOPED_TRACE(what);
  m.evaluate();
  const FlatActivity expected = flatten(m.forward(input));
  const std::string bytes = io::save_module_to_bytes(m);
  nn::ModulePtr loaded = io::load_module_from_bytes(bytes, what + ".ember");
  EXPECT_EQ(loaded->type_name(), m.type_name());
  EXPECT_EQ(loaded->repr(), m.repr());
  EXPECT_FALSE(loaded->is_training());
  const FlatActivity got = flatten(loaded->forward(input));
  EXPECT_EQ(got.shapes, expected.shapes);
  EXPECT_EQ(got.values, expected.values);
  const std::string again = io::save_module_to_bytes(*loaded);
  EXPECT_TRUE(again == bytes) << "re-saving the loaded model changed the file (" << bytes.size() << " -> "
                              << again.size() << " bytes)";
  return loaded;
}

static uint64_t u64_at(const std::string& b, size_t off) {
  uint64_t v;
  std::memcpy(&v, b.data() + off, 8);
  return v;
}

nlohmann::json read_header(const std::string& bytes) {
  return nlohmann::json::parse(bytes.substr(32, u64_at(bytes, 16)));
}

std::string rewrite_header(const std::string& bytes, const std::function<void(nlohmann::json&)>& edit) {
  const uint64_t h = u64_at(bytes, 16);
  const uint64_t data_start = (32 + h + 63) / 64 * 64;
  nlohmann::json j = read_header(bytes);
  edit(j);
  const std::string text = j.dump();
  std::string out = bytes.substr(0, 32) + text;
  out = with_u64(out, 16, text.size());
  out = with_u32(out, 24, crc32c(text.data(), text.size()));
  out.resize((out.size() + 63) / 64 * 64, '\0');
  return out + bytes.substr(std::min<size_t>(data_start, bytes.size()));
}

std::string with_u32(std::string bytes, size_t offset, uint32_t v) {
  std::memcpy(bytes.data() + offset, &v, 4);
  return bytes;
}

std::string with_u64(std::string bytes, size_t offset, uint64_t v) {
  std::memcpy(bytes.data() + offset, &v, 8);
  return bytes;
}

}  // namespace ember::test
